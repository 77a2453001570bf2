"""Pages waiting for OCR and the pages it has read (text and word boxes), in the catalog.

Each recognised page is saved as soon as it is read, so a run stopped or killed never reads a page
twice; when a file's last page is read, its text becomes passages in the same transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_search.core.catalog.cjk_index import index_cjk
from desktop_search.core.catalog.transaction import Transaction
from desktop_search.core.chunking import Passage

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the page


@dataclass(frozen=True)
class OcrPage:
    page: int
    text: str
    words: tuple[tuple[str, Box], ...]
    failure: str | None = None


@dataclass(frozen=True)
class PendingFile:
    key: str
    path: str
    kind: str | None
    pages: tuple[int, ...]  # still to read
    read: int  # pages of this file already read


class OcrPages:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def pending(self) -> list[PendingFile]:
        """Files with pages still to read, in path order, with those pages."""
        rows = self.db.execute(
            """SELECT f.key, f.path, f.kind, o.page, o.text IS NOT NULL
               FROM ocr_pages o JOIN files f ON f.key = o.file_key
               WHERE f.status != 'deleted' AND o.file_key IN (
                   SELECT file_key FROM ocr_pages WHERE text IS NULL)
               ORDER BY f.path, o.page"""
        )
        places: dict[str, tuple[str, str | None]] = {}
        todo: dict[str, list[int]] = {}
        read: dict[str, int] = {}
        for key, path, kind, page, done in rows:
            places[key] = (path, kind)
            if done:
                read[key] = read.get(key, 0) + 1
            else:
                todo.setdefault(key, []).append(page)
        return [
            PendingFile(key, path, kind, tuple(todo[key]), read.get(key, 0))
            for key, (path, kind) in places.items()
        ]

    def pending_pages(self) -> int:
        row = self.db.execute(
            """SELECT COUNT(*) FROM ocr_pages o JOIN files f ON f.key = o.file_key
               WHERE o.text IS NULL AND f.status != 'deleted'"""
        ).fetchone()
        return int(row[0])

    def pages_of(self, key: str) -> list[OcrPage]:
        return self._read("file_key = ?", (key,))

    def page(self, key: str, number: int) -> OcrPage | None:
        found = self._read("file_key = ? AND page = ?", (key, number))
        return found[0] if found else None

    def _read(self, where: str, args: tuple[object, ...]) -> list[OcrPage]:
        """The pages already read that match the condition, in page order."""
        rows = self.db.execute(
            f"SELECT page, text, words, failure FROM ocr_pages WHERE {where} AND text IS NOT NULL ORDER BY page",
            args,
        )
        return [OcrPage(page, text, _words(words), failure) for page, text, words, failure in rows]

    def save(self, key: str, result: OcrPage, seconds: float) -> None:
        """One page read; the file waits for its other pages."""
        self.db.execute(
            "UPDATE ocr_pages SET text = ?, words = ?, failure = ?, seconds = ? WHERE file_key = ? AND page = ?",
            (result.text, _json(result.words), result.failure, seconds, key, result.page),
        )

    def finish(
        self,
        key: str,
        last: OcrPage,
        seconds: float,
        passages: Sequence[Passage],
        status: str,
        reason: str | None,
    ) -> None:
        """The file's last page read: save it and add the passages of all its read pages, at once."""
        with Transaction(self.db):
            self.save(key, last, seconds)
            self.db.execute("DELETE FROM passages WHERE file_key = ? AND ocr = 1", (key,))
            (first_seq,) = self.db.execute(
                "SELECT COALESCE(MAX(seq) + 1, 0) FROM passages WHERE file_key = ?", (key,)
            ).fetchone()
            self.db.executemany(
                "INSERT INTO passages(file_key, seq, page, start, end, text, label, ocr)"
                " VALUES (?,?,?,?,?,?,?,1)",
                [(key, first_seq + p.seq, p.page, p.start, p.end, p.text, p.label) for p in passages],
            )
            index_cjk(self.db, key, (p.text for p in passages), first_seq)
            (count,) = self.db.execute("SELECT COUNT(*) FROM passages WHERE file_key = ?", (key,)).fetchone()
            self.db.execute(
                "UPDATE files SET passages = ?, synced = 0, status = ?, reason = ? WHERE key = ?",
                (count, status, reason, key),
            )


def _json(words: Sequence[tuple[str, Box]]) -> str:
    return json.dumps([[word, *(round(value, 5) for value in box)] for word, box in words])


def _words(data: str | None) -> tuple[tuple[str, Box], ...]:
    if not data:
        return ()
    return tuple((word, (x0, y0, x1, y1)) for word, x0, y0, x1, y1 in json.loads(data))
