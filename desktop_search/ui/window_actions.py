"""The window's commands and their shortcuts; the result commands are also the results' context menu."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from desktop_search.ui import icons
from desktop_search.ui.copies_menu import CopiesMenu

if TYPE_CHECKING:
    from desktop_search.ui.main_window import MainWindow

Keys = Sequence[str | QKeySequence.StandardKey]


@dataclass(frozen=True)
class WindowActions:
    open: QAction
    reveal: QAction
    copy: QAction
    sidebar: QAction  # checked while the folders show


def build_actions(window: MainWindow) -> WindowActions:
    def action(text: str, keys: Keys, slot: Callable[[], object]) -> QAction:
        item = QAction(text, window)
        item.setShortcuts([QKeySequence(key) for key in keys])
        item.triggered.connect(slot)
        window.addAction(item)
        return item

    launcher = window.launcher
    opening = action("Open", ["Return"], launcher.open_current)
    reveal = action("Show in folder", ["Ctrl+Return"], launcher.reveal_current)
    for item in (opening, reveal):  # the keys are shown in the menu; the view and the box act on them
        item.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    copy = action("Copy path", ["Ctrl+Shift+C"], launcher.copy_current)
    similar = action("Find similar files", ["Ctrl+Shift+S"], window.find_similar)
    for item in (opening, reveal, copy, similar):
        window.results_view.addAction(item)
    window.results_view.addAction(CopiesMenu(window.results, launcher.open_path, window).menuAction())
    action("Search", ["Ctrl+L", QKeySequence.StandardKey.Find], window.search_bar.focus_box)
    action("Add folder…", [QKeySequence.StandardKey.Open], window.choose_folder)
    action("Files not indexed", ["Ctrl+Shift+P"], window.show_failures)
    action("Quit", [QKeySequence.StandardKey.Quit], window.close)
    sidebar = action("Show folders", ["Ctrl+B"], lambda: window.folders_pane.setVisible(sidebar.isChecked()))
    sidebar.setCheckable(True)
    sidebar.setIcon(icons.line_icon("sidebar"))
    sidebar.setToolTip("Show or hide the folders (Ctrl+B)")
    window.search_bar.sidebar_button.setDefaultAction(sidebar)
    return WindowActions(opening, reveal, copy, sidebar)
