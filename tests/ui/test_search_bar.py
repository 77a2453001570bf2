"""The search box: one query per pause in typing, at once when emptied, filters as core Filters."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_search.core.extract import EXTRACTORS
from desktop_search.ui.search_bar import DEBOUNCE_MS, SearchBar


def test_typing_sends_one_query_after_a_pause(qtbot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    sent: list[str] = []
    bar.query_changed.connect(sent.append)
    qtbot.keyClicks(bar.box, "ownership rules")  # faster than the debounce
    assert sent == []
    qtbot.waitUntil(lambda: sent == ["ownership rules"], timeout=DEBOUNCE_MS * 10)
    qtbot.wait(DEBOUNCE_MS * 2)
    assert sent == ["ownership rules"]  # once
    bar.box.clear()
    assert sent[-1] == ""  # emptied: at once


def test_enter_flushes_a_waiting_query_and_keys_are_forwarded(qtbot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    sent: list[str] = []
    moves: list[int] = []
    bar.query_changed.connect(sent.append)
    bar.box.navigation_requested.connect(moves.append)
    qtbot.keyClicks(bar.box, "drop")
    assert bar.waiting and sent == []
    bar.flush()
    assert sent == ["drop"] and not bar.waiting
    bar.flush()  # nothing waits any more
    assert sent == ["drop"]
    qtbot.keyClick(bar.box, Qt.Key.Key_Down)
    qtbot.keyClick(bar.box, Qt.Key.Key_PageUp)
    assert moves == [Qt.Key.Key_Down, Qt.Key.Key_PageUp]
    escaped: list[bool] = []
    bar.box.escape_pressed.connect(lambda: escaped.append(True))
    qtbot.keyClick(bar.box, Qt.Key.Key_Escape)  # first Esc empties the box
    assert bar.box.text() == "" and not escaped
    qtbot.keyClick(bar.box, Qt.Key.Key_Escape)  # the next one is said
    assert escaped == [True]


def test_filters_follow_the_choices(qtbot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    assert bar.filters().kinds == () and bar.filters().folders == ()
    bar.set_folders(["/home/me/Books", "/home/me/Notes"])
    with qtbot.waitSignal(bar.filters_changed):
        bar.kinds.setCurrentIndex(bar.kinds.findText("PDF"))
    bar.folders.setCurrentIndex(bar.folders.findData("/home/me/Notes"))
    assert bar.filters().kinds == ("pdf",) and bar.filters().folders == ("/home/me/Notes",)
    with qtbot.waitSignal(bar.filters_changed):  # the chosen folder went away: back to all
        bar.set_folders(["/home/me/Books"])
    assert bar.filters().folders == ()


def test_the_type_filter_offers_every_registered_kind_once(qtbot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    offered = [kind for index in range(bar.kinds.count()) for kind in bar.kinds.itemData(index)]
    assert set(EXTRACTORS) <= set(offered)
    assert len(offered) == len(set(offered))
    with qtbot.waitSignal(bar.filters_changed):
        bar.kinds.setCurrentIndex(bar.kinds.findText("Spreadsheets"))
    assert bar.filters().kinds == ("xlsx", "ods", "xls")
