"""Background jobs where only the newest matters (a search, a preview, a count)."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

STOP_TIMEOUT_MS = 30_000  # the longest single step of a job (one large PDF) should fit
BACKGROUND_NICENESS = 10  # the indexer yields the CPU to the window (and to everything else)


def lower_this_thread() -> None:
    """Make the calling thread background work, with what it starts: ONNX Runtime's thread pool
    and the core's file-reader process (on Linux niceness is per thread and inherited by both), so
    the window's thread keeps its share of a busy machine. Elsewhere QThread's LowPriority, set by
    the worker, does the same job."""
    if sys.platform.startswith("linux"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)
        except OSError:
            pass


class WorkerThread(QThread):
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
        self._thread = WorkerThread(self._loop, name)
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
                if self._stopping or self._pending is None:
                    return
                ticket, function, args = self._pending
                self._pending = None
            try:
                result = function(*args)
            except Exception as error:  # reported to the GUI, never lost in a thread
                self.job_failed.emit(ticket, f"{type(error).__name__}: {error}")
            else:
                self.job_finished.emit(ticket, result)
