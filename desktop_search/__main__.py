import sys

from desktop_search.cli import main

sys.exit(main())
