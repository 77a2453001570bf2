"""Walk the added folders and list the files we can read, with size and modification time,
leaving out what the exclusions (gitignore syntax) name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from desktop_search.core.extract import SNIFF_BYTES, kind_for_suffix, looks_like_text

# Hidden files and folders (.git, .cache, .venv…), dependency trees, caches, editors' temp files.
DEFAULT_EXCLUSIONS = (
    ".*",
    "node_modules/",
    "__pycache__/",
    "venv/",
    "$RECYCLE.BIN/",
    "System Volume Information/",
    "~$*",
    "*.tmp",
    "*.temp",
    "*.swp",
    "*~",
    "*.part",
    "*.crdownload",
)


@dataclass(frozen=True)
class FoundFile:
    path: str
    size: int
    mtime: float


class Exclusions:
    def __init__(self, user_patterns: Iterable[str] = ()) -> None:
        self.user_patterns = tuple(user_patterns)
        self.spec = pathspec.GitIgnoreSpec.from_lines([*DEFAULT_EXCLUSIONS, *self.user_patterns])

    def excludes(self, relative: str, is_dir: bool = False) -> bool:
        return self.spec.match_file(relative + "/" if is_dir else relative)


SNIFFED_SIZE = 16 << 20  # a file of an unknown type larger than this is not taken for text


def is_candidate(name: str) -> bool:
    return kind_for_suffix(Path(name)) is not None


def reads_as_text(path: str, size: int) -> bool:
    """A file of no type we know is still read if its first bytes are text (notes.nfo, TODO)."""
    if not 0 < size <= SNIFFED_SIZE:
        return False
    try:
        with open(path, "rb") as stream:
            return looks_like_text(stream.read(SNIFF_BYTES))
    except OSError:
        return False


def scan(root: str, exclusions: Exclusions | None = None) -> Iterator[FoundFile]:
    """Files under root (or root itself, if it is a file); unreadable entries are passed over.

    Symbolic links are not followed (no loops, no files counted twice); sockets, FIFOs and devices
    are not regular files and never read.
    """
    exclusions = exclusions or Exclusions()
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
            continue  # permission denied, or the folder vanished (an unplugged drive)
        subdirectories = []
        for entry in entries:
            try:
                relative = os.path.relpath(entry.path, root)
                if entry.is_dir(follow_symlinks=False):
                    if not exclusions.excludes(relative, is_dir=True):
                        subdirectories.append(entry.path)
                elif entry.is_file(follow_symlinks=False) and not exclusions.excludes(relative):
                    known = is_candidate(entry.name)
                    stat = entry.stat(follow_symlinks=False)
                    if known or reads_as_text(entry.path, stat.st_size):
                        yield FoundFile(entry.path, stat.st_size, stat.st_mtime)
            except (OSError, ValueError):
                continue  # e.g. a name that is not valid in this file system's encoding
        stack.extend(reversed(subdirectories))
