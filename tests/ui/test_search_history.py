"""The window's search history: the drop-down of recent searches under the box (kept across a
restart), "Save search" and the saved searches in the folders pane, re-run against the index now."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_search.ui.history_popup import QueryRole
from desktop_search.ui.results_model import PathRole
from desktop_search.ui.search_history import REST_MS

# The drop-down is a popup, which grabs the keyboard; the offscreen platform cannot, and says so.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")


def entries(popup) -> list[str]:  # type: ignore[no-untyped-def]
    return [popup.item(row).text() for row in range(popup.count())]


def open_window(qtbot, data_dir: Path):  # type: ignore[no-untyped-def]
    from desktop_search.services import Services
    from desktop_search.ui.main_window import MainWindow

    services = Services.open(str(data_dir), isolated=True)
    window = MainWindow(services.store.directory, services)
    window.show()
    qtbot.waitExposed(window)
    window.search_bar.focus_box()
    return services, window


def test_recent_searches_survive_a_restart_newest_first_each_once(qtbot, tmp_path: Path) -> None:
    services, window = open_window(qtbot, tmp_path / "data")
    box = window.search_bar.box
    for query in ("ownership", "fearless  concurrency", "ownership"):
        box.clear()
        qtbot.keyClicks(box, query)
        qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter: the search is meant
    window.close()
    services.close()

    services, window = open_window(qtbot, tmp_path / "data")
    box, popup = window.search_bar.box, window.history.popup
    qtbot.keyClick(box, Qt.Key.Key_Down)  # in the empty box: the recent searches
    assert popup.isVisible()
    assert entries(popup) == ["ownership", "fearless concurrency", "Clear history"]
    assert popup.currentRow() == 0 and QApplication.focusWidget() is popup
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()

    qtbot.keyClick(box, Qt.Key.Key_Down)
    for _ in range(2):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # "Clear history"
    assert not popup.isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert entries(popup) == ["No recent searches yet"]
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    window.close()
    services.close()


def test_the_drop_down_opens_from_the_keyboard_and_runs_the_picked_search(
    qtbot, window, docs: Path, index_by_drop, search, opened_urls
) -> None:
    index_by_drop(docs)
    history = window.services.history()
    box, popup = window.search_bar.box, window.history.popup
    search("fearless concurrency")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # opens the first result: the search is meant
    assert [r.query for r in history.recent()] == ["fearless concurrency"]

    box.clear()
    search("drop trait")  # typed on past "d", "dr", "drop"…: only the query left on screen counts
    qtbot.waitUntil(lambda: len(history.recent()) == 2, timeout=REST_MS * 5)
    assert [r.query for r in history.recent()] == ["drop trait", "fearless concurrency"]

    qtbot.keyClick(box, Qt.Key.Key_Escape)  # empties the box
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert popup.isVisible() and entries(popup)[:2] == ["drop trait", "fearless concurrency"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    assert popup.currentItem().data(QueryRole) == "fearless concurrency"
    with qtbot.waitSignal(
        window.results.answer_shown,
        timeout=15_000,
        check_params_cb=lambda a: a.text == "fearless concurrency",
    ):
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert not popup.isVisible() and box.text() == "fearless concurrency"
    assert window.focusWidget() is box  # back in the box, to type on (offscreen activates no window)
    assert window.results.model.rowCount() > 0
    assert [r.query for r in history.recent()] == ["fearless concurrency", "drop trait"]  # the newest again

    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.keyClicks(popup, "x")  # typing: the popup goes, the letters go to the box
    assert not popup.isVisible() and box.text() == "x"


def test_a_saved_search_is_pinned_and_re_run_live(
    qtbot, window, docs: Path, more_docs: Path, index_by_drop, search
) -> None:
    index_by_drop(docs)
    box, saved = window.search_bar.box, window.folders_pane.saved_searches
    assert not saved.isVisible()
    search("spawn threads")
    qtbot.keyClick(box, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save search
    dialog = window.history.save_dialog
    assert dialog is not None and dialog.textValue() == "spawn threads"  # the query by default
    dialog.setTextValue("Threads")
    dialog.accept()
    assert saved.isVisible() and saved.names() == ["Threads"]
    assert window.services.history().saved()[0].query == "spawn threads"
    before = {index.data(PathRole) for index in _rows(window)}
    assert str(more_docs / "threads.md") not in before

    qtbot.keyClick(box, Qt.Key.Key_Escape)  # nothing on screen
    index_by_drop(more_docs)  # the index grows after the search was saved
    item = saved.item_named("Threads")
    assert item is not None
    with qtbot.waitSignal(
        window.results.answer_shown, timeout=15_000, check_params_cb=lambda a: a.text == "spawn threads"
    ):
        rect = saved.list.visualItemRect(item)
        qtbot.mouseClick(saved.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert box.text() == "spawn threads"
    assert str(more_docs / "threads.md") in {index.data(PathRole) for index in _rows(window)}

    saved.list.setCurrentItem(item)
    assert saved.remove_action in saved.list.actions()  # the context menu's
    saved.remove_action.trigger()
    assert not saved.isVisible() and window.services.history().saved() == []


def _rows(window):  # type: ignore[no-untyped-def]
    model = window.results.model
    return [model.index(row, 0) for row in range(model.rowCount())]
