"""What a search may return: file kinds, folders, a window of modification times.

Each index turns these into its own terms: the catalog into SQL (catalog/retrieval.py), the
Chroma store into a `where` (chroma_store.py).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()  # files under any of these (added folders or folders below them)
    modified_after: float | None = None
    modified_before: float | None = None

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
