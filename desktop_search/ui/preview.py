"""What the preview pane shows for one passage, built off the GUI thread (no widgets here).

A PDF page is drawn with QtPdf (so it never shares MuPDF with the indexer's thread) and the
passage and the matched words are painted over it like a highlighter; other files show the
passage in its surrounding text, as spans the pane colours.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument

from desktop_search.core.query import STOPWORDS, parse

CONTEXT_CHARS = 4000  # shown before and after a passage in a text preview
MIN_SCALE = 1.0  # pixels per point: 10 pt text is never drawn smaller than 10 pixels
SIDE_MARGIN = 14.0  # points kept left and right of the printed area
PASSAGE_INK = QColor(255, 214, 10, 110)
TERM_INK = QColor(255, 140, 0, 150)
_WORD = re.compile(r"\S+")

Span = tuple[int, int]


@dataclass(frozen=True)
class PreviewRequest:
    path: str
    kind: str | None
    page: int | None  # 1-based
    start: int  # the passage's character span in its page (or file), as indexed
    end: int
    passage: str
    terms: tuple[str, ...]  # words and phrases to mark
    width: int  # device pixels available for a page image
    ratio: float = 1.0  # device pixels per logical pixel


@dataclass(frozen=True)
class PdfPage:
    image: QImage
    page: int  # 1-based
    pages: int
    focus: QRectF | None  # where the passage is, in image pixels
    found: bool  # False if the passage could not be placed on the page


@dataclass(frozen=True)
class TextContext:
    text: str
    passage: Span | None  # within text
    terms: tuple[Span, ...]
    clipped_before: bool
    clipped_after: bool
    note: str | None = None  # why the context is not the whole story


@dataclass(frozen=True)
class PreviewProblem:
    message: str


Preview = PdfPage | TextContext | PreviewProblem


class TextCache:
    """The last few files' extracted pages; used from one thread only."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[str, float, int], list[Any]] = OrderedDict()

    def pages(self, path: str) -> list[Any]:
        """The file's pages of text, as the indexer read them (raises the core's Skipped)."""
        from desktop_search.core import extract as extraction

        stat = os.stat(path)
        key = (path, stat.st_mtime, stat.st_size)
        if key not in self._entries:
            self._entries[key] = extraction.extract(Path(path))[1]
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        self._entries.move_to_end(key)
        return self._entries[key]


def terms_for(query: str, highlighted: Iterable[str]) -> tuple[str, ...]:
    """The words to mark: the query's (less stop words) and the forms the index matched."""
    parsed = parse(query)
    words = [w for w in parsed.words if w.lower() not in STOPWORDS] or list(parsed.words)
    found = dict.fromkeys(t.strip() for t in [*parsed.phrases, *words, *highlighted] if t.strip())
    return tuple(found)


def build_preview(request: PreviewRequest, cache: TextCache) -> Preview:
    if request.kind == "pdf":
        page = render_pdf_page(request)
        if not isinstance(page, PreviewProblem):
            return page
        fallback = _passage_alone(
            request, f"The page cannot be drawn ({page.message}); the passage as indexed:"
        )
        return fallback
    return text_context(request, cache)


def render_pdf_page(request: PreviewRequest) -> PdfPage | PreviewProblem:
    """The passage's page, its side margins cut off, as wide as the pane allows but never so small
    that the text cannot be read (the pane scrolls sideways then)."""
    document = QPdfDocument()
    try:
        if document.load(request.path) != QPdfDocument.Error.None_ or document.pageCount() == 0:
            document.setPassword("")
            if document.load(request.path) != QPdfDocument.Error.None_ or document.pageCount() == 0:
                return PreviewProblem(_pdf_error(document))
        number = min(max(request.page or 1, 1), document.pageCount())
        index = number - 1
        points = document.pagePointSize(index)
        if points.width() <= 0 or points.height() <= 0:
            return PreviewProblem("the page has no size")
        all_text = document.getAllText(index)
        text = all_text.text()
        left, right = _text_columns(all_text, points.width())
        scale = max(request.width / (right - left), MIN_SCALE * request.ratio)
        page = document.render(index, QSize(round(points.width() * scale), round(points.height() * scale)))
        if page.isNull():
            return PreviewProblem("rendering failed")
        image = QImage(
            round((right - left) * scale), page.height(), QImage.Format.Format_ARGB32_Premultiplied
        )
        image.fill(QColor("white"))  # pages are transparent where nothing is printed
        painter = QPainter(image)
        painter.translate(-left * scale, 0)
        painter.drawImage(0, 0, page)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        span = locate(text, request.passage)
        focus = _paint(painter, document, index, [span], scale, PASSAGE_INK) if span else None
        within = [span] if span else [(0, len(text))]
        _paint(painter, document, index, term_spans(text, request.terms, within), scale, TERM_INK)
        painter.end()
        if focus is not None:
            focus.translate(-left * scale, 0)
        image.setDevicePixelRatio(request.ratio)
        return PdfPage(image, number, document.pageCount(), focus, span is not None)
    finally:
        document.close()


def _text_columns(selection: Any, page_width: float) -> tuple[float, float]:
    """(left, right) in points of what is printed across the page, with a little margin; the
    whole width when the page has no text."""
    boxes = [polygon.boundingRect() for polygon in selection.bounds()]
    if not boxes:
        return 0.0, page_width
    left = max(min(box.left() for box in boxes) - SIDE_MARGIN, 0.0)
    right = min(max(box.right() for box in boxes) + SIDE_MARGIN, page_width)
    return (left, right) if right - left > page_width / 4 else (0.0, page_width)


def _paint(
    painter: QPainter, document: QPdfDocument, page: int, spans: Sequence[Span], scale: float, ink: QColor
) -> QRectF | None:
    united: QRectF | None = None
    for start, end in spans:
        for polygon in document.getSelectionAtIndex(page, start, end - start).bounds():
            rect = polygon.boundingRect()
            rect = QRectF(rect.x() * scale, rect.y() * scale, rect.width() * scale, rect.height() * scale)
            rect.adjust(-1.5, -1.5, 1.5, 1.5)
            painter.fillRect(rect, ink)
            united = rect if united is None else united.united(rect)
    return united


def _pdf_error(document: QPdfDocument) -> str:
    error = document.error()
    return {
        QPdfDocument.Error.IncorrectPassword: "it needs a password",
        QPdfDocument.Error.FileNotFound: "the file is gone",
        QPdfDocument.Error.InvalidFileFormat: "the file is damaged",
        QPdfDocument.Error.UnsupportedSecurityScheme: "its encryption is not supported",
    }.get(error, "it cannot be opened")


def text_context(request: PreviewRequest, cache: TextCache) -> TextContext | PreviewProblem:
    from desktop_search.core import extract as extraction

    try:
        pages = cache.pages(request.path)
    except FileNotFoundError:
        return _passage_alone(request, "The file is gone; the passage as indexed:")
    except (OSError, extraction.Skipped) as error:
        return _passage_alone(request, f"The file cannot be read now ({error}); the passage as indexed:")
    page = next((p for p in pages if p.number == request.page), pages[0] if pages else None)
    if page is None:
        return _passage_alone(request, "The file has no text now; the passage as indexed:")
    text, note = _one_newline(page.text), None  # as Qt will show it: \r\n and \r are one line break
    span: Span | None = (request.start, request.end)
    if text[request.start : request.end] != request.passage:
        span = locate(text, request.passage)
        if span is None:
            return _passage_alone(
                request, "The file has changed since it was indexed; the passage as indexed:"
            )
    assert span is not None
    low = text.rfind("\n", 0, max(span[0] - CONTEXT_CHARS, 0)) + 1 if span[0] > CONTEXT_CHARS else 0
    high = text.find("\n", span[1] + CONTEXT_CHARS)
    high = len(text) if high < 0 else high
    shown = text[low:high]
    passage = (span[0] - low, span[1] - low)
    return TextContext(
        shown,
        passage,
        tuple(term_spans(shown, request.terms, [(0, len(shown))])),
        low > 0,
        high < len(text),
        note,
    )


def _one_newline(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _passage_alone(request: PreviewRequest, note: str) -> TextContext:
    text = _one_newline(request.passage)
    return TextContext(
        text, (0, len(text)), tuple(term_spans(text, request.terms, [(0, len(text))])), False, False, note
    )


def term_spans(text: str, terms: Sequence[str], within: Sequence[Span]) -> list[Span]:
    """Where the terms occur in text, inside the given spans; a word matches its longer forms."""
    if not terms:
        return []
    alternatives = sorted(
        (r"\s+".join(re.escape(w) for w in term.split()) for term in terms), key=len, reverse=True
    )
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")\w*", re.IGNORECASE)
    spans = []
    for low, high in within:
        spans.extend(match.span() for match in pattern.finditer(text, low, high))
    return spans


def _normal(word: str) -> str:
    return unicodedata.normalize("NFKC", word).replace("\u00ad", "").casefold()


def locate(haystack: str, needle: str, anchor: int = 6) -> Span | None:
    """Where needle's words run in haystack, whatever the spacing and line breaks between them."""
    found = [(m.start(), m.end(), _normal(m.group())) for m in _WORD.finditer(haystack)]
    wanted = [_normal(w) for w in needle.split()]
    if not found or not wanted:
        return None
    words = [w for _, _, w in found]
    size = min(anchor, len(wanted))
    for offset in range(0, len(wanted) - size + 1, size):
        probe = wanted[offset : offset + size]
        for at in range(len(words) - size + 1):
            if words[at : at + size] == probe:
                first = max(at - offset, 0)
                last = min(first + len(wanted), len(found)) - 1
                tail = wanted[-size:]
                for end in range(min(len(words), last + 2 * size + 1), first + size - 1, -1):
                    if words[end - size : end] == tail:
                        last = end - 1
                        break
                return found[first][0], found[last][1]
    return None
