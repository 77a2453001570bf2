"""Small widgets the panes share: an eliding label, a page image view, a centred message."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" rather than growing the layout."""

    def __init__(self, text: str = "", mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = text
        self._mode = mode
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setText(text)

    def setText(self, text: str) -> None:  # type: ignore[override]
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
    """A centred title and explanation, for empty states ("No results for …")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.body = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.body.setForegroundRole(self.body.foregroundRole())
        self.body.setEnabled(False)  # the palette's secondary text colour, in light and dark
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addStretch(3)

    def show_message(self, title: str, body: str = "") -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.body.setVisible(bool(body))


class PageView(QScrollArea):
    """A page image fitted to the width, scrolled so a rectangle of interest is in view."""

    width_changed = Signal(int)  # device pixels now available for the page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._canvas = _Canvas()
        self.setWidget(self._canvas)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._focus: QRectF | None = None

    def available_width(self) -> int:
        ratio = self.devicePixelRatioF()
        return max(int((self.viewport().width() - 2 * _Canvas.MARGIN) * ratio), 200)

    def set_page(self, image: QImage, focus: QRectF | None) -> None:
        self._canvas.image = image
        self._focus = focus
        self._fit()
        self._scroll_to_focus()

    def image(self) -> QImage:
        return self._canvas.image

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
        image = self._canvas.image
        if not image.isNull() and abs(image.width() - self.available_width()) > image.width() * 0.1:
            self.width_changed.emit(self.available_width())

    def _fit(self) -> None:
        image = self._canvas.image
        width = self.viewport().width()
        if image.isNull():
            self._canvas.resize(width, 0)
            return
        inner = width - 2 * _Canvas.MARGIN
        self._canvas.resize(width, int(inner * image.height() / image.width()) + 2 * _Canvas.MARGIN)

    def _scroll_to_focus(self) -> None:
        image = self._canvas.image
        if self._focus is None or image.isNull():
            self.verticalScrollBar().setValue(0)
            return
        scale = (self.viewport().width() - 2 * _Canvas.MARGIN) / image.width()
        top = self._focus.top() * scale + _Canvas.MARGIN
        self.verticalScrollBar().setValue(int(max(top - self.viewport().height() / 5, 0)))


class _Canvas(QWidget):
    MARGIN = 12

    def __init__(self) -> None:
        super().__init__()
        self.image = QImage()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.image.isNull():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        target = QRectF(self.MARGIN, self.MARGIN, self.width() - 2 * self.MARGIN, self.height() - 2 * self.MARGIN)
        painter.fillRect(target.adjusted(1, 2, 3, 4), self.palette().shadow().color().lighter(150))
        painter.drawImage(target, self.image)
        painter.end()
