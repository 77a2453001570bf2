"""Queries to results on the search thread: the newest query wins, stale answers are dropped.

Until the query model has loaded (a second or so after start-up) searches are keyword-only, so
earlier indexes answer at once; the current query is asked again when meaning can join in.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop_search.ui.workers import LatestWorker

if TYPE_CHECKING:
    from desktop_search.core.filters import Filters
    from desktop_search.core.search import FileHit, Searcher
    from desktop_search.core.similar import Similar

LIMIT = 50


@dataclass(frozen=True)
class Answer:
    text: str
    filters: Filters
    mode: str
    hits: list[FileHit]
    seconds: float


def run_search(
    searcher: Searcher, text: str, filters: Filters, mode: str, limit: int, sort: str = "relevance"
) -> Answer:
    started = time.monotonic()
    hits = searcher.search(text, limit, filters, mode, sort=sort)
    return Answer(text, filters, mode, hits, time.monotonic() - started)


def run_similar(similar: Similar, path: str, limit: int, filters: Filters | None = None) -> Answer:
    from desktop_search.core.filters import Filters

    started = time.monotonic()
    filters = filters or Filters()
    hits = similar.similar(path, limit, filters)
    return Answer(
        f"Files like {os.path.basename(path)}", filters, "similar", hits, time.monotonic() - started
    )


class SearchController(QObject):
    results_ready = Signal(object)  # an Answer for the newest query
    search_failed = Signal(str)
    cleared = Signal()

    def __init__(self, worker: LatestWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._searcher: Searcher | None = None
        self._worker = worker
        self._worker.job_finished.connect(self._on_worker_job_finished)
        self._worker.job_failed.connect(self._on_worker_job_failed)
        self._semantic = False
        self._current: tuple[str, Filters, str] | None = None
        self._ticket = -1
        self._waiting = False  # the current query's answer has not come yet
        self.limit = LIMIT
        self.sort = "relevance"  # the order answers come in (core/sorting.py); refresh() after a change
        self._similar: Similar | None = None
        self._like: str | None = None  # the file whose likes are shown, instead of a query
        self._like_filters: Filters | None = None

    def set_searcher(self, searcher: Searcher) -> None:
        """searcher: a core Searcher with a catalog connection of its own (used on the worker's
        thread). A query typed before it came is asked now."""
        self._searcher = searcher
        self.refresh()

    def set_similar(self, similar: Similar) -> None:
        """similar: a core Similar with a catalog connection of its own (for the worker's thread)."""
        self._similar = similar

    def find_similar(self, path: str, filters: Filters | None = None) -> None:
        """Show the files like the one at path (those passing filters), as an answer titled
        "Files like NAME"."""
        if self._similar is None:
            return
        self._like = path
        self._like_filters = filters
        self._current = None
        self._waiting = True
        self._ticket = self._worker.submit(run_similar, self._similar, path, self.limit, filters)

    @property
    def like(self) -> str | None:
        """The file whose likes are asked or shown; None when a query is."""
        return self._like

    @property
    def filtered(self) -> bool:
        """True when the likes asked are narrowed by filters."""
        from desktop_search.core.filters import Filters

        return self._like_filters not in (None, Filters())

    @property
    def text(self) -> str:
        return self._current[0] if self._current else ""

    @property
    def waiting(self) -> bool:
        """True from asking a query until its answer (or failure) comes."""
        return self._waiting

    def search(self, text: str, filters: Filters, *, again: bool = False) -> None:
        """Ask for text (empty: clear); again=True even if it is the query already shown."""
        text = text.strip()
        if not text:
            self.clear()
            return
        query = (text, filters, "hybrid" if self._semantic else "keyword")
        if query == self._current and not again:
            return
        self._like = None
        self._current = query
        self._waiting = True
        if self._searcher is None:
            return  # asked again by set_searcher
        self._ticket = self._worker.submit(
            run_search, self._searcher, text, filters, query[2], self.limit, self.sort
        )

    def refresh(self) -> None:
        """Ask the current query again (the index changed)."""
        if self._like:
            self.find_similar(self._like, self._like_filters)
        elif self._current:
            self.search(self._current[0], self._current[1], again=True)

    def clear(self) -> None:
        self._current = None
        self._like = None
        self._waiting = False
        self._worker.discard()
        self.cleared.emit()

    def close(self) -> None:
        """After the worker stopped: close the searcher's own catalog connection."""
        self._worker.discard()
        if self._searcher is not None:
            self._searcher.catalog.close()
        if self._similar is not None:
            self._similar.catalog.close()

    def set_semantic_ready(self) -> None:
        if not self._semantic:
            self._semantic = True
            self.refresh()

    def _on_worker_job_finished(self, ticket: int, answer: Answer) -> None:
        if ticket == self._ticket and self._worker.is_latest(ticket):
            self._waiting = False
            self.results_ready.emit(answer)

    def _on_worker_job_failed(self, ticket: int, message: str) -> None:
        if ticket == self._ticket and self._worker.is_latest(ticket):
            self._waiting = False
            self.search_failed.emit(message)
