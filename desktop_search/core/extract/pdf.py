"""PDF pages with PyMuPDF, 1-based page numbers kept; empty-password encryption is opened.

A page with no text but with an image (a scan, inside an image-only PDF or a text PDF) is kept as
`scanned`, for the OCR pass to read.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pymupdf

from desktop_search.core import ticks
from desktop_search.core.extract import ERROR, PASSWORD, Page, Skipped, register
from desktop_search.core.extract.page_furniture import Line, furniture, page_lines, without

FULL_PAGE = 0.5  # share of the page an image must cover to count as a scan when it is inline

# MuPDF prints warnings and repairs to stderr; our statuses say what matters.
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


@register("pdf", (".pdf",))
def extract_pdf(path: Path) -> list[Page]:
    try:
        document = pymupdf.open(path, filetype="pdf")
    except pymupdf.EmptyFileError as error:
        raise Skipped(ERROR, "empty file (0 bytes)") from error
    except Exception as error:  # MuPDF raises several types for damaged files
        raise Skipped(ERROR, "damaged PDF: cannot be opened, even after repair") from error
    with document:
        try:
            return _pages(document)
        except Skipped:
            raise
        except Exception as error:
            raise Skipped(ERROR, f"damaged PDF: {_describe(error)}") from error


def _pages(document: pymupdf.Document) -> list[Page]:
    if document.needs_pass and not document.authenticate(""):
        raise Skipped(PASSWORD, "password-protected PDF")
    if document.page_count == 0:
        raise Skipped(ERROR, "damaged PDF: no readable pages")
    pages, layouts, errors = [], [], []
    for index in range(document.page_count):
        try:
            page = document[index]
            text, lines = _text_and_lines(page)
            scanned = not text.replace("\u00ad", "").strip() and _has_image(page)
        except Exception as error:  # one bad page must not lose the others
            errors.append(f"page {index + 1}: {_describe(error)}")
            continue
        pages.append(Page(index + 1, "" if scanned else text, scanned=scanned))
        layouts.append([] if scanned else lines)
        ticks.tick("reading", index + 1, document.page_count)
    dropped = furniture([(page.text, lines) for page, lines in zip(pages, layouts, strict=True)])
    pages = [
        replace(page, text=without(page.text, lines, drop).replace("\u00ad", ""))
        for page, lines, drop in zip(pages, layouts, dropped, strict=True)
    ]
    if errors and not any(page.text.strip() or page.scanned for page in pages):
        raise Skipped(ERROR, f"damaged PDF: {errors[0]}")
    return pages


def _text_and_lines(page: pymupdf.Page) -> tuple[str, list[Line]]:
    """The page's plain text and where each of its lines sits, for page_furniture. The lines' boxes
    are read from MuPDF's own text page: PyMuPDF's "dict" would build a dictionary for every span
    of the page, a cost paid on every page for the few lines in its margins."""
    textpage = page.get_textpage(flags=pymupdf.TEXTFLAGS_TEXT)  # laid out upright, as for "text"
    text: str = textpage.extractText()
    turn = page.rotation_matrix  # from upright to as shown: y' = b x + d y + f
    top, height = page.rect.y0, page.rect.height or 1.0
    rows = []
    for block in textpage.this:
        if block.m_internal.type == pymupdf.mupdf.FZ_STEXT_BLOCK_TEXT:
            for line in block:
                box = line.m_internal.bbox
                ends = (
                    turn.b * box.x0 + turn.d * box.y0 + turn.f,
                    turn.b * box.x1 + turn.d * box.y1 + turn.f,
                )
                rows.append(((min(ends) - top) / height, (max(ends) - top) / height))
    return text, page_lines(text, rows)


def _has_image(page: pymupdf.Page) -> bool:
    """An image in the page's resources, or one drawn inline over most of the page (shadings,
    which MuPDF lists among a page's images too, carry no image data and do not count)."""
    if page.get_images():
        return True
    area = abs(page.rect) or 1.0
    for image in page.get_image_info():
        if image.get("size", 0) > 0 and abs(pymupdf.Rect(image["bbox"]) & page.rect) >= FULL_PAGE * area:
            return True
    return False


def _describe(error: Exception) -> str:
    message = str(error).strip() or type(error).__name__
    return message.splitlines()[0][:200]
