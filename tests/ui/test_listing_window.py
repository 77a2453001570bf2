"""Filters typed alone in the window's box (`modified:lastweek`, `type:image`) list the files
passing them, newest first, on real files whose dates are set with os.utime; an empty box keeps
its start message, whatever the menus say."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from desktop_search.ui.results_model import PathRole
from tests.ui.conftest import MORE_DOCS, copy_corpus

PICTURE = {"images/notext/pillow__flower.jpg": "flower.jpg"}  # no text: listed all the same


def _dated(path: Path, when: datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


def paths(model) -> list[str]:  # type: ignore[no-untyped-def]
    return [Path(model.index(row, 0).data(PathRole)).name for row in range(model.rowCount())]


def test_typed_filters_alone_list_the_files_newest_first(
    qtbot, window, tmp_path: Path, index_by_drop, search
):
    docs = copy_corpus(MORE_DOCS, tmp_path / "docs")
    copy_corpus(PICTURE, docs / "photos")
    _dated(docs / "box.md", datetime.now() - timedelta(days=400))
    _dated(docs / "threads.md", datetime.now() - timedelta(days=2))
    _dated(docs / "photos" / "flower.jpg", datetime.now() - timedelta(hours=1))
    index_by_drop(docs)

    model = search("modified:lastweek")
    assert paths(model) == ["flower.jpg", "threads.md"]
    assert window.results.currentWidget() is window.results.view  # not "No close matches"
    assert paths(search("type:image")) == ["flower.jpg"]
    assert paths(search("in:photos")) == ["flower.jpg"]

    with qtbot.waitSignal(window.search.cleared):
        window.search_bar.box.clear()
    dates = window.search_bar.dates
    dates.setCurrentIndex(dates.findText("Past week"))  # a menu alone, the box empty: no listing
    assert not window.search.waiting and window.search.text == ""  # nothing was asked
    assert window.results.currentWidget() is window.results.message
    assert window.results.message.title.text().startswith("Search ")
    assert model.rowCount() == 0
