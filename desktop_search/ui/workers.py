"""The only module that knows about threads: the indexer's generator and latest-wins jobs, as signals.

Each worker is a QObject living in the GUI thread with a thread of its own behind it; its signals
are emitted from that thread and reach slots in the GUI thread queued, so slots never race.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal

if TYPE_CHECKING:
    from desktop_search.core.indexer import FileIndexed, Progress, Summary

PROGRESS_INTERVAL = 0.1  # seconds between two progress signals (the bar needs no more)
STOP_TIMEOUT_MS = 30_000  # the longest single step of the indexer (one large PDF) should fit
BACKGROUND_NICENESS = 10  # the indexer yields the CPU to the window (and to everything else)


def _lower_this_thread() -> None:
    """Make the calling thread background work, with what it starts: ONNX Runtime's thread pool
    and the core's file-reader process (on Linux niceness is per thread and inherited by both).
    Measured: the window's longest stall while indexing drops from ~120 ms to ~40-70 ms on a busy
    2-core machine. Elsewhere QThread's LowPriority, set by the worker, does the same job."""
    if sys.platform.startswith("linux"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)
        except OSError:
            pass


class _Thread(QThread):
    """A QThread running a worker's loop."""

    def __init__(self, loop: Callable[[], None], name: str) -> None:
        super().__init__()
        self._loop = loop
        self.setObjectName(name)

    def run(self) -> None:
        self._loop()


class LatestWorker(QObject):
    """Runs one job at a time on its own thread; a job still waiting is replaced by a newer one.

    Every submit() returns a ticket; results come back with it, so the caller keeps only those of
    its latest ticket (`is_latest`). A running job is never interrupted, but nothing queues up
    behind it: at most one job waits, the newest.
    """

    job_finished = Signal(int, object)  # ticket, result
    job_failed = Signal(int, str)  # ticket, message

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._condition = threading.Condition()
        self._pending: tuple[int, Callable[..., Any], tuple[Any, ...]] | None = None
        self._ticket = 0
        self._stopping = False
        self._thread = _Thread(self._loop, name)
        self._thread.start()

    def submit(self, function: Callable[..., Any], *args: Any) -> int:
        with self._condition:
            self._ticket += 1
            self._pending = (self._ticket, function, args)
            self._condition.notify()
            return self._ticket

    def discard(self) -> None:
        """Drop the waiting job and make the running one's result stale."""
        with self._condition:
            self._ticket += 1
            self._pending = None

    def is_latest(self, ticket: int) -> bool:
        return ticket == self._ticket

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._pending = None
            self._condition.notify()
        self._thread.wait(STOP_TIMEOUT_MS)

    def _loop(self) -> None:
        while True:
            with self._condition:
                while self._pending is None and not self._stopping:
                    self._condition.wait()
                if self._stopping:
                    return
                assert self._pending is not None
                ticket, function, args = self._pending
                self._pending = None
            try:
                result = function(*args)
            except Exception as error:  # reported to the GUI, never lost in a thread
                self.job_failed.emit(ticket, f"{type(error).__name__}: {error}")
            else:
                self.job_finished.emit(ticket, result)


@dataclass
class _Plan:
    """What the next run of the indexer must cover."""

    roots: list[str] = field(default_factory=list)  # to scan, in this order
    everything: bool = False  # and then every other added folder


@dataclass(frozen=True)
class _Command:
    action: str  # "index", "update", "remove" or "retry"
    paths: tuple[str, ...]


_CANCELLED, _INTERRUPTED = "cancelled", "interrupted"


class IndexWorker(QObject):
    """Runs the core indexer on a thread of its own: commands in, progress signals out.

    Between two events of the indexer's generator the thread looks at what it was asked: pause
    waits there, cancel closes the generator (each file is saved as one unit, so nothing is half
    done), and new folders, a removal or a retry close it and start a run that includes them.
    """

    indexing_started = Signal()
    progressed = Signal(object)  # the core's Progress, at most every PROGRESS_INTERVAL
    files_indexed = Signal(list)  # the core's FileIndexed events since the last signal
    catalog_changed = Signal()  # folders added or removed, or files queued for a retry
    indexing_finished = Signal(object)  # the core's Summary; None when cancelled or failed
    indexing_failed = Signal(str)
    paused_changed = Signal(bool)

    def __init__(self, make_indexer: Callable[[], Any], catalog: Any, parent: QObject | None = None) -> None:
        """make_indexer: builds the core Indexer (called once, on the worker's thread);
        catalog: the connection that indexer writes with (only ever used on that thread)."""
        super().__init__(parent)
        self._make_indexer = make_indexer
        self._catalog = catalog
        self._condition = threading.Condition()
        self._commands: list[_Command] = []
        self._paused = False
        self._cancelled = False
        self._stopping = False
        self._busy = False
        self._thread = _Thread(self._loop, "indexer")
        self._thread.start(QThread.Priority.LowPriority)

    # the GUI thread's side

    def index(self, roots: Sequence[str] = ()) -> None:
        """Add these folders or files and index them; with none, bring every added folder up to date."""
        self._queue(_Command("index", tuple(roots)))

    def update(self, folders: Sequence[str]) -> None:
        """Scan these added folders again (they changed on disk); a pause stays a pause."""
        self._queue(_Command("update", tuple(folders)), resume=False)

    def remove(self, folder: str) -> None:
        """Forget a folder: its passages leave the keyword index at once, its vectors next."""
        self._queue(_Command("remove", (folder,)))

    def retry(self, paths: Sequence[str]) -> None:
        """Read these files again (after a failure)."""
        self._queue(_Command("retry", tuple(paths)))

    def pause(self) -> None:
        self._set_paused(True)

    def resume(self) -> None:
        self._set_paused(False)

    def cancel(self) -> None:
        with self._condition:
            self._cancelled = True
            self._condition.notify()
        self._set_paused(False)

    def is_busy(self) -> bool:
        with self._condition:
            return self._busy or bool(self._commands)

    def is_paused(self) -> bool:
        return self._paused

    def stop(self) -> None:
        """Cancel any run and end the thread (before the store is closed)."""
        with self._condition:
            self._stopping = True
            self._cancelled = True
            self._condition.notify()
        self._thread.wait(STOP_TIMEOUT_MS)

    def _queue(self, command: _Command, *, resume: bool = True) -> None:
        with self._condition:
            self._commands.append(command)
            self._condition.notify()
        if resume:
            self._set_paused(False)  # the user asked for new work: they want it done

    def _set_paused(self, paused: bool) -> None:
        with self._condition:
            if self._paused == paused:
                return
            self._paused = paused
            self._condition.notify()
        self.paused_changed.emit(paused)

    # the worker thread's side

    def _loop(self) -> None:
        _lower_this_thread()
        indexer = None
        while True:
            with self._condition:
                while not self._commands and not self._stopping:
                    self._condition.wait()
                if self._stopping:
                    return
                self._busy = True
            self.indexing_started.emit()
            plan, outcome = _Plan(), None
            try:
                while True:
                    if not self._apply_commands(plan):
                        break
                    indexer = indexer or self._make_indexer()
                    outcome = self._run(indexer, plan)
                    if outcome != _INTERRUPTED:
                        break
            except Exception as error:  # the run is lost, not the app: the next one resumes
                self.indexing_failed.emit(f"{type(error).__name__}: {error}")
                outcome = None
            with self._condition:
                self._busy = False
            self.indexing_finished.emit(None if outcome is None or isinstance(outcome, str) else outcome)

    def _apply_commands(self, plan: _Plan) -> bool:
        """Carry out the queued commands on the catalog; False if the user cancelled meanwhile."""
        with self._condition:
            commands, self._commands = self._commands, []
            if self._cancelled and not commands:
                self._cancelled = False
                return False
            self._cancelled = False
        changed = False
        for command in commands:
            if command.action in ("index", "update"):
                for root in command.paths:
                    if root not in plan.roots:
                        plan.roots.append(root)
                    if command.action == "index":
                        self._catalog.add_folder(root)
                        changed = True
                plan.everything |= not command.paths
            elif command.action == "remove":
                for folder in command.paths:
                    self._catalog.remove_folder(folder)
                    if folder in plan.roots:
                        plan.roots.remove(folder)
                changed = True
            elif command.action == "retry":
                self._catalog.invalidate(command.paths)
                plan.everything = changed = True
        if changed:
            self.catalog_changed.emit()
        return True

    def _run(self, indexer: Any, plan: _Plan) -> Summary | str:
        from desktop_search.core.indexer import FileIndexed, Summary

        folders = self._catalog.folders()
        roots = [r for r in plan.roots if r in folders]
        if plan.everything:
            roots += [f for f in folders if f not in roots]
        events = indexer.run(roots) if roots else indexer.run(rescan=False)  # no scan: vectors only
        files: list[FileIndexed] = []
        latest: Progress | None = None
        shown_phase, shown_at = None, 0.0
        try:
            for event in events:
                if isinstance(event, Summary):
                    return event
                if isinstance(event, FileIndexed):
                    files.append(event)
                else:
                    latest = event
                verdict = self._verdict()  # before showing it: nothing moves while paused
                if verdict:
                    return verdict
                now = time.monotonic()
                if latest is not None and (
                    latest.phase != shown_phase or now - shown_at >= PROGRESS_INTERVAL
                ):
                    if files:
                        self.files_indexed.emit(files)
                        files = []
                    self.progressed.emit(latest)
                    shown_phase, shown_at = latest.phase, now
            return _INTERRUPTED  # unreachable: the core always ends with a Summary
        finally:
            events.close()
            if files:
                self.files_indexed.emit(files)

    def _verdict(self) -> str | None:
        """Between two events: wait while paused; say whether to stop or start over."""
        with self._condition:
            while self._paused and not (self._cancelled or self._stopping or self._commands):
                self._condition.wait()
            if self._cancelled or self._stopping:
                return _CANCELLED
            if self._commands:
                return _INTERRUPTED
            return None


class FolderWatchWorker(QObject):
    """The core's folder watcher; its debounced batches of changed folders arrive as a signal."""

    folders_changed = Signal(list)  # added folders with changes on disk

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from desktop_search.core.watcher import FolderWatcher

        self._watcher = FolderWatcher(self._on_watcher_change)
        self._watcher.start()

    def watch(self, folders: Sequence[str], exclusions: Sequence[str] = ()) -> None:
        """Watch exactly these folders, leaving out what the exclusion patterns name."""
        from desktop_search.core.scanner import Exclusions

        if tuple(exclusions) != self._watcher.exclusions.user_patterns:
            self._watcher.exclusions = Exclusions(exclusions)
        self._watcher.watch(folders)

    def stop(self) -> None:
        self._watcher.stop()

    def _on_watcher_change(self, folders: set[str]) -> None:  # on the watcher's thread
        self.folders_changed.emit(sorted(folders))
