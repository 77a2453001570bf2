"""The results list: a tree view of files and their passages, drawn by ui/result_delegate.py."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from desktop_search.ui.result_delegate import ResultDelegate


class ResultsView(QTreeView):
    open_requested = Signal()  # Enter, Return or a double click on a row
    reveal_requested = Signal()  # Ctrl+Enter
    left_at_top = Signal()  # Up on the first row: back to the search box
    escape_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(False)
        self.setItemDelegate(ResultDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setExpandsOnDoubleClick(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setIndentation(18)
        self.setAnimated(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setAccessibleName("Results")
        self.doubleClicked.connect(self._on_self_double_clicked)

    def select_row(self, row: int) -> None:
        model = self.model()
        if model is not None and 0 <= row < model.rowCount():
            self.setCurrentIndex(model.index(row, 0))

    def step(self, key: int) -> None:
        """Move the current row as if key were pressed here (the search box forwards arrows)."""
        actions = {
            Qt.Key.Key_Down: QAbstractItemView.CursorAction.MoveDown,
            Qt.Key.Key_Up: QAbstractItemView.CursorAction.MoveUp,
            Qt.Key.Key_PageDown: QAbstractItemView.CursorAction.MovePageDown,
            Qt.Key.Key_PageUp: QAbstractItemView.CursorAction.MovePageUp,
        }
        action = actions.get(Qt.Key(key))
        if action is not None:
            index = self.moveCursor(action, Qt.KeyboardModifier.NoModifier)
            if index.isValid():
                self.setCurrentIndex(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if modifiers & Qt.KeyboardModifier.ControlModifier:
                self.reveal_requested.emit()
            else:
                self.open_requested.emit()
            return
        if key == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        if (
            key == Qt.Key.Key_Up
            and self.currentIndex().row() <= 0
            and not self.currentIndex().parent().isValid()
        ):
            self.left_at_top.emit()
            return
        super().keyPressEvent(event)

    def _on_self_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit()
