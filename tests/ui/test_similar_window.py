"""Files like this one in the window: the results' context menu lists the files like the chosen
one under a header, and a new query brings the usual list back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt


def test_find_similar_lists_the_files_like_the_chosen_result(
    qtbot, window, index_by_drop, search, docs, more_docs
):
    index_by_drop(docs, more_docs, timeout=600_000)  # a shared machine can be slow
    model = search("fearless concurrency")
    names = [Path(hit.path).name for hit in model.hits()]
    window.results_view.select_row(names.index("concurrency.md"))
    view = window.results_view
    assert view.isHeaderHidden()
    find = next(action for action in view.actions() if action.text() == "Find similar files")
    with qtbot.waitSignal(
        window.results.answer_shown, timeout=15_000, check_params_cb=lambda answer: answer.mode == "similar"
    ):
        find.trigger()
    similar = [Path(hit.path).name for hit in model.hits()]
    assert "concurrency.md" not in similar and "threads.md" in similar[:2], similar
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Files like concurrency.md"
    assert not view.isHeaderHidden() and view.currentIndex().row() == 0
    search("drop trait")
    assert view.isHeaderHidden() and model.query == "drop trait"
