"""Small widgets the panes share: an eliding label, a page image view, a centred message."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QImage, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from desktop_search.ui import icons


def qt_positions(text: str) -> Callable[[int], int]:
    """Python string index -> position in Qt's copy of text (UTF-16: a character beyond the
    Basic Multilingual Plane, an emoji say, counts twice)."""
    if max(text, default="") < "\U00010000":
        return lambda index: min(max(index, 0), len(text))
    offsets = list(itertools.accumulate((2 if ord(c) > 0xFFFF else 1 for c in text), initial=0))
    return lambda index: offsets[min(max(index, 0), len(text))]


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" rather than growing the layout."""

    def __init__(
        self,
        text: str = "",
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._full = text
        self._mode = mode
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self._elide()

    def full_text(self) -> str:
        return self._full

    def minimumSizeHint(self) -> QSize:
        return QSize(10, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = QFontMetrics(self.font()).elidedText(self._full, self._mode, max(self.width(), 10))
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")


class MessageView(QWidget):
    """A centred picture, title, explanation and button, for empty states ("No results for …")."""

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picture = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.body = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.body.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # secondary text, light or dark
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.action = QPushButton()
        self.action.setMinimumWidth(160)
        self.action.clicked.connect(self.action_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(10)
        layout.addStretch(2)
        layout.addWidget(self.picture)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        self.show_message("")

    def show_message(
        self,
        title: str,
        body: str = "",
        *,
        icon: QIcon | None = None,
        action: str = "",
        action_icon: str = "folder-add",
    ) -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.body.setVisible(bool(body))
        self.picture.setVisible(icon is not None)
        if icon is not None:
            self.picture.setPixmap(icon.pixmap(72, 72))
        self.action.setText(action)
        if action:
            self.action.setIcon(icons.line_icon(action_icon))
        self.action.setVisible(bool(action))


class PageView(QScrollArea):
    """A page image fitted to the width (or at its own size, scrolling sideways, if that is
    wider), scrolled so a rectangle of interest is in view."""

    width_changed = Signal(int)  # device pixels now available for the page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._canvas = _Canvas()
        self.setWidget(self._canvas)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundRole(QPalette.ColorRole.Mid)
        self._focus: QRectF | None = None

    def available_width(self) -> int:
        return max(int((self.viewport().width() - 2 * _Canvas.MARGIN) * self.devicePixelRatioF()), 200)

    def set_page(self, image: QImage, focus: QRectF | None) -> None:
        self._canvas.image = image
        self._focus = focus
        self._fit()
        self._scroll_to_focus()
        self._canvas.update()

    def image(self) -> QImage:
        return self._canvas.image

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
        image = self._canvas.image
        if not image.isNull() and abs(image.width() - self.available_width()) > image.width() * 0.1:
            self.width_changed.emit(self.available_width())

    def _scale(self) -> float:
        """Logical pixels on screen per pixel of the image: fitted to the width, but shrunk by no
        more than 15% (wider pages scroll sideways rather than turn unreadable)."""
        image = self._canvas.image
        inner = self.viewport().width() - 2 * _Canvas.MARGIN
        natural = 1 / image.devicePixelRatio()
        return max(min(inner / image.width(), natural * 1.25), natural * 0.85) if image.width() else 1.0

    def _fit(self) -> None:
        image = self._canvas.image
        if image.isNull():
            self._canvas.resize(self.viewport().width(), 0)
            return
        scale = self._scale()
        width = int(image.width() * scale) + 2 * _Canvas.MARGIN
        self._canvas.resize(
            max(width, self.viewport().width()), int(image.height() * scale) + 2 * _Canvas.MARGIN
        )
        self._canvas.target = QRectF(
            (self._canvas.width() - width) / 2 + _Canvas.MARGIN,
            _Canvas.MARGIN,
            image.width() * scale,
            image.height() * scale,
        )

    def _scroll_to_focus(self) -> None:
        if self._focus is None or self._canvas.image.isNull():
            self.verticalScrollBar().setValue(0)
            self.horizontalScrollBar().setValue(0)
            return
        scale, target = self._scale(), self._canvas.target
        top = target.top() + self._focus.top() * scale
        self.verticalScrollBar().setValue(int(max(top - self.viewport().height() / 5, 0)))
        left = target.left() + self._focus.left() * scale
        self.horizontalScrollBar().setValue(int(max(left - _Canvas.MARGIN, 0)))


class _Canvas(QWidget):
    MARGIN = 12

    def __init__(self) -> None:
        super().__init__()
        self.image = QImage()
        self.target = QRectF()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.image.isNull():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.target.adjusted(1, 2, 2, 3), QColor(0, 0, 0, 60))
        painter.drawImage(self.target, self.image)
        painter.end()
