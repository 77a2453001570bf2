"""Scanned pages to text, in a child process with a time and memory budget per page.

OCR engines are large C and ONNX libraries fed with whatever images a person keeps: like the file
reader (core/reader.py), they run in a sandbox (core/sandbox.py) that is replaced when a page
breaks it. The same child cuts the recognised pages into passages, with the model's tokenizer.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_search.core.catalog.ocr_pages import OcrPage
from desktop_search.core.chunking import Passage, chunk, load_counter
from desktop_search.core.extract import Page
from desktop_search.core.sandbox import MEMORY_BUDGET, Sandbox

PAGE_BUDGET = 90.0  # seconds per page: many times what a dense 300 dpi page needs
DEFAULT_LANGUAGES = "eng"


@dataclass(frozen=True)
class _Recognise:
    path: str
    kind: str
    page: int


@dataclass(frozen=True)
class _Chunk:
    pages: list[Page]


class SandboxedOcr:
    """Reads scanned pages and images one page at a time (see core/ocr.py for the engine)."""

    def __init__(
        self,
        model_dir: Path,
        languages: str = DEFAULT_LANGUAGES,
        *,
        time_budget: float = PAGE_BUDGET,
        memory_budget: int = MEMORY_BUDGET,
    ) -> None:
        self.languages = languages
        self._sandbox = Sandbox(
            _start_recognising,
            (str(model_dir), languages),
            name="desktop-search-ocr",
            time_budget=time_budget,
            memory_budget=memory_budget,
        )

    def recognise(self, path: Path, kind: str, page: int) -> OcrPage:
        """The page's text and word boxes, or Skipped (unreadable, too slow, crashed)."""
        result: OcrPage = self._sandbox(_Recognise(str(path), kind, page))
        return result

    def passages(self, pages: list[Page]) -> list[Passage]:
        result: list[Passage] = self._sandbox(_Chunk(pages))
        return result

    def close(self) -> None:
        self._sandbox.close()


def _start_recognising(argument: tuple[str, str]) -> Callable[[Any], Any]:
    """In the child: the token counter now, the OCR engine at its first page."""
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    model_dir, languages = argument
    tokenizer = load_counter(Path(model_dir))

    def handle(request: _Recognise | _Chunk) -> OcrPage | list[Passage]:
        if isinstance(request, _Chunk):
            return chunk(request.pages, tokenizer)
        from desktop_search.core.ocr import recognise_page

        read = recognise_page(Path(request.path), request.kind, request.page, languages)
        return OcrPage(request.page, read.text, tuple((word.text, word.box) for word in read.words))

    return handle
