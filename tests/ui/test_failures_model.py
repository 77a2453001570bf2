"""FailuresModel: files not indexed, with a problem a person understands; passes qtmodeltester."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_search.core.library_status import Failure
from desktop_search.ui.failures_model import FailuresModel, PathRole, ReasonRole, StatusRole, describe

FAILURES = [
    Failure("/d/scan.pdf", "/d", "no text", "no text layer (scanned?)"),
    Failure("/d/locked.pdf", "/d", "password", "password-protected PDF"),
    Failure("/d/old.doc.docx", "/d", "unsupported", "legacy Word 97-2003 (.doc) file, not .docx"),
    Failure("/d/bad.pdf", "/d", "error", "cannot open PDF: no objects found"),
]


def test_passes_qtmodeltester(qtmodeltester) -> None:
    model = FailuresModel()
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    model.set_failures(FAILURES)
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_columns_and_roles() -> None:
    model = FailuresModel()
    model.set_failures(FAILURES)
    assert model.columnCount() == 3
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Problem"
    rows = {model.index(r, 0).data(PathRole): r for r in range(model.rowCount())}
    locked = rows["/d/locked.pdf"]
    assert model.index(locked, 0).data() == "locked.pdf"
    assert model.index(locked, 1).data() == "Password-protected"
    assert model.index(locked, 2).data() == "/d"
    assert model.index(locked, 0).data(StatusRole) == "password"
    assert model.index(locked, 0).data(ReasonRole) == "password-protected PDF"
    assert sorted(model.paths()) == sorted(f.path for f in FAILURES)


def test_describe_is_plain_language() -> None:
    assert describe(FAILURES[0]) == "No text layer (scanned?)"
    assert describe(FAILURES[2]) == "Legacy Word 97-2003 (.doc) file, not .docx"
    assert describe(FAILURES[3]) == "Could not be read: cannot open PDF: no objects found"
    assert describe(Failure("/x", "/", "error", None)) == "Could not be read"
