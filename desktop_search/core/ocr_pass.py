"""The OCR pass: pages without a text layer (scans, photos of documents) read one by one, after
every other file is searchable, each saved as it is read so a stopped run resumes at the next page.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from desktop_search.core import extract as extraction
from desktop_search.core.catalog import Catalog
from desktop_search.core.catalog.ocr_pages import OcrPage, PendingFile
from desktop_search.core.chunking import Passage
from desktop_search.core.extract import Page

WAITING = "waiting for OCR"


class PageReader(Protocol):
    def recognise(self, path: Path, kind: str, page: int) -> OcrPage: ...

    def passages(self, pages: list[Page]) -> list[Passage]: ...


def waiting_reason(pages: int) -> str:
    return f"{WAITING}: {pages} page{'s' if pages != 1 else ''}"


def recognise_pending(catalog: Catalog, reader: PageReader) -> Iterator[tuple[int, int, str, float]]:
    """Read every waiting page; yields (pages done, pages in all, file, seconds so far) as each page
    starts (so a slow first page is already shown) and once all are done."""
    pending = catalog.ocr.pending()
    total = sum(len(file.pages) for file in pending)
    done = 0
    started = time.monotonic()
    for file in pending:
        for index, number in enumerate(file.pages):
            yield done, total, file.path, time.monotonic() - started
            began = time.monotonic()
            page = _recognise(reader, file, number)
            seconds = time.monotonic() - began
            if index + 1 < len(file.pages):
                catalog.ocr.save(file.key, page, seconds)
            else:
                _finish(catalog, reader, file, page, seconds)
            done += 1
    if pending:
        yield done, total, pending[-1].path, time.monotonic() - started


def _recognise(reader: PageReader, file: PendingFile, number: int) -> OcrPage:
    try:
        return reader.recognise(Path(file.path), file.kind or "", number)
    except extraction.Skipped as skipped:
        return OcrPage(number, "", (), skipped.reason)
    except Exception as error:  # one page must not stop the pass
        return OcrPage(number, "", (), f"{type(error).__name__}: {str(error)[:160]}")


def _finish(catalog: Catalog, reader: PageReader, file: PendingFile, last: OcrPage, seconds: float) -> None:
    """The file's last page: its read pages become passages and the file gets its final status."""
    read = [page for page in catalog.ocr.pages_of(file.key) if page.page != last.page] + [last]
    read.sort(key=lambda page: page.page)
    alone = file.kind == "image" and len(read) == 1  # a single picture: no page to name
    pages = [
        Page(page.page, page.text, "" if alone else None, scanned=True) for page in read if page.text.strip()
    ]
    passages = reader.passages(pages) if pages else []
    record = catalog.file(file.path)
    text_layer = record is not None and record.passages > 0
    failures = [page.failure for page in read if page.failure]
    if passages or text_layer:
        status, reason = extraction.INDEXED, None
    elif failures and len(failures) == len(read):
        status, reason = extraction.ERROR, f"OCR failed: {failures[0]}"
    else:
        status, reason = extraction.NO_TEXT, "no text found by OCR"
    catalog.ocr.finish(file.key, last, seconds, passages, status, reason)
