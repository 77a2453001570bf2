"""Watch the added folders and report, in debounced batches, which of them changed.

A burst of changes (an unzip, a `git checkout`, an editor's save-by-rename) becomes one batch:
the callback runs once things have been quiet for `quiet` seconds, or after `longest` seconds of
continuous change, with the set of added folders to rescan. Rescanning is cheap for unchanged
files (size + mtime), so a folder is the right unit.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from desktop_search.core.scanner import Exclusions

# Only changes: the indexer's own reads would otherwise flood the queue with open/close events.
CHANGES = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]


class FolderWatcher(FileSystemEventHandler):
    def __init__(
        self,
        on_change: Callable[[set[str]], None],
        *,
        exclusions: Exclusions | None = None,
        quiet: float = 1.5,
        longest: float = 10.0,
    ) -> None:
        self.on_change = on_change
        self.exclusions = exclusions or Exclusions()
        self.quiet = quiet
        self.longest = longest
        self._observer = Observer()
        self._watches: dict[str, object] = {}
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._first_change = 0.0
        self._last_change = 0.0
        self._wake = threading.Event()
        self._stopped = False
        self._flusher = threading.Thread(target=self._flush_loop, name="folder-watcher", daemon=True)

    def start(self) -> None:
        self._observer.start()
        self._flusher.start()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()
        self._observer.stop()
        self._observer.join(5)

    def watch(self, folders: Iterable[str]) -> None:
        """Watch exactly these folders (missing ones are skipped until they come back)."""
        wanted = {f for f in folders if os.path.isdir(f)}
        for folder in set(self._watches) - wanted:
            self._observer.unschedule(self._watches.pop(folder))  # type: ignore[arg-type]
        for folder in wanted - set(self._watches):
            try:
                self._watches[folder] = self._observer.schedule(
                    self, folder, recursive=True, event_filter=CHANGES
                )
            except OSError:
                continue  # e.g. inotify watch limit reached; the start-up rescan still covers it

    # watchdog calls this from its own thread for every event
    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file changes nothing
        if event.is_directory and event.event_type == "modified":
            return  # a folder's own time changes with every file in it: the file's event says more
        paths = [event.src_path, getattr(event, "dest_path", "")]
        roots = {root for path in paths if path for root in self._roots_of(os.fsdecode(path))}
        if not roots:
            return
        now = time.monotonic()
        with self._lock:
            if not self._pending:
                self._first_change = now
            self._pending |= roots
            self._last_change = now
        self._wake.set()

    def _roots_of(self, path: str) -> list[str]:
        roots = []
        for root in self._watches:
            if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
                relative = os.path.relpath(path, root)
                if relative == "." or not self.exclusions.excludes(relative):
                    roots.append(root)
        return roots

    def _flush_loop(self) -> None:
        while not self._stopped:
            self._wake.wait()
            self._wake.clear()
            while not self._stopped:
                with self._lock:
                    if not self._pending:
                        break
                    now = time.monotonic()
                    due = min(self._last_change + self.quiet, self._first_change + self.longest)
                    if now >= due:
                        batch, self._pending = self._pending, set()
                    else:
                        batch = set()
                if batch:
                    self.on_change(batch)
                else:
                    time.sleep(min(0.2, max(due - now, 0.01)))
