"""The folders pane's "Saved searches": each runs its query again on a click (or Enter), against
the index as it is now; its context menu removes it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop_search.ui import icons

if TYPE_CHECKING:
    from desktop_search.core.history import SavedSearch

NameRole = Qt.ItemDataRole.UserRole + 1
QueryRole = Qt.ItemDataRole.UserRole + 2
VISIBLE_ROWS = 8


class SavedSearchList(QListWidget):
    """Enter runs the current saved search, as a click does."""

    entered = Signal(QListWidgetItem)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self.entered.emit(self.currentItem())
        else:
            super().keyPressEvent(event)


class SavedSearchesView(QWidget):
    run_requested = Signal(str)  # the saved query
    remove_requested = Signal(str)  # the saved search's name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Saved searches")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.list = SavedSearchList()
        self.list.setAccessibleName("Saved searches")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setIconSize(QSize(16, 16))
        self.list.setStyleSheet("QListWidget::item { padding: 3px 2px; }")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.remove_action = QAction(icons.line_icon("remove"), "Remove saved search", self)
        self.list.addAction(self.remove_action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list)
        self.list.itemClicked.connect(self._run)
        self.list.entered.connect(self._run)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        self.remove_action.triggered.connect(self._on_remove_action_triggered)
        self.set_searches([])

    def set_searches(self, searches: Sequence[SavedSearch]) -> None:
        self.list.clear()
        for search in searches:
            item = QListWidgetItem(icons.line_icon("star"), search.name, self.list)
            item.setData(NameRole, search.name)
            item.setData(QueryRole, search.query)
            item.setToolTip(f"{search.query}\nClick to search again")
        rows = min(len(searches), VISIBLE_ROWS)
        self.list.setFixedHeight(rows * max(self.list.sizeHintForRow(0), 1) + 2 * self.list.frameWidth())
        self.setVisible(bool(searches))
        self._on_list_current_item_changed()

    def names(self) -> list[str]:
        return [self.list.item(row).data(NameRole) for row in range(self.list.count())]

    def item_named(self, name: str) -> QListWidgetItem | None:
        found = [self.list.item(row) for row in range(self.list.count())]
        return next((item for item in found if item.data(NameRole) == name), None)

    def _run(self, item: QListWidgetItem) -> None:
        self.run_requested.emit(item.data(QueryRole))

    def _on_list_current_item_changed(self, *_: object) -> None:
        self.remove_action.setEnabled(self.list.currentItem() is not None)

    def _on_remove_action_triggered(self) -> None:
        if item := self.list.currentItem():
            self.remove_requested.emit(item.data(NameRole))
