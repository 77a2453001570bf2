"""What the index knows about its folders, counted in one go: files per folder and per status,
passages, what still waits for its vectors, and the files that could not be read."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_search.core.catalog import Catalog, FileRecord

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
    waiting: int = 0  # files read but not yet searchable by meaning
    waiting_passages: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    failures: tuple[Failure, ...] = ()
    exclusions: tuple[str, ...] = ()  # the user's patterns of files to leave out
    waiting_ocr_pages: int = 0  # scanned pages and images not yet read by OCR

    def describe(self) -> str:
        """One line: "1,234 files · 15,678 passages · 12 files still being understood"."""
        text = f"{self.indexed:,} files · {self.passages:,} passages"
        text += f" · {self.waiting:,} files still being understood" if self.waiting else ""
        return text + (
            f" · {self.waiting_ocr_pages:,} pages waiting for OCR" if self.waiting_ocr_pages else ""
        )


def read_stats(catalog: Catalog) -> CatalogStats:
    """catalog: a connection owned by the calling thread."""
    stats = summarize(catalog.folders(), catalog.files(), catalog.passage_count())
    return replace(
        stats,
        folders=tuple(replace(f, missing=not os.path.exists(f.path)) for f in stats.folders),
        exclusions=tuple(catalog.exclusions()),
        waiting_ocr_pages=catalog.ocr.pending_pages(),
    )


def vector_state(record: FileRecord) -> str:
    """Whether the file is searchable by meaning yet: "stored" (its passages' vectors are in the
    vector store), "waiting" (read and keyword-searchable, its vectors to come) or "none" (no
    passages: a failure, or a picture with no text)."""
    if record.status != INDEXED or not record.passages:
        return "none"
    return "stored" if record.synced else "waiting"


def summarize(folders: Iterable[str], records: Iterable[FileRecord], passages: int) -> CatalogStats:
    tallies: dict[str, Counter[str]] = {folder: Counter() for folder in folders}
    by_status: Counter[str] = Counter()
    failures: list[Failure] = []
    waiting_passages = 0
    for record in records:
        tally = tallies.get(record.folder)
        if tally is None:  # a folder removed a moment ago
            continue
        by_status[record.status] += 1
        tally["files"] += 1
        tally["passages"] += record.passages
        if record.status == INDEXED:
            tally["indexed"] += 1
            if not record.synced:
                tally["waiting"] += 1
                waiting_passages += record.passages
        else:
            tally["failed"] += 1
            failures.append(Failure(record.path, record.folder, record.status, record.reason))
    stats = tuple(
        FolderStats(folder, t["files"], t["indexed"], t["failed"], t["waiting"], t["passages"])
        for folder, t in tallies.items()
    )
    return CatalogStats(
        folders=stats,
        files=sum(s.files for s in stats),
        indexed=sum(s.indexed for s in stats),
        passages=passages,
        waiting=sum(s.waiting for s in stats),
        waiting_passages=waiting_passages,
        by_status=dict(sorted(by_status.items())),
        failures=tuple(failures),
    )


def folder_of(path: str, folders: Iterable[str]) -> str | None:
    """The added folder (or file) that path was found under: the longest that contains it."""
    best = None
    for folder in folders:
        inside = path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
        if inside and (best is None or len(folder) > len(best)):
            best = folder
    return best
