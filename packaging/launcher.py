"""The frozen app's entry point: the `desktop-search` console script, made safe to freeze."""

import sys

import desktop_search  # noqa: F401  first: sets ORT_DISABLE_TELEMETRY before onnxruntime can load

if __name__ == "__main__":
    import multiprocessing

    # The file reader runs in a spawned child: in a frozen app the child is this executable again,
    # and freeze_support() turns it into the worker before any of the app starts.
    multiprocessing.freeze_support()

    from desktop_search.cli import main

    sys.exit(main())
