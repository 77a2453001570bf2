"""Search results as a tree: one row per file, ranked; its further passages as child rows."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop_search.ui.icons import kind_icon

if TYPE_CHECKING:
    from desktop_search.core.search import FileHit, PassageHit

PathRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
FolderRole = Qt.ItemDataRole.UserRole + 3
ModifiedRole = Qt.ItemDataRole.UserRole + 4  # seconds since the epoch
PageRole = Qt.ItemDataRole.UserRole + 5  # 1-based page of the row's passage, or None
SnippetRole = Qt.ItemDataRole.UserRole + 6
HighlightsRole = Qt.ItemDataRole.UserRole + 7  # ((start, end), ...) within the snippet
PassageRole = Qt.ItemDataRole.UserRole + 8  # the core PassageHit the row shows
HitRole = Qt.ItemDataRole.UserRole + 9  # the core FileHit the row belongs to
IsPassageRole = Qt.ItemDataRole.UserRole + 10  # True for a further passage (a child row)
MorePassagesRole = Qt.ItemDataRole.UserRole + 11  # further passages of a file row
CopiesRole = Qt.ItemDataRole.UserRole + 12  # every path with the file's bytes, itself too; () alone

_TOP = 0  # internal id of a file row; a passage row's id is its file's row + 1

Index = QModelIndex | QPersistentModelIndex


class ResultsModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[FileHit] = []
        self.query = ""
        self.title = ""  # shown above the list when set (a list of files like one file)

    def set_hits(self, query: str, hits: Sequence[FileHit]) -> None:
        self.beginResetModel()
        self.query = query
        self._hits = list(hits)
        self.endResetModel()

    def clear(self) -> None:
        self.set_hits("", [])

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return self.title if role == Qt.ItemDataRole.DisplayRole and section == 0 else None

    def hits(self) -> list[FileHit]:
        return list(self._hits)

    # the tree's shape

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _TOP) if row < len(self._hits) else QModelIndex()
        if parent.internalId() != _TOP or parent.row() >= len(self._hits):
            return QModelIndex()
        if row >= len(self._hits[parent.row()].passages) - 1:
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._hits)
        if parent.column() != 0 or parent.internalId() != _TOP:
            return 0
        return max(len(self._hits[parent.row()].passages) - 1, 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() != _TOP:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags

    # what a row says

    def hit_and_passage(self, index: Index) -> tuple[FileHit, PassageHit] | None:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            hit = self._hits[index.row()]
            return hit, hit.best
        hit = self._hits[index.internalId() - 1]
        return hit, hit.passages[index.row() + 1]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self.hit_and_passage(index)
        if found is None:
            return None
        hit, passage = found
        is_passage = index.internalId() != _TOP
        if role == Qt.ItemDataRole.DisplayRole:
            return _page_label(passage, index.row() + 2) if is_passage else os.path.basename(hit.path)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _copies_tip(hit.copies) if hit.copies else hit.path
        if role == Qt.ItemDataRole.DecorationRole:
            return None if is_passage else kind_icon(hit.kind)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            where = _page_label(passage, index.row() + 2 if is_passage else 1)
            return f"{os.path.basename(hit.path)}, {where}: {passage.snippet}"
        values = {
            PathRole: hit.path,
            KindRole: hit.kind,
            FolderRole: os.path.dirname(hit.path),
            ModifiedRole: hit.mtime,
            PageRole: passage.page,
            SnippetRole: passage.snippet,
            HighlightsRole: passage.highlights,
            PassageRole: passage,
            HitRole: hit,
            IsPassageRole: is_passage,
            MorePassagesRole: 0 if is_passage else len(hit.passages) - 1,
            CopiesRole: hit.copies,
        }
        return values.get(role)


def _page_label(passage: PassageHit, number: int) -> str:
    if passage.label:
        return passage.label[0].upper() + passage.label[1:]
    return f"Page {passage.page}" if passage.page else f"Passage {number}"


def _copies_tip(copies: tuple[str, ...]) -> str:
    return f"The same file in {len(copies)} places:\n" + "\n".join(copies)
