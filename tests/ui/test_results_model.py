"""ResultsModel: one row per file, further passages as children, named roles; passes qtmodeltester."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QIcon

from desktop_search.core.search import FileHit, PassageHit
from desktop_search.ui.results_model import (
    FolderRole,
    HighlightsRole,
    HitRole,
    IsPassageRole,
    KindRole,
    ModifiedRole,
    MorePassagesRole,
    PageRole,
    PassageRole,
    PathRole,
    ResultsModel,
    SnippetRole,
)


def passage(number: int, page: int | None = None) -> PassageHit:
    return PassageHit(
        number, page, 0, 10, 1.0 / number, f"snippet {number} about ownership", ((10, 15),), "text"
    )


def hits() -> list[FileHit]:
    return [
        FileHit(
            "/docs/book.pdf",
            "pdf",
            "/docs",
            1_700_000_000.0,
            0.9,
            (passage(1, 3), passage(2, 7), passage(3, 9)),
        ),
        FileHit("/docs/notes/todo.md", "text", "/docs", 1_600_000_000.0, 0.5, (passage(4),)),
        FileHit("/docs/letter.docx", "docx", "/docs", 1_650_000_000.0, 0.4, (passage(5), passage(6))),
    ]


@pytest.fixture
def model() -> ResultsModel:
    built = ResultsModel()
    built.set_hits("ownership", hits())
    return built


def test_passes_qtmodeltester_with_and_without_hits(qtmodeltester, model: ResultsModel) -> None:
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    model.clear()
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_rows_are_files_in_rank_order_with_their_roles(model: ResultsModel) -> None:
    assert model.rowCount() == 3
    first = model.index(0, 0)
    assert first.data(Qt.ItemDataRole.DisplayRole) == "book.pdf"
    assert first.data(PathRole) == "/docs/book.pdf"
    assert first.data(KindRole) == "pdf"
    assert first.data(FolderRole) == "/docs"
    assert first.data(ModifiedRole) == 1_700_000_000.0
    assert first.data(PageRole) == 3
    assert first.data(SnippetRole) == "snippet 1 about ownership"
    assert first.data(HighlightsRole) == ((10, 15),)
    assert first.data(IsPassageRole) is False
    assert first.data(MorePassagesRole) == 2
    assert isinstance(first.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert model.index(1, 0).data(FolderRole) == os.path.dirname("/docs/notes/todo.md")


def test_further_passages_are_children(model: ResultsModel) -> None:
    book = model.index(0, 0)
    assert model.rowCount(book) == 2
    child = model.index(1, 0, book)
    assert child.parent() == book
    assert child.data(IsPassageRole) is True
    assert child.data(PageRole) == 9
    assert child.data(Qt.ItemDataRole.DisplayRole) == "Page 9"
    assert child.data(PathRole) == "/docs/book.pdf"
    assert child.data(PassageRole).id == 3
    assert child.data(HitRole).path == "/docs/book.pdf"
    assert not model.flags(child) & Qt.ItemFlag.ItemIsEditable
    assert model.rowCount(model.index(1, 0)) == 0  # one passage: no children
    letter = model.index(2, 0)
    assert model.index(0, 0, letter).data(Qt.ItemDataRole.DisplayRole) == "Passage 2"
    assert not model.index(5, 0, letter).isValid()
    assert not model.index(0, 1).isValid()
    assert model.parent(QModelIndex()) == QModelIndex()


def test_set_hits_resets_the_model(qtbot, model: ResultsModel) -> None:
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset], order="strict"):
        model.set_hits("other", hits()[:1])
    assert model.rowCount() == 1
    assert model.query == "other"
    assert [hit.path for hit in model.hits()] == ["/docs/book.pdf"]
