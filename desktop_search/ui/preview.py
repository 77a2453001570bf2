"""A sandboxed preview (core/preview_reader.py) made ready to show, off the GUI thread (no widgets).

The window's process never opens the file: the child draws a PDF's page and says where the
passage and the matched words are; here they are painted over it like a highlighter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from desktop_search.core.preview_reader import (
    PageImage,
    PreviewProblem,
    PreviewReader,
    PreviewRequest,
    Rect,
    TextContext,
)

PASSAGE_INK = QColor(255, 214, 10, 110)
TERM_INK = QColor(255, 140, 0, 150)
INK_MARGIN = 1.5  # pixels of highlight around each line's box


@dataclass(frozen=True)
class PdfPage:
    image: QImage
    page: int  # 1-based
    pages: int
    focus: QRectF | None  # where the passage is, in image pixels
    found: bool  # False if the passage could not be placed on the page


Preview = PdfPage | TextContext | PreviewProblem


def build_preview(reader: PreviewReader, request: PreviewRequest) -> Preview:
    """The preview of one passage; runs on the preview worker's thread."""
    preview = reader(request)
    if isinstance(preview, PageImage):
        return paint_page(preview, request.ratio)
    return preview


def paint_page(page: PageImage, ratio: float) -> PdfPage:
    raw = QImage(page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB888)
    image = raw.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)  # a copy: owns its pixels
    painter = QPainter(image)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
    focus = _paint(painter, page.passage, PASSAGE_INK)
    _paint(painter, page.terms, TERM_INK)
    painter.end()
    image.setDevicePixelRatio(ratio)
    return PdfPage(image, page.page, page.pages, focus, bool(page.passage))


def _paint(painter: QPainter, boxes: Sequence[Rect], ink: QColor) -> QRectF | None:
    united: QRectF | None = None
    for left, top, right, bottom in boxes:
        rect = QRectF(QPointF(left, top), QPointF(right, bottom))
        rect.adjust(-INK_MARGIN, -INK_MARGIN, INK_MARGIN, INK_MARGIN)
        painter.fillRect(rect, ink)
        united = rect if united is None else united.united(rect)
    return united
