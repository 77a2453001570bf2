"""The core's folder watcher; its debounced batches of changed folders arrive as a signal."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal


class FolderWatchWorker(QObject):
    folders_changed = Signal(list)  # added folders with changes on disk

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from desktop_search.core.watcher import FolderWatcher  # (not at start-up: the window shows first)

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
