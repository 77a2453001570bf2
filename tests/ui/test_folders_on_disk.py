"""The index follows the disk while the window is open, and an unplugged folder keeps its files."""

from __future__ import annotations

from pathlib import Path

from desktop_search.ui.folders_model import FileCountRole, MissingRole, StateRole
from desktop_search.ui.results_model import PathRole


def test_a_new_file_in_a_watched_folder_is_indexed_and_found(
    qtbot, window, docs: Path, index_by_drop, search
) -> None:
    index_by_drop(docs)
    note = docs / "platypus-note.md"
    with qtbot.waitSignal(window.index_worker.indexing_finished, timeout=120_000) as finished:
        note.write_text("# Field notes\n\nThe platypus lays eggs and hunts by electroreception.\n")
    assert finished.args[0].indexed == 1  # only the new file was read
    qtbot.waitUntil(window.library.is_settled)
    model = search("platypus electroreception")
    assert model.index(0, 0).data(PathRole) == str(note)
    assert window.library.folders.index(0, 0).data(FileCountRole) == 5


def test_a_folder_gone_from_disk_keeps_its_files(
    qtbot, window, docs: Path, index_by_drop, search, tmp_path: Path
) -> None:
    index_by_drop(docs)
    docs.rename(tmp_path / "elsewhere")  # like an unplugged drive
    with qtbot.waitSignal(window.index_worker.indexing_finished, timeout=60_000) as finished:
        window.folders_pane.rescan_action.trigger()
    assert finished.args[0].missing_folders == [str(docs)]
    qtbot.waitUntil(window.library.is_settled)
    folder = window.library.folders.index(0, 0)
    qtbot.waitUntil(lambda: folder.data(MissingRole) is True)
    assert folder.data(StateRole) == "Not found (unplugged?)"
    assert folder.data(FileCountRole) == 4
    assert search("drop trait").rowCount() > 0  # still searchable
