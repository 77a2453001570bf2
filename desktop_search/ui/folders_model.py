"""The added folders (and files), each with its file count and what the indexer is doing there."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop_search.core.library_status import FolderStats

PathRole = Qt.ItemDataRole.UserRole + 1
FileCountRole = Qt.ItemDataRole.UserRole + 2
StateRole = Qt.ItemDataRole.UserRole + 3  # a short sentence: "Up to date", "Reading 3 of 40"…
ProblemCountRole = Qt.ItemDataRole.UserRole + 4  # files that could not be indexed
BusyRole = Qt.ItemDataRole.UserRole + 5  # True while the indexer works on this folder
WaitingRole = Qt.ItemDataRole.UserRole + 6  # files read but not yet searchable by meaning
MissingRole = Qt.ItemDataRole.UserRole + 7  # the folder is not on disk now (its files are kept)

Index = QModelIndex | QPersistentModelIndex


class FoldersModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folders: list[FolderStats] = []
        self._activity: tuple[str, str] | None = None  # (folder, what is happening there)
        self._paused = False

    def set_folders(self, folders: Sequence[FolderStats]) -> None:
        self.beginResetModel()
        self._folders = list(folders)
        self.endResetModel()

    def paths(self) -> list[str]:
        return [folder.path for folder in self._folders]

    def set_activity(self, folder: str | None, state: str = "") -> None:
        """Say what the indexer does in folder (None: it does nothing anywhere)."""
        activity = (folder, state) if folder else None
        if activity == self._activity:
            return
        touched = {self._activity[0] if self._activity else None, folder}
        self._activity = activity
        self._changed(touched)

    def activity_folder(self) -> str | None:
        return self._activity[0] if self._activity else None

    def set_paused(self, paused: bool) -> None:
        if paused != self._paused:
            self._paused = paused
            self._changed({self._activity[0] if self._activity else None})

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._folders)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._folders):
            return None
        folder = self._folders[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return os.path.basename(folder.path.rstrip(os.sep)) or folder.path
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{folder.path}\n{self._summary(folder)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{folder.path}, {self._summary(folder)}"
        values = {
            PathRole: folder.path,
            FileCountRole: folder.files,
            StateRole: self._state(folder),
            ProblemCountRole: folder.failed,
            BusyRole: bool(self._activity and self._activity[0] == folder.path),
            WaitingRole: folder.waiting,
            MissingRole: folder.missing,
        }
        return values.get(role)

    def _state(self, folder: FolderStats) -> str:
        if self._activity and self._activity[0] == folder.path:
            return "Paused" if self._paused else self._activity[1]
        if folder.missing:
            return "Not found (unplugged?)"
        if folder.waiting:
            return f"{folder.waiting:,} waiting"
        if not folder.files:
            return "Waiting" if self._activity else "No files found"
        return "Up to date"

    def _summary(self, folder: FolderStats) -> str:
        text = f"{_files(folder.files)} · {self._state(folder)}"
        if folder.failed:
            text += f" · {folder.failed:,} not indexed"
        return text

    def _changed(self, folders: set[str | None]) -> None:
        for row, folder in enumerate(self._folders):
            if folder.path in folders:
                index = self.index(row, 0)
                self.dataChanged.emit(index, index, [StateRole, BusyRole, Qt.ItemDataRole.ToolTipRole])


def _files(count: int) -> str:
    return "1 file" if count == 1 else f"{count:,} files"
