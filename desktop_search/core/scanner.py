"""Walk the added folders and list the files we can read, with size and modification time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop_search.core.extract import kind_for_suffix

# Never descend into these: version control, caches, dependency trees, trash.
SKIPPED_DIRS = {
    ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".cache",
    ".Trash", ".Trash-1000", "$RECYCLE.BIN", ".tox", ".mypy_cache", ".pytest_cache",
}


@dataclass(frozen=True)
class FoundFile:
    path: str
    size: int
    mtime: float


def is_candidate(name: str) -> bool:
    return not name.startswith((".", "~$")) and kind_for_suffix(Path(name)) is not None


def scan(root: str) -> Iterator[FoundFile]:
    """Files under root (or root itself, if it is a file); unreadable entries are passed over."""
    if os.path.isfile(root):
        stat = os.stat(root)
        yield FoundFile(root, stat.st_size, stat.st_mtime)
        return
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            continue
        subdirectories = []
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIPPED_DIRS and not entry.name.startswith("."):
                        subdirectories.append(entry.path)
                elif entry.is_file(follow_symlinks=False) and is_candidate(entry.name):
                    stat = entry.stat(follow_symlinks=False)
                    yield FoundFile(entry.path, stat.st_size, stat.st_mtime)
            except OSError:
                continue
        stack.extend(reversed(subdirectories))
