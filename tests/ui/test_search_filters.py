"""The date filter, the sort order and the syntax help: in the search bar, then in the real window
on real files whose dates are set with os.utime."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop_search.core.query_terms import SYNTAX, period
from desktop_search.ui.date_filter import CUSTOM
from desktop_search.ui.results_model import PathRole
from desktop_search.ui.search_bar import SearchBar
from tests.ui.conftest import DOCS, MORE_DOCS, copy_corpus

# The syntax help is a popup: the offscreen platform cannot give it the keyboard, as a desktop does.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")


def test_date_choices_become_the_filters_dates(qtbot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    assert (bar.filters().modified_after, bar.filters().modified_before) == (None, None)
    with qtbot.waitSignal(bar.filters_changed):
        bar.dates.setCurrentIndex(bar.dates.findText("Past week"))
    assert bar.filters().modified_after == period("lastweek")[0] and bar.filters().modified_before is None
    bar.dates.setCurrentIndex(bar.dates.findText(CUSTOM))
    dialog = bar.dates.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.first.setDate(QDate(2024, 3, 1))
    dialog.last.setDate(QDate(2024, 6, 30))
    with qtbot.waitSignal(bar.filters_changed):
        qtbot.mouseClick(
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
            Qt.MouseButton.LeftButton,
        )
    assert bar.dates.currentText() == "2024-03-01 – 2024-06-30"
    after, before = bar.filters().modified_after, bar.filters().modified_before
    assert after == datetime(2024, 3, 1).timestamp() and before == datetime(2024, 7, 1).timestamp() - 0.001
    bar.dates.setCurrentIndex(bar.dates.findText(CUSTOM))  # cancelled: the range stays chosen
    bar.dates.dialog.reject()
    assert bar.dates.currentText() == "2024-03-01 – 2024-06-30" and bar.filters().modified_after == after


def test_sort_choice_and_syntax_help(qtbot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    bar.show()
    assert bar.sort() == "relevance"
    with qtbot.waitSignal(bar.sort_changed):
        bar.sort_order.setCurrentIndex(bar.sort_order.findText("Date"))
    assert bar.sort() == "date"
    qtbot.keyClicks(bar.box, "budget")
    qtbot.mouseClick(bar.syntax, Qt.MouseButton.LeftButton)
    popover = bar.syntax.popover
    qtbot.waitUntil(popover.isVisible)
    assert [button.text() for button in popover.examples] == [example for example, _ in SYNTAX]
    with qtbot.waitSignal(bar.query_changed, check_params_cb=lambda text: text == "budget type:pdf"):
        qtbot.mouseClick(popover.examples[0], Qt.MouseButton.LeftButton)
    assert not popover.isVisible() and bar.box.text() == "budget type:pdf"


def _dated(folder: Path, name: str, when: datetime) -> None:
    os.utime(folder / name, (when.timestamp(), when.timestamp()))


def paths(model) -> list[str]:  # type: ignore[no-untyped-def]
    return [Path(model.index(row, 0).data(PathRole)).name for row in range(model.rowCount())]


def test_the_date_filter_sort_and_typed_filters_narrow_the_window_results(
    qtbot, window, tmp_path: Path, index_by_drop, search
) -> None:
    docs = copy_corpus(DOCS, tmp_path / "docs")
    reports = copy_corpus(MORE_DOCS, tmp_path / "docs" / "reports")
    long_ago = datetime.now() - timedelta(days=400)
    for name in ("drop.md", "concurrency.md", "headings.docx", "mozilla-testing.pdf"):
        _dated(docs, name, long_ago)
    _dated(reports, "box.md", long_ago)
    _dated(reports, "threads.md", datetime.now() - timedelta(days=2))  # the one recent file
    index_by_drop(docs)
    model = search("rust threads and memory")
    assert {"threads.md", "drop.md", "concurrency.md", "box.md"} <= set(paths(model))

    dates = window.search_bar.dates
    with qtbot.waitSignal(window.results.answer_shown, timeout=10_000):
        dates.setCurrentIndex(dates.findText("Past week"))
    assert paths(model) == ["threads.md"]
    with qtbot.waitSignal(window.results.answer_shown, timeout=10_000):
        dates.setCurrentIndex(dates.findText("Any time"))
    assert len(paths(model)) >= 4

    sort = window.search_bar.sort_order
    for label, key in (
        ("Name", lambda hit: Path(hit.path).name.casefold()),
        ("Date", lambda hit: -hit.mtime),
    ):
        with qtbot.waitSignal(window.results.answer_shown, timeout=10_000) as shown:
            sort.setCurrentIndex(sort.findText(label))
        hits = shown.args[0].hits
        assert paths(model) == [Path(hit.path).name for hit in hits]
        assert hits == sorted(hits, key=lambda hit: (not hit.close, key(hit))), label  # close ones first
    assert paths(model)[0] == "threads.md"  # the newest first

    assert set(paths(search("rust in:reports"))) == {"threads.md", "box.md"}  # a sub-folder, by name
    assert paths(search("rust in:reports modified:lastweek")) == ["threads.md"]
