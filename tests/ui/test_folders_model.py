"""FoldersModel: folders with file counts and a state sentence; passes qtmodeltester."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_search.core.library_status import FolderStats
from desktop_search.ui.folders_model import (
    BusyRole,
    FileCountRole,
    FoldersModel,
    PathRole,
    ProblemCountRole,
    StateRole,
    WaitingRole,
)

FOLDERS = [
    FolderStats("/home/me/Books", files=120, indexed=118, failed=2, waiting=0, passages=9000),
    FolderStats("/home/me/Notes", files=40, indexed=40, failed=0, waiting=12, passages=300),
    FolderStats("/home/me/Empty", files=0),
]


def test_passes_qtmodeltester(qtmodeltester) -> None:
    model = FoldersModel()
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    model.set_folders(FOLDERS)
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    model.set_activity("/home/me/Notes", "Reading files…")
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_rows_say_count_and_state() -> None:
    model = FoldersModel()
    model.set_folders(FOLDERS)
    books, notes, empty = (model.index(row, 0) for row in range(3))
    assert books.data(Qt.ItemDataRole.DisplayRole) == "Books"
    assert books.data(PathRole) == "/home/me/Books"
    assert books.data(FileCountRole) == 120
    assert books.data(ProblemCountRole) == 2
    assert books.data(StateRole) == "Up to date"
    assert "2 not indexed" in books.data(Qt.ItemDataRole.ToolTipRole)
    assert notes.data(StateRole) == "12 waiting"
    assert notes.data(WaitingRole) == 12
    assert empty.data(StateRole) == "No files found"
    assert model.paths() == [f.path for f in FOLDERS]


def test_activity_changes_one_row(qtbot) -> None:
    model = FoldersModel()
    model.set_folders(FOLDERS)
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.set_activity("/home/me/Notes", "Reading files…")
    assert changed.args[0].row() == 1
    assert model.index(1, 0).data(StateRole) == "Reading files…"
    assert model.index(1, 0).data(BusyRole) is True
    assert model.index(0, 0).data(BusyRole) is False
    model.set_paused(True)
    assert model.index(1, 0).data(StateRole) == "Paused"
    model.set_activity(None)
    assert model.index(1, 0).data(StateRole) == "12 waiting"
