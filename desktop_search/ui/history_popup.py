"""The recent searches, dropped down under the search box: arrows and Enter pick one, Esc (or Up
from the first) closes it, typing goes on in the box; "Clear history" ends the list."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QFrame, QListWidget, QListWidgetItem, QWidget

from desktop_search.ui import icons

QueryRole = Qt.ItemDataRole.UserRole + 1  # the search an entry runs; None on "Clear history"
VISIBLE_ROWS = 10


class HistoryPopup(QListWidget):
    picked = Signal(str)  # a recent search chosen
    clear_requested = Signal()

    def __init__(self, anchor: QWidget) -> None:
        super().__init__(anchor)
        self._anchor = anchor
        self.setWindowFlags(Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Recent searches")
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(16, 16))
        self.setStyleSheet("QListWidget::item { padding: 4px 6px; }")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemClicked.connect(self._choose)

    def open_with(self, queries: Sequence[str]) -> None:
        """Show these searches (newest first) under the anchor, the newest one current."""
        self.clear()
        for query in queries:
            item = QListWidgetItem(icons.line_icon("history"), query, self)
            item.setData(QueryRole, query)
            item.setToolTip(query)
        if queries:
            clear = QListWidgetItem(icons.line_icon("remove"), "Clear history", self)
            clear.setData(QueryRole, None)
            clear.setToolTip("Forget the recent searches (saved searches stay)")
            clear.setForeground(self.palette().placeholderText())  # a command, not a search
        else:
            empty = QListWidgetItem("No recent searches yet", self)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
        self.setCurrentRow(0 if queries else -1)
        rows = min(self.count(), VISIBLE_ROWS)
        frame = 2 * self.frameWidth()
        self.setFixedSize(self._anchor.width(), rows * max(self.sizeHintForRow(0), 1) + frame)
        self.move(self._anchor.mapToGlobal(QPoint(0, self._anchor.height())))
        self.show()
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if item := self.currentItem():
                self._choose(item)
        elif key == Qt.Key.Key_Escape or (key == Qt.Key.Key_Up and self.currentRow() <= 0):
            self.hide()
        elif (
            event.text().isprintable()
            and event.text()
            and not event.modifiers()
            & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        ):
            self.hide()  # typing a new search: the letters belong to the box
            QApplication.sendEvent(self._anchor, event)
        else:
            super().keyPressEvent(event)

    def _choose(self, item: QListWidgetItem) -> None:
        if not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        self.hide()
        query = item.data(QueryRole)
        if query is None:
            self.clear_requested.emit()
        else:
            self.picked.emit(query)
