"""File to passages, in a child process with a time and memory budget per file.

MuPDF can loop on a hostile PDF, a zip bomb can ask for gigabytes, a C library can crash: none
of that may stall or kill the run, so the extract-and-chunk step runs in a sandbox
(core/sandbox.py) that is replaced when a file breaks it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_search.core import ticks
from desktop_search.core.chunking import Passage, chunk, load_counter
from desktop_search.core.extract import ERROR, Page, Skipped, document_date, extract
from desktop_search.core.sandbox import MEMORY_BUDGET, Sandbox

TIME_BUDGET = 120.0  # seconds per file: about ten times what a 1,000-page manual needs
SIZE_BUDGETS = {"text": 64 << 20, "html": 64 << 20}  # bytes; bigger text is a log or a dump


@dataclass(frozen=True)
class FileRead:
    kind: str
    passages: list[Passage]
    scanned: tuple[int, ...] = ()  # pages with no text layer, for the OCR pass
    date: float | None = None  # the document's own date, when it says one (a mail's Date: header)


def read_file(path: Path, tokenizer: Any) -> FileRead:
    """The file's passages, or Skipped: the work itself, in whichever process runs it."""
    kind, pages = extract(path)
    scanned = tuple(page.number or 1 for page in pages if page.scanned)
    passages = chunk(_ticking([page for page in pages if not page.scanned]), tokenizer)
    return FileRead(kind, passages, scanned, document_date(kind, path))


def _ticking(pages: list[Page]) -> Iterator[Page]:
    """The pages, telling how far the cutting into passages got (a big PDF's take seconds)."""
    for done, page in enumerate(pages, 1):
        yield page
        ticks.tick("cutting", done, len(pages))


def check_size(path: Path, kind: str | None) -> None:
    limit = SIZE_BUDGETS.get(kind or "")
    size = path.stat().st_size
    if limit and size > limit:
        raise Skipped(ERROR, f"too large to index: {size / 2**20:.0f} MB (limit {limit >> 20} MB)")


class SandboxedReader:
    """Reads each file in a child process (see core/sandbox.py): a hostile file costs only itself."""

    def __init__(
        self, model_dir: Path, *, time_budget: float = TIME_BUDGET, memory_budget: int = MEMORY_BUDGET
    ) -> None:
        self._sandbox = Sandbox(
            _start_reading,
            str(model_dir),
            name="desktop-search-reader",
            time_budget=time_budget,
            memory_budget=memory_budget,
        )

    def __call__(self, path: Path, kind: str | None = None) -> FileRead:
        check_size(path, kind)
        read: FileRead = self._sandbox(str(path))
        return read

    def steps(self, path: Path, kind: str | None = None) -> Generator[ticks.Tick, None, FileRead]:
        """As a call, telling how far a big file has got ("reading" its pages, then "cutting" them
        into passages); the child waits while a tick is held, and closing this ends it."""
        check_size(path, kind)
        read: FileRead = yield from self._sandbox.steps(str(path))
        return read

    def close(self) -> None:
        self._sandbox.close()


def _start_reading(model_dir: str) -> Callable[[str], FileRead]:
    """In the child: load the token counter once, then read the files it is sent."""
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    tokenizer = load_counter(Path(model_dir))
    return lambda path: read_file(Path(path), tokenizer)
