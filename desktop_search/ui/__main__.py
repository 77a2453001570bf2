"""`python -m desktop_search.ui [--data-dir D] [FOLDER...]`: the window, as `desktop-search` opens it."""

import sys

from desktop_search.cli import main

if __name__ == "__main__":  # the file reader's child process imports this module too
    sys.exit(main())
