"""What the window shows about the catalog, read in one go on a background thread."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

INDEXED = "indexed"


@dataclass(frozen=True)
class FolderStats:
    path: str
    files: int = 0  # files found (every status)
    indexed: int = 0
    failed: int = 0  # could not be read: no text, password, unsupported, error
    waiting: int = 0  # read, but not yet searchable by meaning
    passages: int = 0
    missing: bool = False  # not on disk now (an unplugged drive?): its files are kept


@dataclass(frozen=True)
class Failure:
    path: str
    folder: str
    status: str
    reason: str | None


@dataclass(frozen=True)
class CatalogStats:
    folders: tuple[FolderStats, ...] = ()
    files: int = 0
    indexed: int = 0
    passages: int = 0
    waiting: int = 0
    failures: tuple[Failure, ...] = ()
    exclusions: tuple[str, ...] = ()  # the user's patterns of files to leave out

    def describe(self) -> str:
        """For the status bar: "1,234 files · 15,678 passages · 12 files still being understood"."""
        text = f"{self.indexed:,} files · {self.passages:,} passages"
        return text + (f" · {self.waiting:,} files still being understood" if self.waiting else "")


def read_stats(catalog: Any) -> CatalogStats:
    """catalog: a core Catalog connection owned by the calling thread."""
    folders = catalog.folders()
    records = list(catalog.files())
    stats = summarize(folders, records, catalog.passage_count())
    return replace(
        stats,
        folders=tuple(replace(f, missing=not os.path.exists(f.path)) for f in stats.folders),
        exclusions=tuple(catalog.exclusions()),
    )


def summarize(folders: Iterable[str], records: Iterable[Any], passages: int) -> CatalogStats:
    tallies: dict[str, dict[str, int]] = {
        folder: {"files": 0, "indexed": 0, "failed": 0, "waiting": 0, "passages": 0} for folder in folders
    }
    failures: list[Failure] = []
    for record in records:
        tally = tallies.get(record.folder)
        if tally is None:  # a folder removed a moment ago
            continue
        tally["files"] += 1
        tally["passages"] += record.passages
        if record.status == INDEXED:
            tally["indexed"] += 1
            tally["waiting"] += 0 if record.synced else 1
        else:
            tally["failed"] += 1
            failures.append(Failure(record.path, record.folder, record.status, record.reason))
    stats = tuple(FolderStats(folder, **tally) for folder, tally in tallies.items())
    return CatalogStats(
        folders=stats,
        files=sum(s.files for s in stats),
        indexed=sum(s.indexed for s in stats),
        passages=passages,
        waiting=sum(s.waiting for s in stats),
        failures=tuple(failures),
    )


def folder_of(path: str, folders: Iterable[str]) -> str | None:
    """The added folder (or file) that path was found under: the longest that contains it."""
    best = None
    for folder in folders:
        if path == folder or path.startswith(folder.rstrip(os.sep) + os.sep):
            if best is None or len(folder) > len(best):
                best = folder
    return best
