"""What the preview shows for one passage, read in a sandbox (core/sandbox.py) like indexing reads.

A PDF's page or an image comes back drawn (by MuPDF, at the pane's width) with where the passage
and the matched words are on it (for a scanned page, from the word boxes OCR kept); other files
come back as the passage in its surrounding text. A file
that hangs, crashes or bloats the child gives a PreviewProblem, never a stalled window.
"""

from __future__ import annotations

import math
import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from desktop_search.core.catalog import Catalog, file_key
from desktop_search.core.catalog.ocr_pages import Box
from desktop_search.core.extract import ERROR, PASSWORD, Page, Skipped, extract
from desktop_search.core.highlight import Span, locate, locate_words, term_spans
from desktop_search.core.reader import check_size
from desktop_search.core.sandbox import MEMORY_BUDGET, Sandbox

TIME_BUDGET = 15.0  # seconds per preview: someone is waiting for it
CONTEXT_CHARS = 4000  # shown before and after a passage in a text preview
MIN_SCALE = 1.0  # pixels per point: 10 pt text is never drawn smaller than 10 pixels
SIDE_MARGIN = 14.0  # points kept left and right of the printed area
MAX_PIXELS = 40_000_000  # a poster-sized page is drawn smaller rather than with gigabytes

Rect = tuple[float, float, float, float]  # left, top, right, bottom in image pixels
Word = tuple[float, float, float, float, str, int, int, int]  # MuPDF's: box, text, block, line, number


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
    ocr: bool = False  # the passage was read by OCR: its words' boxes come from the catalog
    ocr_words: tuple[tuple[str, Box], ...] = ()  # filled in by PreviewReader before drawing


@dataclass(frozen=True)
class PageImage:
    """A PDF page, its side margins cut off, as 8-bit RGB rows of `stride` bytes."""

    pixels: bytes
    width: int
    height: int
    stride: int
    page: int  # 1-based
    pages: int
    passage: tuple[Rect, ...]  # one per line of the passage; empty if it could not be placed
    terms: tuple[Rect, ...]  # the matched words, within the passage (or the page)


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


Preview = PageImage | TextContext | PreviewProblem


class PreviewReader:
    """Builds previews in a child process of its own; used from one thread at a time."""

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        time_budget: float = TIME_BUDGET,
        memory_budget: int = MEMORY_BUDGET,
    ) -> None:
        """catalog: where OCR'd pages' word boxes are (a connection of its own is opened from it,
        in the thread that asks for previews)."""
        self._catalog = catalog
        self._connection: Catalog | None = None
        self._sandbox = Sandbox(
            _start_previewing,
            None,
            name="desktop-search-preview",
            time_budget=time_budget,
            memory_budget=memory_budget,
        )

    def __call__(self, request: PreviewRequest) -> Preview:
        if request.ocr and self._catalog is not None:
            if self._connection is None:
                self._connection = self._catalog.new_connection()
            read = self._connection.ocr.page(file_key(request.path), request.page or 1)
            request = replace(request, ocr_words=read.words if read else ())
        try:
            preview: Preview = self._sandbox(request)
        except Skipped as skipped:
            return PreviewProblem(f"could not show this file: {skipped.reason}")
        except (OSError, RuntimeError) as error:  # the child could not be started
            return PreviewProblem(f"could not show this file: {error}")
        return preview

    def close(self) -> None:
        self._sandbox.close()
        if self._connection is not None:
            self._connection.close()


def _start_previewing(_: None) -> Callable[[PreviewRequest], Preview]:
    """In the child: one cache of extracted texts for all the previews it builds."""
    cache = TextCache()
    return lambda request: build_preview(request, cache)


class TextCache:
    """The last few files' extracted pages."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[str, float, int], list[Page]] = OrderedDict()

    def pages(self, path: str, kind: str | None) -> list[Page]:
        """The file's pages of text, as the indexer read them (raises Skipped, OSError)."""
        check_size(Path(path), kind)
        stat = os.stat(path)
        key = (path, stat.st_mtime, stat.st_size)
        if key not in self._entries:
            self._entries[key] = extract(Path(path))[1]
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        self._entries.move_to_end(key)
        return self._entries[key]


def build_preview(request: PreviewRequest, cache: TextCache) -> TextContext | PageImage:
    """The work itself, in whichever process runs it."""
    if request.kind not in ("pdf", "image"):
        return text_context(request, cache)
    try:
        return render_pdf_page(request)
    except FileNotFoundError:
        return _passage_alone(request, "The file is gone; the passage as indexed:")
    except MemoryError:
        raise  # the sandbox says so
    except Exception as error:  # MuPDF raises several types for damaged files
        reason = error.reason if isinstance(error, Skipped) else "the file is damaged"
        return _passage_alone(request, f"The page cannot be drawn ({reason}); the passage as indexed:")


def render_pdf_page(request: PreviewRequest) -> PageImage:
    """The passage's page, its side margins cut off, as wide as the pane allows but never so small
    that the text cannot be read (the pane scrolls sideways then)."""
    import pymupdf  # imported here: only the child draws pages

    if not os.path.exists(request.path):
        raise FileNotFoundError(request.path)
    with pymupdf.open(request.path, filetype="pdf" if request.kind == "pdf" else None) as document:
        if document.needs_pass and not document.authenticate(""):
            raise Skipped(PASSWORD, "it needs a password")
        if document.page_count == 0:
            raise Skipped(ERROR, "it has no pages")
        number = min(max(request.page or 1, 1), document.page_count)
        page = document[number - 1]
        area = page.rect
        if area.is_empty:
            raise Skipped(ERROR, "the page has no size")
        if request.ocr:
            words = _ocr_words(request.ocr_words, area.width, area.height)
        else:
            words = _upright(page.get_text("words"), tuple(page.rotation_matrix))
        left, right = _text_columns(words, area.x0, area.x1)
        scale = max(request.width / (right - left), MIN_SCALE * request.ratio)
        scale = min(scale, math.sqrt(MAX_PIXELS / ((right - left) * area.height)))
        clip = (left, area.y0, right, area.y1)
        pixmap = page.get_pixmap(matrix=(scale, 0, 0, scale, 0, 0), clip=clip, alpha=False)

        def to_image(box: Rect) -> Rect:
            return (
                (box[0] - left) * scale,
                (box[1] - area.y0) * scale,
                (box[2] - left) * scale,
                (box[3] - area.y0) * scale,
            )

        run = locate_words([w[4] for w in words], request.passage)
        passage = _line_boxes(words, range(run[0], run[1] + 1)) if run else []
        terms = []
        for indices in _term_words(words, request.terms, run):
            terms.extend(_line_boxes(words, indices))
        return PageImage(
            pixmap.samples,
            pixmap.width,
            pixmap.height,
            pixmap.stride,
            number,
            document.page_count,
            tuple(map(to_image, passage)),
            tuple(map(to_image, terms)),
        )


def _ocr_words(words: Sequence[tuple[str, Box]], width: float, height: float) -> list[Word]:
    """OCR's words (boxes as fractions of the page) in MuPDF's form, a new line wherever a word
    does not sit beside the one before it."""
    found: list[Word] = []
    line = 0
    for number, (text, (x0, y0, x1, y1)) in enumerate(words):
        box = (x0 * width, y0 * height, x1 * width, y1 * height)
        if found:
            last = found[-1]
            middle = (box[1] + box[3]) / 2
            if not last[1] <= middle <= last[3] or box[0] < last[0]:
                line += 1
        found.append((*box, text, 0, line, number))
    return found


def _upright(words: list[Word], matrix: tuple[float, ...]) -> list[Word]:
    """The words' boxes on the page as shown: MuPDF gives them as if it were not rotated."""
    if matrix == (1.0, 0.0, 0.0, 1.0, 0.0, 0.0):
        return words
    a, b, c, d, e, f = matrix
    turned = []
    for x0, y0, x1, y1, text, block, line, number in words:
        xs = (a * x0 + c * y0 + e, a * x1 + c * y1 + e)
        ys = (b * x0 + d * y0 + f, b * x1 + d * y1 + f)
        turned.append((min(xs), min(ys), max(xs), max(ys), text, block, line, number))
    return turned


def _text_columns(words: Sequence[Word], low: float, high: float) -> tuple[float, float]:
    """(left, right) in points of what is printed across the page, with a little margin; the
    whole width when the page has no text."""
    if not words:
        return low, high
    left = max(min(w[0] for w in words) - SIDE_MARGIN, low)
    right = min(max(w[2] for w in words) + SIDE_MARGIN, high)
    return (left, right) if right - left > (high - low) / 4 else (low, high)


def _term_words(words: Sequence[Word], terms: Sequence[str], run: tuple[int, int] | None) -> list[range]:
    """For each match of a term, the words it covers: within the passage if it was placed."""
    if not words:
        return []
    starts, at = [], 0
    for word in words:
        starts.append(at)
        at += len(word[4]) + 1
    text = " ".join(word[4] for word in words)
    first, last = run or (0, len(words) - 1)
    within = [(starts[first], starts[last] + len(words[last][4]))]
    found = []
    for low, high in term_spans(text, terms, within):
        covered = [
            i for i in range(first, last + 1) if starts[i] < high and starts[i] + len(words[i][4]) > low
        ]
        if covered:
            found.append(range(covered[0], covered[-1] + 1))
    return found


def _line_boxes(words: Sequence[Word], indices: range) -> list[Rect]:
    """The boxes of these words, united line by line."""
    lines: dict[tuple[int, int], Rect] = {}
    for i in indices:
        x0, y0, x1, y1, _, block, line, _ = words[i]
        key = (block, line)
        if key in lines:
            a = lines[key]
            lines[key] = (min(a[0], x0), min(a[1], y0), max(a[2], x1), max(a[3], y1))
        else:
            lines[key] = (x0, y0, x1, y1)
    return list(lines.values())


def text_context(request: PreviewRequest, cache: TextCache) -> TextContext:
    try:
        pages = cache.pages(request.path, request.kind)
    except FileNotFoundError:
        return _passage_alone(request, "The file is gone; the passage as indexed:")
    except (OSError, Skipped) as error:
        return _passage_alone(request, f"The file cannot be read now ({error}); the passage as indexed:")
    page = next((p for p in pages if p.number == request.page), pages[0] if pages else None)
    if page is None:
        return _passage_alone(request, "The file has no text now; the passage as indexed:")
    text = _one_newline(page.text)  # as Qt will show it: \r\n and \r are one line break
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
    return TextContext(
        shown,
        (span[0] - low, span[1] - low),
        tuple(term_spans(shown, request.terms, [(0, len(shown))])),
        low > 0,
        high < len(text),
    )


def _one_newline(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _passage_alone(request: PreviewRequest, note: str) -> TextContext:
    text = _one_newline(request.passage)
    return TextContext(
        text, (0, len(text)), tuple(term_spans(text, request.terms, [(0, len(text))])), False, False, note
    )
