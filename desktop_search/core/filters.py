"""What a search may return: file kinds, folders, a window of dates, words of the file's name.

A file's date is its document's own date when it has one (a mail's Date:), else its modification
time. Each index turns these into its own terms: the catalog into SQL (catalog/retrieval.py), the
Chroma store into a `where` (chroma_store.py) on what its metadata holds; the catalog narrows
exactly what the store cannot.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace

VECTOR_WIDENING = 8  # see Filters.for_vectors


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()  # files under any of these (added folders or folders below them)
    modified_after: float | None = None
    modified_before: float | None = None
    folder_names: tuple[str, ...] = ()  # files below a folder of each name (the added one or deeper)
    name_words: tuple[str, ...] = ()  # files whose name holds each of these

    def by_metadata(self) -> bool:
        """Kinds or dates: what the vector store can check on each vector's metadata."""
        return bool(self.kinds) or self.modified_after is not None or self.modified_before is not None

    def for_vectors(self, share: float) -> tuple[Filters, int]:
        """(what the vector store is to check, how many times deeper it looks), for filters that a
        share (0 to 1) of the passages pass. A filter most passages pass costs the store more to
        check than the catalog (a scan of every vector's metadata): the store then looks deeper
        without it and the catalog narrows exactly, as it does for what the store cannot check
        (folder names, name words)."""
        if share >= 1 / VECTOR_WIDENING and self.by_metadata():
            return replace(self, kinds=(), modified_after=None, modified_before=None), VECTOR_WIDENING
        return self, VECTOR_WIDENING if self.narrows_names() else 1

    def narrows_names(self) -> bool:
        """Folder names or name words: what only the catalog can check."""
        return bool(self.folder_names or self.name_words)

    def within(self, other: Filters) -> Filters | None:
        """Files passing both filters, or None when no file can."""
        kinds = _both(self.kinds, other.kinds)
        folders = _inner_folders(self.folders, other.folders)
        if kinds is None or folders is None:
            return None
        after = max((t for t in (self.modified_after, other.modified_after) if t is not None), default=None)
        before = min(
            (t for t in (self.modified_before, other.modified_before) if t is not None), default=None
        )
        if after is not None and before is not None and after > before:
            return None
        return Filters(
            kinds,
            folders,
            after,
            before,
            tuple(dict.fromkeys([*self.folder_names, *other.folder_names])),
            tuple(dict.fromkeys([*self.name_words, *other.name_words])),
        )

    def admits(self, path: str, folder: str, kind: str | None, date: float | None) -> bool:
        """Whether a file the catalog does not hold (another desktop's, on a shared server)
        passes: its path, added folder, kind and date as its vectors say."""
        if not self.admits_path(path) or (self.kinds and kind not in self.kinds):
            return False
        if date is not None and not (
            (self.modified_after is None or date >= self.modified_after)
            and (self.modified_before is None or date <= self.modified_before)
        ):
            return False
        below = _components(path[len(os.path.dirname(folder.rstrip(os.sep))) :])[:-1]
        name = os.path.basename(path).casefold()
        return all(wanted.casefold() in below for wanted in self.folder_names) and all(
            word.casefold() in name for word in self.name_words
        )

    def admits_path(self, path: str) -> bool:
        """The path is under one of the folders (or no folder was asked for)."""
        return not self.folders or any(is_under(path, folder) for folder in self.folders)

    def by_added_folder(self, added: Sequence[str]) -> Filters:
        """The same filters with each folder replaced by the added folders holding files under it:
        the vector store knows a file's added folder only, so it can narrow to those and leave the
        exact path check to the catalog."""
        if not self.folders:
            return self
        related = [
            folder
            for folder in added
            if any(is_under(wanted, folder) or is_under(folder, wanted) for wanted in self.folders)
        ]
        # The asked folders too: on a shared server, another desktop may have added one of them.
        return replace(self, folders=tuple(dict.fromkeys([*related, *self.folders])))


def folder_prefix(folder: str) -> str:
    """What the path of every file under the folder starts with."""
    return folder if folder.endswith(os.sep) else folder + os.sep


def is_under(path: str, folder: str) -> bool:
    """The path is the folder or inside it (/a/b is under /a, /ab is not)."""
    return path == folder or path.startswith(folder_prefix(folder))


def _both(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...] | None:
    """Values in both lists (either empty: any), or None when none is."""
    if not (first and second):
        return first or second
    common = tuple(value for value in first if value in second)
    return common or None


def _inner_folders(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...] | None:
    """Folders under one of each list (either empty: any), or None when none is."""
    if not (first and second):
        return first or second
    inner = [a if is_under(a, b) else b for a in first for b in second if is_under(a, b) or is_under(b, a)]
    return tuple(dict.fromkeys(inner)) or None


def _components(path: str) -> list[str]:
    return [part.casefold() for part in path.split(os.sep) if part]
