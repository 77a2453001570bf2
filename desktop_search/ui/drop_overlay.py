"""Dropping on the window: a veil while folders are dragged over it ("Drop to add to your
index"), and the dropped paths as a signal."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QDropEvent, QFont, QPainter, QPaintEvent, QPalette, QPen, QShowEvent
from PySide6.QtWidgets import QWidget

from desktop_search.ui.desktop import dropped_paths


class DropOverlay(QWidget):
    """Covers `parent`; takes the drags and drops of `window` (which must accept drops)."""

    paths_dropped = Signal(list)

    def __init__(self, parent: QWidget, window: QWidget) -> None:
        super().__init__(parent)
        self._area = parent
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.text = "Drop to add to your index"
        self.hide()
        parent.installEventFilter(self)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._area and kind == QEvent.Type.Resize:
            self.setGeometry(self._area.rect())
        elif kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(event, QDropEvent):
            if dropped_paths(event.mimeData()):
                event.acceptProposedAction()
                self.show()
            else:
                event.ignore()
            return True
        elif kind == QEvent.Type.DragLeave:
            self.hide()
            return True
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            self.hide()
            if paths := dropped_paths(event.mimeData()):
                event.acceptProposedAction()
                self.paths_dropped.emit(paths)
            return True
        return False

    def showEvent(self, event: QShowEvent) -> None:
        self.setGeometry(self._area.rect())
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        veil = self.palette().color(QPalette.ColorRole.Window)
        veil.setAlpha(215)
        painter.fillRect(self.rect(), veil)
        frame = QRectF(self.rect()).adjusted(16, 16, -16, -16)
        pen = QPen(accent, 3, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        fill = QColor(accent)
        fill.setAlpha(28)
        painter.setBrush(fill)
        painter.drawRoundedRect(frame, 18, 18)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(frame, Qt.AlignmentFlag.AlignCenter, self.text)
        painter.end()
