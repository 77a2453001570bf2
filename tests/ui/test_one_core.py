"""The window and the command line are two faces of one core: what one does to a data directory
(add, exclude, remove, retry), the other sees and can undo."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_search.services import Services
from desktop_search.ui.folders_model import FileCountRole
from tests.helpers import run_cli


def statuses(data: Path) -> dict[str, str]:
    files = json.loads(run_cli("status", "--json", data_dir=data).stdout)["files"]
    return {Path(f["path"]).name: f["status"] for f in files}


def open_window(qtbot, data: Path):  # type: ignore[no-untyped-def]
    from desktop_search.ui.main_window import MainWindow

    services = Services.open(str(data), isolated=True)
    window = MainWindow(services.store.directory, services)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.library.is_settled() and window.library.folders.rowCount() > 0)
    return window, services


def test_what_the_cli_does_the_window_shows_and_the_other_way_round(qtbot, docs, problems, tmp_path):
    data = tmp_path / "data"
    run_cli("index", str(docs), data_dir=data)
    run_cli("exclude", "drop.md", data_dir=data)
    kept = {p.name for p in docs.iterdir()} - {"drop.md"}
    assert set(statuses(data)) == kept

    window, services = open_window(qtbot, data)
    try:
        library = window.library
        assert library.folders.paths() == [str(docs)]
        assert library.folders.index(0, 0).data(FileCountRole) == len(kept)
        assert library.stats.exclusions == ("drop.md",)
        taken, refused = library.add([str(problems), str(docs / "concurrency.md"), str(tmp_path / "nowhere")])
        assert taken == [str(problems)]
        assert refused == [
            f"concurrency.md: already in the index (in {docs})",
            "nowhere: no such file or folder",
        ]
        qtbot.waitUntil(lambda: len(library.stats.failures) == len(list(problems.iterdir())), timeout=120_000)
        with qtbot.waitSignal(library.indexing_finished, timeout=60_000):
            library.remove(str(docs))
        qtbot.waitUntil(lambda: library.is_settled() and library.folders.paths() == [str(problems)])
    finally:
        window.close()
        services.close()

    failed = statuses(data)
    assert set(failed) == {p.name for p in problems.iterdir()} and "indexed" not in failed.values()
    assert "not indexed:" in run_cli("status", data_dir=data).stdout
    retried = run_cli("retry", data_dir=data).stdout  # every failure is read again, not skipped
    assert f"not indexed {len(failed)}" in retried and "unchanged 0" in retried
    run_cli("remove", str(problems), data_dir=data)
    assert statuses(data) == {}
    assert run_cli("remove", str(problems), data_dir=data, check=False).returncode == 2
