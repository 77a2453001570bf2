"""The core library's commands and indexing runs on a thread of their own, as signals."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from PySide6.QtCore import QObject, QThread, Signal

from desktop_search.core.indexer import FileIndexed, Progress, Summary
from desktop_search.core.library import Command, Exclude, Index, Library, Plan, Remove, Retry, Update
from desktop_search.ui.workers.latest_worker import STOP_TIMEOUT_MS, WorkerThread, lower_this_thread

PROGRESS_INTERVAL = 0.1  # seconds between two progress signals (the bar needs no more)
_CANCELLED, _INTERRUPTED = "cancelled", "interrupted"


class IndexWorker(QObject):
    """Runs the core library on a thread of its own: commands in, progress signals out.

    Between two events of a run the thread looks at what it was asked: pause waits there, cancel
    closes the run's generator (each file is saved as one unit, so nothing is half done), and new
    commands (folders, a removal, a retry) close it and start a run that includes them.
    """

    indexing_started = Signal()
    progressed = Signal(object)  # the core's Progress, at most every PROGRESS_INTERVAL
    files_indexed = Signal(list)  # the core's FileIndexed events since the last signal
    catalog_changed = Signal()  # folders added or removed, exclusions, files queued for a retry
    indexing_finished = Signal(object)  # the core's Summary; None when cancelled or failed
    indexing_failed = Signal(str)
    paused_changed = Signal(bool)
    held = Signal(
        object
    )  # a pause took effect: the run stands at this Progress (a big file's read waits too)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        """library: used only on this worker's thread from now on (it builds the indexer there)."""
        super().__init__(parent)
        self._library = library
        self._condition = threading.Condition()
        self._commands: list[Command] = []
        self._paused = False
        self._cancelled = False
        self._stopping = False
        self._busy = False
        self._thread = WorkerThread(self._loop, "indexer")
        self._thread.start(QThread.Priority.LowPriority)

    # the GUI thread's side

    def index(self, roots: Sequence[str] = ()) -> None:
        """Add these folders or files and index them; with none, bring every added folder up to date."""
        self._queue(Index(tuple(roots)))

    def update(self, folders: Sequence[str]) -> None:
        """Scan these added folders again (they changed on disk); a pause stays a pause."""
        self._queue(Update(tuple(folders)), resume=False)

    def remove(self, folder: str) -> None:
        self._queue(Remove(folder))

    def retry(self, paths: Sequence[str]) -> None:
        self._queue(Retry(tuple(paths)))

    def exclude(self, patterns: Sequence[str]) -> None:
        self._queue(Exclude(tuple(patterns)))

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

    def _queue(self, command: Command, *, resume: bool = True) -> None:
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
        lower_this_thread()
        while True:
            with self._condition:
                while not self._commands and not self._stopping:
                    self._condition.wait()
                if self._stopping:
                    return
                self._busy = True
            self.indexing_started.emit()
            plan, outcome = Plan(), None
            try:
                while self._apply_commands(plan):
                    outcome = self._run(plan)
                    if outcome != _INTERRUPTED:
                        break
            except Exception as error:  # the run is lost, not the app: the next one resumes
                self.indexing_failed.emit(f"{type(error).__name__}: {error}")
                outcome = None
            with self._condition:
                self._busy = False
            self.indexing_finished.emit(outcome if isinstance(outcome, Summary) else None)

    def _apply_commands(self, plan: Plan) -> bool:
        """Hand the queued commands to the library; False if the user cancelled meanwhile."""
        with self._condition:
            commands, self._commands = self._commands, []
            if self._cancelled and not commands:
                self._cancelled = False
                return False
            self._cancelled = False
        changed = False
        for command in commands:
            changed |= self._library.apply(command, plan)
        if changed:
            self.catalog_changed.emit()
        return True

    def _run(self, plan: Plan) -> Summary | str:
        events = self._library.run(plan)
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
                verdict = self._verdict(latest)  # before showing it: nothing moves while paused
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
            raise RuntimeError("the indexer ended without a summary")
        finally:
            events.close()
            if files:
                self.files_indexed.emit(files)

    def _verdict(self, latest: Progress | None = None) -> str | None:
        """Between two events: wait while paused; say whether to stop or start over."""
        with self._condition:
            holding = self._paused and not (self._cancelled or self._stopping or self._commands)
        if holding:
            self.held.emit(latest)
        with self._condition:
            while self._paused and not (self._cancelled or self._stopping or self._commands):
                self._condition.wait()
            if self._cancelled or self._stopping:
                return _CANCELLED
            if self._commands:
                return _INTERRUPTED
            return None
