"""`python -m desktop_search.ui`: the window, with folders to add from the command line."""

import sys

from desktop_search.ui.app import main

if __name__ == "__main__":  # the file reader's child process imports this module too
    sys.exit(main())
