"""The catalog (SQLite): folders, files with their status, and each passage's text once, with an
FTS5 keyword index over it. It is the source of truth; the vector store follows it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_search.core.catalog.cjk_index import backfill_cjk, index_cjk
from desktop_search.core.catalog.ocr_pages import OcrPages
from desktop_search.core.catalog.retrieval import Retrieval
from desktop_search.core.catalog.schema import MIGRATIONS, SCHEMA, file_key, searchable_name
from desktop_search.core.catalog.transaction import Transaction
from desktop_search.core.chunking import Passage


@dataclass(frozen=True)
class FileRecord:
    key: str
    path: str
    folder: str
    kind: str | None
    size: int
    mtime: float
    hash: str | None
    status: str
    reason: str | None
    passages: int
    vector_bound: int  # vector ids 0..vector_bound-1 may be in the vector store
    synced: bool
    date: float | None = None  # the document's own date (a mail's), shown and filtered instead of mtime

    @property
    def shown_date(self) -> float:
        return self.date if self.date is not None else self.mtime


@dataclass(frozen=True)
class StoredPassage:
    id: int
    file_key: str
    seq: int
    page: int | None
    start: int
    end: int
    text: str
    label: str | None = None
    ocr: bool = False


class Catalog:
    def __init__(self, path: Path) -> None:
        self.path = path
        # One connection per thread that uses it (the GUI searches and indexes on different ones).
        self.db = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        self._migrate()
        self._index_names()
        backfill_cjk(self.db)
        self.retrieval = Retrieval(self.db)  # the searcher's read queries
        self.ocr = OcrPages(self.db)  # pages waiting for OCR, and those it has read

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        for table, column, definition in MIGRATIONS:
            columns = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            if column not in columns:
                self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    def new_connection(self) -> Catalog:
        """Another connection to the same catalog, for another thread."""
        return Catalog(self.path)

    # folders

    def add_folder(self, path: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO folders(path, added) VALUES (?, ?)", (path, time.time()))

    def folders(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT path FROM folders ORDER BY path")]

    def remove_folder(self, path: str) -> int:
        """Forget a folder; its files become 'deleted' until their vectors are gone."""
        with self._transaction():
            self.db.execute("DELETE FROM folders WHERE path = ?", (path,))
            keys = [row[0] for row in self.db.execute("SELECT key FROM files WHERE folder = ?", (path,))]
            for key in keys:
                self._mark_deleted(key)
        return len(keys)

    def exclusions(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT pattern FROM exclusions ORDER BY pattern")]

    def set_exclusions(self, patterns: Iterable[str]) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM exclusions")
            self.db.executemany("INSERT OR IGNORE INTO exclusions VALUES (?)", [(p,) for p in patterns])

    # files

    def file(self, path: str) -> FileRecord | None:
        row = self.db.execute(f"SELECT {_FILE_COLUMNS} FROM files WHERE path = ?", (path,)).fetchone()
        return _file_record(row) if row else None

    def files(self, folder: str | None = None) -> Iterator[FileRecord]:
        sql = f"SELECT {_FILE_COLUMNS} FROM files WHERE status != 'deleted'"
        args: tuple[str, ...] = ()
        if folder is not None:
            sql, args = sql + " AND folder = ?", (folder,)
        for row in self.db.execute(sql + " ORDER BY path", args):
            yield _file_record(row)

    def unsynced(self) -> list[FileRecord]:
        # Deleted files last: a renamed file's new passages can still reuse the old vectors.
        rows = self.db.execute(
            f"SELECT {_FILE_COLUMNS} FROM files WHERE synced = 0 ORDER BY status = 'deleted', path"
        )
        return [_file_record(row) for row in rows]

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, COUNT(*) FROM files WHERE status != 'deleted' GROUP BY status")
        return dict(rows.fetchall())

    def passage_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM passages").fetchone()[0])

    def save_file(
        self,
        *,
        path: str,
        folder: str,
        kind: str | None,
        size: int,
        mtime: float,
        hash: str | None,
        status: str,
        reason: str | None,
        passages: Sequence[Passage] = (),
        scanned: Sequence[int] = (),
        date: float | None = None,
    ) -> None:
        """Replace a file's passages (and its pages waiting for OCR) and record its status, as one
        transaction."""
        key = file_key(path)
        with self._transaction():
            self.db.execute("DELETE FROM passages WHERE file_key = ?", (key,))
            self.db.execute("DELETE FROM ocr_pages WHERE file_key = ?", (key,))
            self.db.executemany(
                "INSERT INTO ocr_pages(file_key, page) VALUES (?, ?)", [(key, page) for page in scanned]
            )
            self.db.executemany(
                "INSERT INTO passages(file_key, seq, page, start, end, text, label, ocr)"
                " VALUES (?,?,?,?,?,?,?,?)",
                [(key, p.seq, p.page, p.start, p.end, p.text, p.label, int(p.ocr)) for p in passages],
            )
            index_cjk(self.db, key, (p.text for p in passages))
            self.db.execute(
                """INSERT INTO files(key, path, folder, kind, size, mtime, hash, status, reason,
                                     passages, synced, indexed_at, date)
                   VALUES (?,?,?,?,?,?,?,?,?,?,0,?,?)
                   ON CONFLICT(key) DO UPDATE SET
                     path=excluded.path, folder=excluded.folder, kind=excluded.kind,
                     size=excluded.size, mtime=excluded.mtime, hash=excluded.hash,
                     status=excluded.status, reason=excluded.reason,
                     passages=excluded.passages, synced=0, indexed_at=excluded.indexed_at,
                     date=excluded.date""",
                (
                    key,
                    path,
                    folder,
                    kind,
                    size,
                    mtime,
                    hash,
                    status,
                    reason,
                    len(passages),
                    time.time(),
                    date,
                ),
            )
            self._save_name(key, path, folder)

    def _save_name(self, key: str, path: str, folder: str) -> None:
        (rowid,) = self.db.execute("SELECT rowid FROM files WHERE key = ?", (key,)).fetchone()
        self.db.execute("DELETE FROM names_fts WHERE rowid = ?", (rowid,))
        self.db.execute(
            "INSERT INTO names_fts(rowid, name) VALUES (?, ?)", (rowid, searchable_name(path, folder))
        )

    def _index_names(self) -> None:
        """Fill the name index of a catalog made before it existed (once)."""
        done = "SELECT 1 FROM settings WHERE name = 'names_indexed'"
        if self.db.execute(done).fetchone():
            return
        with self._transaction():
            if self.db.execute(done).fetchone():  # another connection was first
                return
            self.db.execute("DELETE FROM names_fts")
            rows = self.db.execute("SELECT rowid, path, folder FROM files").fetchall()
            self.db.executemany(
                "INSERT INTO names_fts(rowid, name) VALUES (?, ?)",
                [(rowid, searchable_name(path, folder)) for rowid, path, folder in rows],
            )
            self.db.execute("INSERT OR REPLACE INTO settings VALUES ('names_indexed', '1')")

    def invalidate(self, paths: Iterable[str]) -> None:
        """Make the next scan read these files again (a retry after a failure)."""
        self.db.executemany("UPDATE files SET size = -1, hash = NULL WHERE path = ?", [(p,) for p in paths])

    def touch_file(self, path: str, size: int, mtime: float) -> None:
        """The file's bytes are unchanged (same hash) though its time changed. Its vectors carry
        its date for the store's date filter: they are stored again (their vectors reused)."""
        self.db.execute(
            """UPDATE files SET size = ?, mtime = ?,
                   synced = CASE WHEN date IS NULL AND passages > 0 AND mtime != ? THEN 0 ELSE synced END
               WHERE path = ?""",
            (size, mtime, mtime, path),
        )

    def mark_deleted(self, paths: Iterable[str]) -> None:
        with self._transaction():
            for path in paths:
                self._mark_deleted(file_key(path))

    def _mark_deleted(self, key: str) -> None:
        self.db.execute("DELETE FROM passages WHERE file_key = ?", (key,))
        self.db.execute("DELETE FROM ocr_pages WHERE file_key = ?", (key,))
        self.db.execute("UPDATE files SET status = 'deleted', passages = 0, synced = 0 WHERE key = ?", (key,))

    # the vector store's side

    def passages_of(self, key: str) -> list[StoredPassage]:
        rows = self.db.execute(
            "SELECT id, file_key, seq, page, start, end, text, label, ocr FROM passages"
            " WHERE file_key = ? ORDER BY seq",
            (key,),
        )
        return [StoredPassage(*row) for row in rows]

    def begin_sync(self, key: str, count: int) -> None:
        """Before writing vectors 0..count-1: widen the bound so a crash leaves none unknown."""
        self.db.execute("UPDATE files SET vectors = MAX(vectors, ?) WHERE key = ?", (count, key))

    def finish_sync(
        self, key: str, ids_and_hashes: Sequence[tuple[str, str]], removed: Sequence[str]
    ) -> None:
        with self._transaction():
            self.db.executemany("DELETE FROM vectors WHERE id = ?", [(i,) for i in removed])
            self.db.executemany("INSERT OR REPLACE INTO vectors(id, hash) VALUES (?, ?)", ids_and_hashes)
            self.db.execute("DELETE FROM files WHERE key = ? AND status = 'deleted'", (key,))
            self.db.execute("UPDATE files SET synced = 1, vectors = passages WHERE key = ?", (key,))

    def begin_partial_sync(self, key: str, count: int, ids: Sequence[str]) -> None:
        """Before writing some of a file's vectors (a stopped run keeps what it embedded): widen the
        bound, and forget what these ids held so a crash leaves no id under another text's hash."""
        with self._transaction():
            self.begin_sync(key, count)
            self.db.executemany("DELETE FROM vectors WHERE id = ?", [(i,) for i in ids])

    def note_vectors(self, ids_and_hashes: Sequence[tuple[str, str]]) -> None:
        """These vectors are in the store (their file not yet whole): the next run reuses them."""
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO vectors(id, hash) VALUES (?, ?)", ids_and_hashes)

    def synced_vector_count(self) -> int:
        """Vectors the store must hold for the files marked in step with it."""
        row = self.db.execute("SELECT COALESCE(SUM(passages), 0) FROM files WHERE synced = 1").fetchone()
        return int(row[0])

    def desktop_name(self) -> str | None:
        """This desktop's name on a team's shared vector store, once it has one."""
        row = self.db.execute("SELECT value FROM settings WHERE name = 'desktop'").fetchone()
        return None if row is None else str(row[0])

    def name_desktop(self, name: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO settings VALUES ('desktop', ?)", (name,))

    def switch_model(self, model: str) -> bool:
        """Record the embedding model; True if vectors made by another model must be redone."""
        row = self.db.execute("SELECT value FROM settings WHERE name = 'model'").fetchone()
        self.db.execute("INSERT OR REPLACE INTO settings VALUES ('model', ?)", (model,))
        if row is None or row[0] == model:
            return False
        self.forget_vectors()
        return True

    def forget_vectors(self) -> None:
        """The vector store was lost: every file's passages must be embedded again."""
        with self._transaction():
            self.db.execute("DELETE FROM vectors")
            self.db.execute("UPDATE files SET synced = 0 WHERE passages > 0 OR status = 'deleted'")

    def vectors_with_hashes(self, hashes: Iterable[str]) -> dict[str, str]:
        """hash -> an id in the vector store holding that text's vector."""
        found: dict[str, str] = {}
        hashes = list(set(hashes))
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for vid, digest in self.db.execute(
                f"SELECT id, hash FROM vectors WHERE hash IN ({marks})", chunk
            ):
                found.setdefault(digest, vid)
        return found

    def _transaction(self) -> Transaction:
        return Transaction(self.db)


_FILE_COLUMNS = "key, path, folder, kind, size, mtime, hash, status, reason, passages, vectors, synced, date"


def _file_record(row: tuple[Any, ...]) -> FileRecord:
    key, path, folder, kind, size, mtime, digest, status, reason, passages, vectors, synced, date = row
    return FileRecord(
        key, path, folder, kind, size, mtime, digest, status, reason, passages, vectors, bool(synced), date
    )
