"""Start-up: the window is on screen before the index opens, a second launch hands its folders to
the first, and a data directory held by another process is explained, not crashed on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from desktop_search.cli import EXIT_DATA_DIR
from desktop_search.settings import Settings
from desktop_search.ui.app import run_gui
from desktop_search.ui.single_instance import InstanceServer, send_to_running, server_name

# Launch the real entry point; say when the window is on screen and when the index is open, then quit.
_QUIT_WHEN_READY = """
import sys
from desktop_search.ui import main_window
from PySide6.QtWidgets import QApplication
show_event = main_window.MainWindow.showEvent
def showEvent(self, event):
    show_event(self, event)
    print("shown", flush=True)
def start(self):
    print("ready", flush=True)
    QApplication.quit()
main_window.MainWindow.showEvent = showEvent
main_window.MainWindow.start = start
from desktop_search.cli import main
sys.exit(main(sys.argv[1:]))
"""


def child_env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def test_window_is_on_screen_before_the_index_opens(tmp_path: Path) -> None:
    """How soon it shows is measured by `make bench` (startup); here, that it shows first."""
    result = subprocess.run(
        [sys.executable, "-c", _QUIT_WHEN_READY, "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=600,  # only turns a hang into a failure
        env=child_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["shown", "ready"]


def test_second_launch_hands_its_folders_to_the_first(qtbot, window, docs: Path) -> None:
    server = InstanceServer(server_name(window.services.store.directory))
    assert server.listen()
    server.message_received.connect(window.handle_message)
    try:
        with (
            qtbot.waitSignal(window.index_worker.indexing_finished, timeout=180_000),
            qtbot.waitSignal(server.message_received, timeout=30_000) as received,
        ):
            second = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "desktop-search"),  # as a file manager's "Open with"
                    "--data-dir",
                    str(window.services.store.directory),
                    str(docs),
                ],
                env=child_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        assert received.args == [{"folders": [str(docs)]}]
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=30_000)
        assert second.returncode == 0  # it left without touching the data directory
        assert window.services.store.catalog.folders() == [str(docs)]
    finally:
        server.close()


def test_no_running_instance_means_no_hand_off(qtbot, tmp_path: Path) -> None:
    assert not send_to_running(server_name(tmp_path / "nobody"), ["/x"])


def test_a_data_dir_held_by_another_process_is_explained(
    qtbot, services, data_dir: Path, monkeypatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", staticmethod(lambda parent, title, text, *rest: said.append(text))
    )
    assert run_gui(Settings.resolve(data_dir=data_dir)) == EXIT_DATA_DIR
    assert said and "another Desktop Search process" in said[0]


def test_colour_scheme_can_be_forced(qtbot, window) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop_search.ui.app import configure
    from desktop_search.ui.theme import is_dark

    app = QApplication.instance()
    try:
        configure(app, Settings.resolve(environ={"DESKTOP_SEARCH_COLOR_SCHEME": "dark"}))
        qtbot.waitUntil(lambda: is_dark(window.palette()))  # delivered to the widgets as an event
        assert is_dark(app.palette())
        assert not app.windowIcon().isNull()
        window.grab()  # paints in dark without complaint
        configure(app, Settings.resolve(environ={"DESKTOP_SEARCH_COLOR_SCHEME": "light"}))
        assert not is_dark(app.palette())
    finally:
        app.setPalette(app.style().standardPalette())
