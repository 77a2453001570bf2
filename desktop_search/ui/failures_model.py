"""Files that could not be indexed: name, problem, folder; sortable by any of them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop_search.core.library_status import Failure
from desktop_search.ui.icons import kind_icon

PathRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2
ReasonRole = Qt.ItemDataRole.UserRole + 3

COLUMNS = ("File", "Problem", "Folder")
_PROBLEMS = {
    "password": "Password-protected",
    "no text": "No text (a scan or an image?)",
    "unsupported": "Not a supported file",
    "error": "Could not be read",
}

Index = QModelIndex | QPersistentModelIndex


def describe(failure: Failure) -> str:
    """The problem in a few words a person understands, with the core's reason when it adds to it."""
    headline = _PROBLEMS.get(failure.status, failure.status.capitalize())
    reason = (failure.reason or "").strip()
    if not reason or reason.lower() in headline.lower() or failure.status in ("password",):
        return headline
    return f"{headline}: {reason}" if failure.status == "error" else reason[:1].upper() + reason[1:]


class FailuresModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._failures: list[Failure] = []

    def set_failures(self, failures: Sequence[Failure]) -> None:
        self.beginResetModel()
        self._failures = sorted(failures, key=lambda f: (f.status, f.path))
        self.endResetModel()

    def paths(self) -> list[str]:
        return [failure.path for failure in self._failures]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._failures)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._failures):
            return None
        failure = self._failures[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (os.path.basename(failure.path), describe(failure), os.path.dirname(failure.path))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{failure.path}\n{describe(failure)}"
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            from desktop_search.core.extract import kind_for_suffix

            return kind_icon(kind_for_suffix(Path(failure.path)))
        return {PathRole: failure.path, StatusRole: failure.status, ReasonRole: failure.reason}.get(role)
