"""Desktop Search: find your files by meaning."""

import os

# onnxruntime >= 1.29 phones home unless this is set before its first import, and PyMuPDF 2.x
# imports onnxruntime by itself: set it as the package is imported, before anything else runs.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

__version__ = "0.1.0"
APP_NAME = "desktop-search"
