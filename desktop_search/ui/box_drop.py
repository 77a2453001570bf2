"""A file dropped on the search box asks for the files like it (the rest of the window adds what
is dropped to the index). Folders dropped on the box go on to the window, as before."""

from __future__ import annotations

import os

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QDropEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop_search.ui.desktop import dropped_paths


def dropped_file(event: QDropEvent) -> str | None:
    """The first file (not folder) in a drag, if any."""
    return next((path for path in dropped_paths(event.mimeData()) if os.path.isfile(path)), None)


class BoxDropTarget(QObject):
    """Takes the file drags and drops of a search box; says "Drop to find files like it" meanwhile."""

    file_dropped = Signal(str)

    def __init__(self, box: QLineEdit) -> None:
        super().__init__(box)
        self._box = box
        self.veil = _Veil(box)
        box.setAcceptDrops(True)
        box.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(event, QDropEvent):
            if dropped_file(event):
                event.acceptProposedAction()
                self.veil.setGeometry(self._box.rect())
                self.veil.show()
                self.veil.raise_()  # above the box's own buttons (clear, save)
                return True
            if dropped_paths(event.mimeData()):
                event.ignore()  # folders: the window's to add
                return True
        elif kind == QEvent.Type.DragLeave:
            self.veil.hide()
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            self.veil.hide()
            if path := dropped_file(event):
                event.acceptProposedAction()
                self.file_dropped.emit(path)
                return True
            if dropped_paths(event.mimeData()):
                event.ignore()
                return True
        return False


class _Veil(QWidget):
    """Over the box while a file is dragged onto it."""

    TEXT = "Drop to find the files like it"

    def __init__(self, box: QWidget) -> None:
        super().__init__(box)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setBrush(self.palette().color(QPalette.ColorRole.Base))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(QRectF(self.rect()), 4, 4)
        fill = QColor(accent)
        fill.setAlpha(40)
        painter.setBrush(fill)
        painter.setPen(QPen(accent, 2, Qt.PenStyle.DashLine))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.TEXT)
        painter.end()
