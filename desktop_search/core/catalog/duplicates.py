"""The catalog's queries for duplicates: files with the same bytes (the same content hash), and
the files whose passage vectors stand for their text (for near-identical ones)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from desktop_search.core.catalog.retrieval import _chunks, _marks

# A file whose bytes were hashed and that is still in the catalog (a deleted one waits for its
# vectors to leave; a file the next scan must read again has no hash).
PRESENT = "hash IS NOT NULL AND status != 'deleted'"


@dataclass(frozen=True)
class FileCopy:
    path: str
    size: int
    hash: str


@dataclass(frozen=True)
class EmbeddedFile:
    """A file whose passages all have their vectors in the vector store."""

    key: str
    path: str
    size: int
    hash: str
    passages: int


class DuplicateRows:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def identical(self) -> list[FileCopy]:
        """Every file sharing its content hash with another, ordered by hash then path."""
        rows = self.db.execute(
            f"""SELECT path, size, hash FROM files WHERE {PRESENT} AND hash IN (
                    SELECT hash FROM files WHERE {PRESENT} GROUP BY hash HAVING COUNT(*) > 1)
                ORDER BY hash, path"""
        )
        return [FileCopy(*row) for row in rows]

    def hashes(self, keys: Sequence[str]) -> dict[str, str]:
        """File key -> content hash, for those of the keys that have one."""
        found: dict[str, str] = {}
        for part in _chunks(keys):
            rows = self.db.execute(
                f"SELECT key, hash FROM files WHERE key IN ({_marks(part)}) AND hash IS NOT NULL", part
            )
            found.update((key, digest) for key, digest in rows)
        return found

    def copies_of(self, paths: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Path -> every path with its bytes (itself included, sorted), for those of the paths
        that have another copy."""
        found: dict[str, list[str]] = {}
        for part in _chunks(paths):
            rows = self.db.execute(
                f"""SELECT f.path, g.path FROM files f JOIN files g ON g.hash = f.hash
                    WHERE f.path IN ({_marks(part)}) AND f.hash IS NOT NULL AND g.status != 'deleted'
                    ORDER BY g.path""",
                part,
            )
            for path, copy in rows:
                found.setdefault(path, []).append(copy)
        return {path: tuple(copies) for path, copies in found.items() if len(copies) > 1}

    def embedded(self) -> Iterator[EmbeddedFile]:
        """Indexed files with passages, all in the vector store, one per content hash (the
        first path): copies of the same bytes are the identical kind already."""
        rows = self.db.execute(
            f"""SELECT key, path, size, hash, passages FROM files
                WHERE {PRESENT} AND status = 'indexed' AND passages > 0 AND synced = 1
                ORDER BY hash, path"""
        )
        last = None
        for row in rows:
            if row[3] != last:
                last = row[3]
                yield EmbeddedFile(*row)
