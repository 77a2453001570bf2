"""Start-up: one instance per data directory, the window on screen at once, the rest behind it."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import desktop_search  # noqa: F401  (sets the ONNX Runtime environment before anything imports it)
from desktop_search import paths
from desktop_search.core.store import DataDirError

EXIT_DATA_DIR = 3
SCHEME_ENV = "DESKTOP_SEARCH_COLOR_SCHEME"  # "dark" or "light" to override the desktop's choice


def run_gui(data_dir: str | None = None, chroma_url: str | None = None, folders: Sequence[str] = ()) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop_search.ui.single_instance import InstanceServer, send_to_running, server_name

    app = QApplication.instance() or QApplication(sys.argv[:1] or ["desktop-search"])
    assert isinstance(app, QApplication)
    configure(app)
    directory = paths.data_dir(data_dir)
    name = server_name(directory)
    folders = [os.path.abspath(folder) for folder in folders]
    if send_to_running(name, folders):
        return 0

    from desktop_search.services import Services
    from desktop_search.ui.main_window import MainWindow

    try:
        services = Services.open(data_dir, chroma_url=chroma_url)
    except (DataDirError, FileNotFoundError) as error:
        QMessageBox.critical(None, "Desktop Search cannot start", str(error))
        return EXIT_DATA_DIR
    server = InstanceServer(name)
    server.listen()
    window = MainWindow(services)
    server.message_received.connect(window.handle_message)
    window.show()
    QTimer.singleShot(0, window.start)
    if folders:
        window.add_paths(folders)
    try:
        return app.exec()
    finally:
        window.shutdown()
        server.close()
        services.close()


def configure(app) -> None:  # type: ignore[no-untyped-def]
    """Name, icon, and the light or dark palette (the desktop's unless SCHEME_ENV says otherwise)."""
    from PySide6.QtCore import Qt

    from desktop_search.ui.icons import app_icon

    app.setApplicationName("Desktop Search")
    app.setOrganizationName("desktop-search")
    app.setDesktopFileName("desktop-search")
    app.setWindowIcon(app_icon())
    wanted = os.environ.get(SCHEME_ENV, "").lower()
    if wanted in ("dark", "light"):
        app.styleHints().setColorScheme(Qt.ColorScheme.Dark if wanted == "dark" else Qt.ColorScheme.Light)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m desktop_search.ui [--data-dir D] [FOLDER...]`: the window, given folders to add."""
    parser = argparse.ArgumentParser(prog="desktop-search-gui", description="Open the Desktop Search window.")
    parser.add_argument("--data-dir", help="where the index lives")
    parser.add_argument("--chroma-url", help="use a Chroma server (http://host:port) for the vectors")
    parser.add_argument("folders", nargs="*", help="folders or files to add to the index")
    args = parser.parse_args(argv)
    return run_gui(data_dir=args.data_dir, chroma_url=args.chroma_url, folders=args.folders)
