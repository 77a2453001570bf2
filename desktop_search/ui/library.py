"""The window's side of the core library: its commands go to the indexer's thread, its counts
come from a thread of their own, both as signals, so the window never waits on SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_search.core.library import Library as CoreLibrary
from desktop_search.core.library import check_paths
from desktop_search.core.library_status import CatalogStats, folder_of
from desktop_search.ui.failures_model import FailuresModel
from desktop_search.ui.folders_model import FoldersModel
from desktop_search.ui.workers import FolderWatchWorker, IndexWorker, LatestWorker

if TYPE_CHECKING:
    from desktop_search.core.indexer import FileIndexed, Progress, Summary
    from desktop_search.services import Services

STATS_DELAY_MS = 300  # gather catalog changes for this long before counting again
PHASE_STATES = {
    "scanning": "Scanning…",
    "reading": "Reading…",
    "embedding": "Understanding…",
    "recognising": "Recognising text…",
}


class Library(QObject):
    stats_changed = Signal(object)  # CatalogStats
    indexing_started = Signal()
    progressed = Signal(object)  # the core's Progress
    indexing_finished = Signal(object)  # the core's Summary, or None (stopped, failed)
    indexing_failed = Signal(str)
    paused_changed = Signal(bool)
    catalog_changed = Signal()  # what is searchable changed outside a run (a removal, say)

    def __init__(self, parent: QObject | None = None, *, watch: bool = True) -> None:
        """watch: keep the index in step with changes on disk while the window is open."""
        super().__init__(parent)
        self._watch = watch
        self.watcher: FolderWatchWorker | None = None
        self.folders = FoldersModel(self)
        self.failures = FailuresModel(self)
        self.stats = CatalogStats()
        self.index_worker: IndexWorker | None = None
        self._stats_worker = LatestWorker("catalog", self)
        self._stats_worker.job_finished.connect(self._on_stats_worker_job_finished)
        self._counter: CoreLibrary | None = None  # the core library on a connection of its own
        self._stats_timer = QTimer(self, singleShot=True, interval=STATS_DELAY_MS)
        self._stats_timer.timeout.connect(self._on_stats_timer_timeout)
        self._pending: list[str] = []  # added before the index was open
        self._counting = 0  # the ticket of a count under way (0: none)
        self._resumed = False

    def attach(self, services: Services) -> None:
        """The index is open: start the indexer's thread, count, and resume unfinished work."""
        self._counter = services.library(own_connection=True)
        worker = self.index_worker = IndexWorker(services.library(), self)
        worker.indexing_started.connect(self.indexing_started)
        worker.progressed.connect(self._on_index_worker_progressed)
        worker.files_indexed.connect(self._on_index_worker_files_indexed)
        worker.catalog_changed.connect(self._on_index_worker_catalog_changed)
        worker.indexing_finished.connect(self._on_index_worker_indexing_finished)
        worker.indexing_failed.connect(self.indexing_failed)
        worker.paused_changed.connect(self._on_index_worker_paused_changed)
        if self._watch:
            self.watcher = FolderWatchWorker(self)
            self.watcher.folders_changed.connect(worker.update)
        if self._pending:
            worker.index(self._pending)
            self._pending = []
        self.refresh()

    def add(self, paths: Sequence[str]) -> tuple[list[str], list[str]]:
        """Index these folders and files: (taken, refusals saying why the others were not). Paths
        already in the index bring their folder up to date instead."""
        checked = check_paths(paths, self.folders.paths() + self._pending)
        taken = list(checked.new)
        if self.index_worker is None:
            self._pending.extend(taken)
        else:
            if taken:
                self.index_worker.index(taken)
            if checked.known:
                self.index_worker.update(checked.known)
        return taken, list(checked.refused)

    def remove(self, folder: str) -> None:
        if self.index_worker is not None:
            self.index_worker.remove(folder)

    def retry(self, paths: Sequence[str]) -> None:
        if self.index_worker is not None:
            self.index_worker.retry(paths)

    def exclude(self, patterns: Sequence[str]) -> None:
        """Leave out what these gitignore patterns name (the whole list), at once."""
        if self.index_worker is not None:
            self.index_worker.exclude(patterns)

    def rescan(self) -> None:
        if self.index_worker is not None:
            self.index_worker.index()

    def pause(self) -> None:
        if self.index_worker is not None:
            self.index_worker.pause()

    def resume(self) -> None:
        if self.index_worker is not None:
            self.index_worker.resume()

    def cancel(self) -> None:
        if self.index_worker is not None:
            self.index_worker.cancel()

    def is_paused(self) -> bool:
        return self.index_worker is not None and self.index_worker.is_paused()

    def is_busy(self) -> bool:
        return self.index_worker is not None and self.index_worker.is_busy()

    def refresh(self) -> None:
        """Count again now (the result comes as stats_changed)."""
        if self._counter is not None:
            self._counting = self._stats_worker.submit(self._counter.status)

    def is_settled(self) -> bool:
        """Nothing indexing, and the counts on screen are the catalog's latest."""
        return not self.is_busy() and not self._stats_timer.isActive() and not self._counting

    def close(self) -> None:
        """Stop the threads (the indexer at its next event) and close the counting connection."""
        self._stats_timer.stop()
        if self.watcher is not None:
            self.watcher.stop()
        if self.index_worker is not None:
            self.index_worker.stop()
        self._stats_worker.stop()
        if self._counter is not None:
            self._counter.close()
            self._counter = None

    def _on_stats_timer_timeout(self) -> None:
        self.refresh()

    def _on_stats_worker_job_finished(self, ticket: int, stats: CatalogStats) -> None:
        if ticket == self._counting:
            self._counting = 0
        self.stats = stats
        self.folders.set_folders(stats.folders)
        self.failures.set_failures(stats.failures)
        if self.watcher is not None:
            self.watcher.watch([f.path for f in stats.folders if not f.missing], stats.exclusions)
        self.stats_changed.emit(stats)
        if not self._resumed and self.index_worker is not None:
            self._resumed = True
            if stats.folders and not self.index_worker.is_busy():
                self.index_worker.index()  # finish what an earlier run left, and catch up with changes

    def _on_index_worker_progressed(self, progress: Progress) -> None:
        if progress.path:
            folder = folder_of(progress.path, self.folders.paths())
        else:  # a phase starting: still the folder it was at
            folder = self.folders.activity_folder()
        self.folders.set_activity(folder, PHASE_STATES.get(progress.phase, ""))
        self.progressed.emit(progress)

    def _on_index_worker_files_indexed(self, events: list[FileIndexed]) -> None:
        if not self._stats_timer.isActive():
            self._stats_timer.start()

    def _on_index_worker_catalog_changed(self) -> None:
        self.refresh()
        self.catalog_changed.emit()

    def _on_index_worker_indexing_finished(self, summary: Summary | None) -> None:
        self.folders.set_activity(None)
        self._stats_timer.stop()
        self.refresh()
        self.indexing_finished.emit(summary)

    def _on_index_worker_paused_changed(self, paused: bool) -> None:
        self.folders.set_paused(paused)
        self.paused_changed.emit(paused)
