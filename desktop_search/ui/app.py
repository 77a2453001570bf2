"""Start-up: one instance per data directory, the window on screen at once, the index opened
behind it (what is typed meanwhile is searched as soon as it is open)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

import desktop_search  # noqa: F401  (sets the ONNX Runtime environment before anything imports it)
from desktop_search.cli import EXIT_DATA_DIR
from desktop_search.settings import Settings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop_search.cli.serving import Serving
    from desktop_search.services import Services
    from desktop_search.ui.main_window import MainWindow

GIL_SWITCH_SECONDS = (
    0.001  # the longest the window waits for the GIL the workers hold (Python's default: 5 ms)
)


def open_services(settings: Settings) -> Services:
    """Open the index (on the opener's thread: importing and starting Chroma takes a second)."""
    from desktop_search.services import Services

    return Services.open(settings, isolated=True)  # Chroma off the UI's GIL


def run_gui(settings: Settings | None = None, folders: Sequence[str] = ()) -> int:
    """The window for the index settings name (default: resolved from the environment)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_search.ui.compat import keep_singletons_alive
    from desktop_search.ui.main_window import MainWindow
    from desktop_search.ui.single_instance import InstanceServer, send_to_running, server_name
    from desktop_search.ui.workers import LatestWorker

    keep_singletons_alive()  # PySide6 6.12 on Python 3.11 would otherwise abort after minutes of painting
    app = QApplication.instance() or QApplication(sys.argv[:1] or ["desktop-search"])
    assert isinstance(app, QApplication)
    settings = settings or Settings.resolve()
    configure(app, settings)
    share_the_interpreter()
    directory = settings.data_dir
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
    opener.submit(open_services, settings)
    try:
        return app.exec()
    finally:
        window.close()
        server.close()
        opener.stop()
        if startup.serving is not None:
            startup.serving.stop()
        if startup.services is not None:
            startup.services.close()


class _Startup(QObject):
    """Hands the opened index to the window, or explains why it could not be opened."""

    def __init__(self, app: QApplication, window: MainWindow) -> None:
        super().__init__()
        self.app = app
        self.window = window
        self.services: Services | None = None
        self.serving: Serving | None = None  # answers `desktop-search search` (cli/serving.py)

    def _on_opener_job_finished(self, ticket: int, services: Services) -> None:
        self.services = services
        self.window.attach(services)
        self.window.start()
        from desktop_search.cli.serving import Serving
        from desktop_search.core.query_server import ChannelError

        try:
            self.serving = Serving.start(services)  # on threads of its own: never this one's
        except ChannelError as error:  # the window works on; the command line searches itself
            print(f"desktop-search: not answering the command line: {error}", file=sys.stderr)

    def _on_opener_job_failed(self, ticket: int, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(self.window, "Desktop Search cannot open its index", message.split(": ", 1)[-1])
        self.app.exit(EXIT_DATA_DIR)


def share_the_interpreter() -> None:
    """The indexer, search and preview threads run Python too: hand the GIL round more often, so
    the window's thread never waits long for it (the README gives the stalls measured with and
    without it)."""
    sys.setswitchinterval(GIL_SWITCH_SECONDS)


def configure(app: QApplication, settings: Settings) -> None:
    """Name, icon, and the light or dark palette (the desktop's unless the settings say otherwise)."""
    from desktop_search.ui.icons import app_icon
    from desktop_search.ui.theme import follow_colour_scheme

    app.setApplicationName("Desktop Search")
    app.setOrganizationName("desktop-search")
    app.setDesktopFileName("desktop-search")
    app.setWindowIcon(app_icon())
    follow_colour_scheme(app, settings.colour_scheme)
