"""Start-up: one instance per data directory, the window on screen at once, the index opened
behind it (what is typed meanwhile is searched as soon as it is open)."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject

import desktop_search  # noqa: F401  (sets the ONNX Runtime environment before anything imports it)
from desktop_search import paths

EXIT_DATA_DIR = 3
GIL_SWITCH_SECONDS = 0.001  # the window waits at most this long for the GIL the workers hold (default 5 ms)
SCHEME_ENV = "DESKTOP_SEARCH_COLOR_SCHEME"  # "dark" or "light" to override the desktop's choice


def open_services(data_dir: str | None, chroma_url: str | None) -> Any:
    """Open the index (on the opener's thread: importing and starting Chroma takes a second)."""
    from desktop_search.services import Services

    return Services.open(data_dir, chroma_url=chroma_url, isolated=True)  # Chroma off the UI's GIL


def run_gui(data_dir: str | None = None, chroma_url: str | None = None, folders: Sequence[str] = ()) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_search.ui.compat import keep_singletons_alive
    from desktop_search.ui.main_window import MainWindow
    from desktop_search.ui.single_instance import InstanceServer, send_to_running, server_name
    from desktop_search.ui.workers import LatestWorker

    keep_singletons_alive()  # PySide6 6.12 on Python 3.11 would otherwise abort after minutes of painting
    app = QApplication.instance() or QApplication(sys.argv[:1] or ["desktop-search"])
    assert isinstance(app, QApplication)
    configure(app)
    share_the_interpreter()
    directory = paths.data_dir(data_dir)
    name = server_name(directory)
    folders = [os.path.abspath(folder) for folder in folders]
    if send_to_running(name, folders):
        return 0

    server = InstanceServer(name)
    server.listen()
    window = MainWindow(directory)
    server.message_received.connect(window.handle_message)
    opener = LatestWorker("opener")
    startup = _Startup(app, window)
    opener.job_finished.connect(startup._on_opener_job_finished)
    opener.job_failed.connect(startup._on_opener_job_failed)
    window.show()
    if folders:
        window.add_paths(folders)
    QTimer.singleShot(0, window.search_bar.focus_box)
    opener.submit(open_services, data_dir, chroma_url)
    try:
        return app.exec()
    finally:
        window.close()
        server.close()
        opener.stop()
        if startup.services is not None:
            startup.services.close()


class _Startup(QObject):
    """Hands the opened index to the window, or explains why it could not be opened."""

    def __init__(self, app: Any, window: Any) -> None:
        super().__init__()
        self.app = app
        self.window = window
        self.services: Any = None

    def _on_opener_job_finished(self, ticket: int, services: Any) -> None:
        self.services = services
        self.window.attach(services)
        self.window.start()

    def _on_opener_job_failed(self, ticket: int, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(self.window, "Desktop Search cannot open its index", message.split(": ", 1)[-1])
        self.app.exit(EXIT_DATA_DIR)


def share_the_interpreter() -> None:
    """The indexer, search and preview threads run Python too: hand the GIL round more often, so
    the window's thread never waits long for it (measured: its longest stall while indexing on a
    busy 2-core machine went from ~110 ms to ~65-85 ms)."""
    sys.setswitchinterval(GIL_SWITCH_SECONDS)


def configure(app: Any) -> None:
    """Name, icon, and the light or dark palette (the desktop's unless SCHEME_ENV says otherwise)."""
    from desktop_search.ui.icons import app_icon
    from desktop_search.ui.theme import follow_colour_scheme

    app.setApplicationName("Desktop Search")
    app.setOrganizationName("desktop-search")
    app.setDesktopFileName("desktop-search")
    app.setWindowIcon(app_icon())
    follow_colour_scheme(app, os.environ.get(SCHEME_ENV, "").lower() or None)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m desktop_search.ui [--data-dir D] [FOLDER...]`: the window, given folders to add."""
    parser = argparse.ArgumentParser(prog="desktop-search-gui", description="Open the Desktop Search window.")
    parser.add_argument("--data-dir", help="where the index lives")
    parser.add_argument("--chroma-url", help="use a Chroma server (http://host:port) for the vectors")
    parser.add_argument("folders", nargs="*", help="folders or files to add to the index")
    multiprocessing.freeze_support()  # the file reader runs in a child process, also when frozen
    args = parser.parse_args(argv)
    return run_gui(data_dir=args.data_dir, chroma_url=args.chroma_url, folders=args.folders)
