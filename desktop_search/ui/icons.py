"""The app's icons (resources/icons): its own logo, a badge per file type, and line icons drawn
in the palette's text colour at paint time, so they follow light and dark."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from desktop_search import paths

KIND_NAMES = {
    "pdf": "PDF",
    "docx": "Word document",
    "text": "Text",
    "html": "Web page",
    "email": "E-mail",
    "mbox": "Mail folder (mbox)",
    "epub": "E-book",
    "rtf": "Rich text document",
    "doc": "Word 97-2003 document",
    "xls": "Excel 97-2003 workbook",
    "ppt": "PowerPoint 97-2003 presentation",
    "code": "Source code",
    "pptx": "PowerPoint presentation",
    "xlsx": "Excel spreadsheet",
    "odt": "OpenDocument text",
    "ods": "OpenDocument spreadsheet",
    "odp": "OpenDocument presentation",
    "image": "Image",
}


def icons_dir() -> str:
    return str(paths.resources_dir() / "icons")


@cache
def app_icon() -> QIcon:
    icon = QIcon(f"{icons_dir()}/desktop-search.svg")
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(f"{icons_dir()}/desktop-search-{size}.png")
    return icon


@cache
def kind_icon(kind: str | None) -> QIcon:
    return QIcon(f"{icons_dir()}/kind-{kind if kind in KIND_NAMES else 'other'}.svg")


@cache
def line_icon(name: str) -> QIcon:
    """One of the line icons (search, open, folder, folder-add, copy, pause, play, stop, more,
    warning, remove, refresh), in the colour of text on buttons."""
    return QIcon(_TintedSvgEngine(f"{icons_dir()}/{name}.svg"))


class _TintedSvgEngine(QIconEngine):
    """Draws a one-colour SVG in the current palette's colour for the icon's mode."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self._path = path
        self._renderer = QSvgRenderer(path)
        self._drawn: dict[tuple[int, int, float, int], QPixmap] = {}  # (w, h, scale, colour) -> pixmap

    def clone(self) -> QIconEngine:
        return _TintedSvgEngine(self._path)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        pixmap = self.scaledPixmap(rect.size(), mode, state, ratio)
        painter.drawPixmap(rect, pixmap)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        colour = _colour(mode)
        key = (size.width(), size.height(), scale, colour.rgba())
        if key not in self._drawn:
            self._drawn[key] = self._draw(size, colour, scale)
        return self._drawn[key]

    def _draw(self, size: QSize, colour: QColor, scale: float) -> QPixmap:
        pixmap = QPixmap(size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        if size.isEmpty():
            return pixmap
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer.render(painter, QRect(QPoint(0, 0), size))
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(QRect(QPoint(0, 0), size), colour)
        painter.end()
        return pixmap


def warm_up() -> None:
    """Draw every icon once (the first drawing loads the SVG support): not in the middle of work."""
    for kind in (*KIND_NAMES, None):
        kind_icon(kind).pixmap(32, 32)
    for name in (
        "search",
        "open",
        "folder",
        "folder-add",
        "copy",
        "pause",
        "play",
        "stop",
        "more",
        "warning",
        "remove",
        "refresh",
        "sidebar",
    ):
        line_icon(name).pixmap(16, 16)
    app_icon().pixmap(72, 72)


def _colour(mode: QIcon.Mode) -> QColor:
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorRole.HighlightedText)
    colour = palette.color(QPalette.ColorRole.ButtonText)
    colour.setAlphaF(0.85)
    return colour
