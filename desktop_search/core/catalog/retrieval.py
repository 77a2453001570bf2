"""The catalog's read queries for search: keyword and name rankings, passage ids under filters,
FTS5 checks and highlights, and the rows a result is built from."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop_search.core.cjk import as_phrases, has_cjk, unspaced
from desktop_search.core.filters import Filters, folder_prefix

KEYWORD_MARGIN = 20  # extra FTS5 winners, for passages of files waiting to leave the index
CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class PassageRow:
    """A passage with its file: what a search result is made of."""

    id: int
    file_key: str
    page: int | None
    start: int
    end: int
    text: str
    path: str
    kind: str | None
    folder: str
    mtime: float
    label: str | None = None
    ocr: bool = False


class Retrieval:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        # A file's name as sorting.py orders it: SQL's own string functions take several times longer.
        db.create_function("file_name", 1, _file_name, deterministic=True)

    def ranked_passages(self, expression: str, filters: Filters, depth: int) -> list[int]:
        """Passage ids matching the FTS5 expression, best BM25 first."""
        return [passage_id for passage_id, _ in self.scored_passages(expression, filters, depth)]

    def scored_passages(self, expression: str, filters: Filters, depth: int) -> list[tuple[int, float]]:
        """(passage id, BM25 score: higher is better) matching the FTS5 expression, best first.
        With CJK words, the CJK index's passages too, by the same score (each at its better one)."""
        ranked = self._ranked("passages_fts", expression, filters, depth)
        if has_cjk(expression):
            ranked += self._ranked("passages_cjk", as_phrases(expression), filters, depth)
        best: dict[int, float] = {}
        for passage_id, score in ranked:
            best[passage_id] = min(score, best.get(passage_id, score))
        return [(passage_id, -best[passage_id]) for passage_id in sorted(best, key=best.__getitem__)[:depth]]

    def matches_up_to(self, expression: str, cap: int) -> int:
        """How many passages match the expression, counting no further than cap: matching is cheap,
        so this costs little even where ranking every match would not."""
        row = self.db.execute(
            "SELECT COUNT(*) FROM (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? LIMIT ?)",
            (expression, cap),
        ).fetchone()
        return int(row[0])

    def _ranked(self, table: str, expression: str, filters: Filters, depth: int) -> list[tuple[int, float]]:
        """(passage id, BM25 rank: lower is better) matching the expression in an FTS5 table."""
        where, args = filter_sql(filters)
        if filters == Filters():
            # Rank inside FTS5 first and join only the winners: joining every match costs more
            # the larger the index.
            sql = f"""SELECT p.id, top.rank FROM (
                        SELECT rowid, rank FROM {table} WHERE {table} MATCH ?
                        ORDER BY rank LIMIT {depth + KEYWORD_MARGIN}) AS top
                      JOIN passages p ON p.id = top.rowid JOIN files f ON f.key = p.file_key
                      WHERE {where} ORDER BY top.rank LIMIT ?"""
        else:  # a filter may leave few of the best: rank only what passes it
            sql = f"""SELECT p.id, bm25({table}) AS score FROM {table}
                      JOIN passages p ON p.id = {table}.rowid
                      JOIN files f ON f.key = p.file_key
                      WHERE {table} MATCH ? AND {where}
                      ORDER BY score LIMIT ?"""
        return [(row[0], row[1]) for row in self.db.execute(sql, [expression, *args, depth])]

    def ranked_files_by_name(self, expression: str, filters: Filters, depth: int) -> list[str]:
        """Keys of the files whose name (path below their folder) matches, best first: files with
        no text too (a photo, a blank scan), as a person looking for a name expects."""
        where, args = filter_sql(filters, statuses=("indexed", "no text"))
        rows = self.db.execute(
            f"""SELECT f.key FROM names_fts JOIN files f ON f.rowid = names_fts.rowid
                WHERE names_fts MATCH ? AND {where} ORDER BY rank LIMIT ?""",
            [expression, *args, depth],
        )
        return [row[0] for row in rows]

    def passage_share(self, filters: Filters) -> float:
        """The share (0 to 1) of the indexed passages in files passing the filters."""
        where, args = filter_sql(filters)
        passing, total = self.db.execute(
            f"""SELECT COALESCE(SUM(CASE WHEN {where} THEN f.passages END), 0), COALESCE(SUM(f.passages), 0)
                FROM files f WHERE f.status = 'indexed'""",
            args,
        ).fetchone()
        return passing / total if total else 1.0

    def names_matching(self, expression: str, keys: Sequence[str]) -> set[str]:
        """Those of the file keys whose name matches the FTS5 expression."""
        if not keys:
            return set()
        rows = self.db.execute(
            f"""SELECT f.key FROM names_fts JOIN files f ON f.rowid = names_fts.rowid
                WHERE names_fts MATCH ? AND f.key IN ({_marks(keys)})""",
            [expression, *keys],
        )
        return {row[0] for row in rows}

    def first_passages(self, keys: Sequence[str]) -> dict[str, int]:
        """File key -> the id of its first passage."""
        found: dict[str, int] = {}
        for part in _chunks(keys):
            rows = self.db.execute(
                f"SELECT file_key, id FROM passages WHERE file_key IN ({_marks(part)}) AND seq = 0", part
            )
            found.update(rows.fetchall())
        return found

    def textless_rows(self, keys: Sequence[str]) -> dict[str, PassageRow]:
        """File key -> a passage standing for a file with no text (id 0; its text says why)."""
        found: dict[str, PassageRow] = {}
        for part in _chunks(keys):
            rows = self.db.execute(
                f"""SELECT key, path, kind, folder, COALESCE(date, mtime), reason FROM files
                    WHERE key IN ({_marks(part)}) AND passages = 0""",
                part,
            )
            for key, path, kind, folder, mtime, reason in rows:
                found[key] = PassageRow(0, key, None, 0, 0, reason or "", path, kind, folder, mtime, "")
        return found

    def listed_files(
        self, filters: Filters, forbidden: str | None, limit: int, by_name: bool = False
    ) -> list[PassageRow]:
        """The files passing the filters, files with no text too, newest first (by their date) or
        by name, each as its first passage or, with no text, a stand-in saying why (id 0).
        forbidden: an FTS5 expression none of a listed file's passages matches."""
        where, args = filter_sql(filters, statuses=("indexed", "no text"))
        for table, query in self._indexes(forbidden) if forbidden else []:
            # The matching files once, as a list: cheaper than a MATCH for each listed file.
            where += f""" AND f.key NOT IN (SELECT p.file_key FROM {table}
                          JOIN passages p ON p.id = {table}.rowid WHERE {table} MATCH ?)"""
            args.append(query)
        place = "file_name(f.path)" if by_name else "-COALESCE(f.date, f.mtime)"
        # The files first, then their passages: joining every passing file's first costs more.
        rows = self.db.execute(
            f"""SELECT COALESCE(p.id, 0), f.key, p.page, COALESCE(p.start, 0), COALESCE(p.end, 0),
                       COALESCE(p.text, f.reason, ''), f.path, f.kind, f.folder, f.day,
                       IIF(p.id IS NULL, '', p.label), COALESCE(p.ocr, 0)
                FROM (SELECT f.key, f.path, f.kind, f.folder, f.reason, COALESCE(f.date, f.mtime) AS day,
                             {place} AS place
                      FROM files f WHERE {where} ORDER BY place, f.path LIMIT ?) AS f
                LEFT JOIN passages p ON p.file_key = f.key AND p.seq = 0
                ORDER BY f.place, f.path""",
            [*args, limit],
        )
        return [PassageRow(*row) for row in rows]

    def files_of_passages(self, ids: Sequence[int]) -> dict[int, str]:
        """Passage id -> its file's key."""
        found: dict[int, str] = {}
        for part in _chunks(ids):
            rows = self.db.execute(f"SELECT id, file_key FROM passages WHERE id IN ({_marks(part)})", part)
            found.update(rows.fetchall())
        return found

    def passage_counts(self, keys: Sequence[str]) -> dict[str, int]:
        """File key -> how many passages the file has."""
        found: dict[str, int] = {}
        for part in _chunks(keys):
            rows = self.db.execute(f"SELECT key, passages FROM files WHERE key IN ({_marks(part)})", part)
            found.update(rows.fetchall())
        return found

    def passage_ids(self, places: Sequence[tuple[str, int]], filters: Filters) -> dict[tuple[str, int], int]:
        """(file key, seq) -> passage id, for the passages still in the catalog that pass the filters."""
        if not places:
            return {}
        where, args = filter_sql(filters)
        pairs = ",".join("(?, ?)" for _ in places)
        rows = self.db.execute(
            f"""WITH wanted(file_key, seq) AS (VALUES {pairs})
                SELECT p.file_key, p.seq, p.id FROM wanted
                JOIN passages p USING (file_key, seq) JOIN files f ON f.key = p.file_key
                WHERE {where}""",
            [value for place in places for value in place] + args,
        )
        return {(key, seq): passage_id for key, seq, passage_id in rows}

    def matching(self, expression: str, ids: Sequence[int]) -> set[int]:
        """Those of the passage ids whose text matches the FTS5 expression (in either index)."""
        if not ids:
            return set()
        found = set()
        for table, query in self._indexes(expression):
            for part in _chunks(ids):
                # The matches as a subquery: FTS5 answers "MATCH ? AND rowid IN (...)" one rowid
                # at a time, many times slower.
                rows = self.db.execute(
                    f"""SELECT id FROM passages WHERE id IN ({_marks(part)})
                        AND id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)""",
                    [*part, query],
                )
                found |= {row[0] for row in rows}
        return found

    def files_mentioning(self, expression: str, keys: Sequence[str]) -> set[str]:
        """Those of the file keys with a passage matching the FTS5 expression (in either index)."""
        if not keys:
            return set()
        found = set()
        for table, query in self._indexes(expression):
            rows = self.db.execute(
                f"""SELECT DISTINCT p.file_key FROM {table} JOIN passages p ON p.id = {table}.rowid
                    WHERE {table} MATCH ? AND p.file_key IN ({_marks(keys)})""",
                [query, *keys],
            )
            found |= {row[0] for row in rows}
        return found

    def highlighted(self, expression: str, ids: Sequence[int], opening: str, closing: str) -> dict[int, str]:
        """Passage id -> its text with each match of the expression between the two marks (as the
        CJK index marks it, for a passage it holds)."""
        if not ids:
            return {}
        found: dict[int, str] = {}
        for table, query in self._indexes(expression):
            rows = self.db.execute(
                f"""SELECT rowid, highlight({table}, 0, ?, ?)
                    FROM {table} WHERE {table} MATCH ? AND rowid IN ({_marks(ids)})""",
                [opening, closing, query, *ids],
            )
            spaced = table == "passages_cjk"
            found.update((passage_id, unspaced(text) if spaced else text) for passage_id, text in rows)
        return found

    def _indexes(self, expression: str) -> list[tuple[str, str]]:
        """(FTS5 table, expression for it): the CJK index too when the expression has CJK words."""
        if has_cjk(expression):
            return [("passages_fts", expression), ("passages_cjk", as_phrases(expression))]
        return [("passages_fts", expression)]

    def passage_rows(self, ids: Sequence[int]) -> list[PassageRow]:
        rows = []
        for part in _chunks(ids):
            rows += self.db.execute(
                f"""SELECT p.id, p.file_key, p.page, p.start, p.end, p.text,
                           f.path, f.kind, f.folder, COALESCE(f.date, f.mtime), p.label, p.ocr
                    FROM passages p JOIN files f ON f.key = p.file_key WHERE p.id IN ({_marks(part)})""",
                part,
            ).fetchall()
        return [PassageRow(*row) for row in rows]


def filter_sql(filters: Filters, statuses: Sequence[str] = ("indexed",)) -> tuple[str, list[Any]]:
    """A condition on the files table (as f) for files of these statuses passing the filters."""
    conditions: list[str] = [f"f.status IN ({_marks(statuses)})"]
    args: list[Any] = list(statuses)
    if filters.kinds:
        conditions.append(f"f.kind IN ({_marks(filters.kinds)})")
        args.extend(filters.kinds)
    if filters.folders:
        under = []
        for folder in filters.folders:
            prefix = folder_prefix(folder)
            under.append("f.path = ? OR substr(f.path, 1, ?) = ?")
            args.extend([folder, len(prefix), prefix])
        conditions.append("(" + " OR ".join(under) + ")")
    if filters.modified_after is not None:
        conditions.append("COALESCE(f.date, f.mtime) >= ?")
        args.append(filters.modified_after)
    if filters.modified_before is not None:
        conditions.append("COALESCE(f.date, f.mtime) <= ?")
        args.append(filters.modified_before)
    for name in filters.folder_names:
        # A folder of the name from the added folder's own on: the path after the added folder's
        # parent holds /name/ (rtrim(x, replace(x, sep, '')) is x up to its last separator).
        conditions.append(
            "instr(lower(substr(f.path, length(rtrim(f.folder, replace(f.folder, ?, ''))))), lower(?)) > 0"
        )
        args.extend([os.sep, os.sep + name + os.sep])
    for word in filters.name_words:
        conditions.append(
            "instr(lower(substr(f.path, length(rtrim(f.path, replace(f.path, ?, ''))) + 1)), lower(?)) > 0"
        )
        args.extend([os.sep, word])
    return " AND ".join(conditions), args


def _file_name(path: str) -> str:
    return os.path.basename(path).casefold()


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def _chunks(values: Sequence[Any]) -> list[list[Any]]:
    return [list(values[start : start + CHUNK]) for start in range(0, len(values), CHUNK)]
