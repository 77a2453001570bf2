"""`python -m desktop_search.ui`: the window, with folders to add from the command line."""

import sys

from desktop_search.ui.app import main

sys.exit(main())
