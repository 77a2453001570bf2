"""The window answers `desktop-search search` while it runs (it holds the index, so the command line
could not search it itself), off the UI thread, with what the command line prints in-process."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop_search.core.query_server import Channel, socket_path
from desktop_search.services import Services
from desktop_search.ui.app import _Startup, share_the_interpreter
from desktop_search.ui.main_window import MainWindow
from tests.helpers import cli_command, run_cli

QUERY = ("what happens when a value is dropped", "--passages", "2")


def test_the_window_answers_the_command_lines_searches(qtbot, tmp_path: Path, docs: Path) -> None:
    data = tmp_path / "window-data"
    run_cli("index", str(docs), data_dir=data)
    in_process = run_cli("search", *QUERY, data_dir=data).stdout
    assert "drop.md" in in_process

    share_the_interpreter()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = MainWindow(data)  # as run_gui builds it, before the index opens
    window.resize(1200, 760)
    window.show()
    qtbot.waitExposed(window)
    startup = _Startup(app, window)
    services = Services.open(str(data), isolated=True)
    try:
        with qtbot.waitSignal(window.model_worker.job_finished, timeout=60_000):
            startup._on_opener_job_finished(0, services)  # the index opened: the window serves it
        assert startup.serving is not None
        assert Channel.connect(socket_path(data)) is not None
        search = subprocess.Popen(
            [*cli_command(data), "search", *QUERY], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        qtbot.waitUntil(lambda: search.poll() is not None, timeout=120_000)  # the UI thread turns meanwhile
        out, err = search.communicate()
        assert search.returncode == 0, err  # in-process it could not have opened the window's index
        assert out == in_process
    finally:
        window.close()
        if startup.serving is not None:
            startup.serving.stop()
        services.close()
    assert Channel.connect(socket_path(data)) is None
