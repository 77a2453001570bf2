"""Query to ranked files: vector kNN and BM25 keyword hits fused by reciprocal rank, grouped by
file, with a snippet of the best sentences and the matched words marked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop_search.core.catalog import Catalog, parse_vector_id
from desktop_search.core.embedding import Embedder
from desktop_search.core.query import Query, parse
from desktop_search.core.vectors import VectorStore

RRF_K = 10  # tuned on SciFact train (60, the usual default, scored 0.004 lower)
CANDIDATES = 100  # passages taken from each index before fusing
KEYWORD_MARGIN = 20
PASSAGES_PER_FILE = 5
SNIPPET_CHARS = 280
_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"
_SENTENCE = re.compile(r".+?(?:[.!?。！？]+(?=\s)|\n|$)\s*", re.DOTALL)


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()
    modified_after: float | None = None
    modified_before: float | None = None

    def chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.kinds:
            clauses.append({"kind": {"$in": list(self.kinds)}})
        if self.folders:
            clauses.append({"folder": {"$in": list(self.folders)}})
        if self.modified_after is not None:
            clauses.append({"mtime": {"$gte": self.modified_after}})
        if self.modified_before is not None:
            clauses.append({"mtime": {"$lte": self.modified_before}})
        if len(clauses) > 1:
            return {"$and": clauses}
        return clauses[0] if clauses else None

    def sql(self) -> tuple[str, list[Any]]:
        conditions, args = ["f.status = 'indexed'"], []
        if self.kinds:
            conditions.append(f"f.kind IN ({','.join('?' * len(self.kinds))})")
            args.extend(self.kinds)
        if self.folders:
            conditions.append(f"f.folder IN ({','.join('?' * len(self.folders))})")
            args.extend(self.folders)
        if self.modified_after is not None:
            conditions.append("f.mtime >= ?")
            args.append(self.modified_after)
        if self.modified_before is not None:
            conditions.append("f.mtime <= ?")
            args.append(self.modified_before)
        return " AND ".join(conditions), args


@dataclass(frozen=True)
class PassageHit:
    id: int
    page: int | None
    start: int  # character span of the passage in its page (or file)
    end: int
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # spans of matched words within the snippet
    text: str


@dataclass(frozen=True)
class FileHit:
    path: str
    kind: str | None
    folder: str
    mtime: float
    score: float
    passages: tuple[PassageHit, ...] = field(default=())

    @property
    def best(self) -> PassageHit:
        return self.passages[0]


@dataclass
class Weights:
    """How much each ranked list counts in the fusion (tuned on SciFact train)."""

    vector: float = 1.0
    keyword: float = 1.0
    phrase: float = 1.0  # passages holding the whole query verbatim
    name: float = 1.0  # files whose name (or path below their folder) has the words
    k: int = RRF_K


def fuse(ranked: dict[str, list[int]], weights: Weights) -> dict[int, float]:
    """Weighted reciprocal rank fusion of ranked passage-id lists."""
    scores: dict[int, float] = {}
    for name, ids in ranked.items():
        weight = getattr(weights, name)
        for rank, passage_id in enumerate(ids):
            scores[passage_id] = scores.get(passage_id, 0.0) + weight / (weights.k + rank + 1)
    return scores


class Searcher:
    def __init__(self, catalog: Catalog, vectors: VectorStore | None, embedder: Embedder | None) -> None:
        self.catalog = catalog
        self.vectors = vectors
        self.embedder = embedder
        self.weights = Weights()
        self._remote: dict[int, tuple[Any, ...]] = {}  # this search's passages known only to the server

    def search(
        self, text: str, limit: int = 10, filters: Filters | None = None, mode: str = "hybrid"
    ) -> list[FileHit]:
        """mode: "hybrid", "vector" or "keyword"."""
        query = parse(text)
        if query.is_empty() or limit <= 0:
            return []
        self._remote = {}
        ranked = self.ranked_lists(query, filters or Filters(), max(CANDIDATES, limit * 3), mode)
        return self._group(query, fuse(ranked, self.weights), limit)

    def ranked_lists(
        self, query: Query, filters: Filters, depth: int, mode: str = "hybrid"
    ) -> dict[str, list[int]]:
        """Passage ids, best first, from each index the mode uses."""
        ranked: dict[str, list[int]] = {}
        if mode in ("hybrid", "keyword"):
            ranked["keyword"] = self._keyword(query.fts_match(), filters, depth)
        if mode == "hybrid" and query.fts_whole():
            ranked["phrase"] = self._keyword(query.fts_whole(), filters, depth)
        if mode in ("hybrid", "vector") and self.vectors is not None and self.embedder is not None:
            ranked["vector"] = self._semantic(query, filters, depth)
        if mode == "hybrid":
            ranked["name"] = self._by_name(query, filters, depth, ranked)
        return ranked

    def _by_name(self, query: Query, filters: Filters, depth: int, ranked: dict[str, list[int]]) -> list[int]:
        """Files whose name matches, best first, each as its best passage in the other lists (or
        its first passage)."""
        expression = query.fts_match()
        if not expression:
            return []
        where, args = filters.sql()
        keys = [
            row[0]
            for row in self.catalog.db.execute(
                f"""SELECT f.key FROM names_fts JOIN files f ON f.rowid = names_fts.rowid
                WHERE names_fts MATCH ? AND {where} ORDER BY rank LIMIT ?""",
                [expression, *args, depth],
            )
        ]
        if not keys:
            return []
        best_rank: dict[int, int] = {}
        for ids in ranked.values():
            for rank, passage_id in enumerate(ids):
                best_rank[passage_id] = min(rank, best_rank.get(passage_id, rank))
        marks = ",".join("?" * len(keys))
        chosen: dict[str, tuple[int, int]] = {}  # file key -> (rank in the other lists, passage id)
        for passage_id, key in self.catalog.db.execute(
            f"SELECT id, file_key FROM passages WHERE file_key IN ({marks}) AND seq = 0", keys
        ):
            chosen[key] = (len(best_rank) + 1, passage_id)
        seen = [pid for pid in best_rank if pid > 0]
        for start in range(0, len(seen), 500):
            part = seen[start : start + 500]
            for passage_id, key in self.catalog.db.execute(
                f"SELECT id, file_key FROM passages WHERE id IN ({','.join('?' * len(part))})", part
            ):
                if key in chosen and best_rank[passage_id] < chosen[key][0]:
                    chosen[key] = (best_rank[passage_id], passage_id)
        ordered = [chosen[key][1] for key in keys if key in chosen]
        required = query.constraints()[0]
        if required:
            allowed = self._matching(required, ordered)
            ordered = [pid for pid in ordered if pid in allowed]
        return ordered

    def _keyword(self, expression: str | None, filters: Filters, depth: int) -> list[int]:
        if not expression:
            return []
        where, args = filters.sql()
        if filters == Filters():
            # Rank inside FTS5 first and join only the winners (p95 halves at 100k passages);
            # the margin covers passages of files waiting to leave the index.
            sql = f"""SELECT p.id FROM (
                        SELECT rowid, rank FROM passages_fts WHERE passages_fts MATCH ?
                        ORDER BY rank LIMIT {depth + KEYWORD_MARGIN}) AS top
                      JOIN passages p ON p.id = top.rowid JOIN files f ON f.key = p.file_key
                      WHERE {where} ORDER BY top.rank LIMIT ?"""
        else:  # a filter may leave few of the best: rank only what passes it
            sql = f"""SELECT p.id FROM passages_fts
                      JOIN passages p ON p.id = passages_fts.rowid
                      JOIN files f ON f.key = p.file_key
                      WHERE passages_fts MATCH ? AND {where}
                      ORDER BY bm25(passages_fts) LIMIT ?"""
        rows = self.catalog.db.execute(sql, [expression, *args, depth])
        return [row[0] for row in rows]

    def _semantic(self, query: Query, filters: Filters, depth: int) -> list[int]:
        assert self.vectors is not None and self.embedder is not None
        vector = self.embedder.embed([query.semantic_text])[0]
        hits = self.vectors.query(vector, depth, filters.chroma_where())
        keys = [parse_vector_id(hit.id) for hit in hits]
        if not keys:
            return []
        # Map ids to passages still in the catalog (a vector may outlive its file for a moment).
        where, args = filters.sql()
        pairs = ",".join("(?, ?)" for _ in keys)
        rows = self.catalog.db.execute(
            f"""WITH wanted(file_key, seq) AS (VALUES {pairs})
                SELECT p.file_key, p.seq, p.id FROM wanted
                JOIN passages p USING (file_key, seq) JOIN files f ON f.key = p.file_key
                WHERE {where}""",
            [value for key in keys for value in key] + args,
        )
        ids = {(key, seq): pid for key, seq, pid in rows}
        self._remote = {}
        ordered = []
        for key, hit in zip(keys, hits):
            if key in ids:
                ordered.append(ids[key])
            elif hit.metadata and hit.document is not None:
                # Indexed by another desktop into the shared server: known by its payload only.
                remote_id = -1 - len(self._remote)
                meta = hit.metadata
                self._remote[remote_id] = (
                    remote_id,
                    key[0],
                    meta.get("page") or None,
                    meta.get("start", 0),
                    meta.get("end", 0),
                    hit.document,
                    meta.get("path", ""),
                    meta.get("kind"),
                    meta.get("folder", ""),
                    meta.get("mtime", 0.0),
                )
                ordered.append(remote_id)
        required, forbidden = query.constraints()
        if required:
            allowed = self._matching(required, ordered)
            ordered = [pid for pid in ordered if pid in allowed]
        if forbidden:
            excluded = self._matching(forbidden, ordered)
            ordered = [pid for pid in ordered if pid not in excluded]
        return ordered

    def _matching(self, expression: str, ids: Sequence[int]) -> set[int]:
        if not ids:
            return set()
        marks = ",".join("?" * len(ids))
        rows = self.catalog.db.execute(
            f"SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? AND rowid IN ({marks})",
            [expression, *ids],
        )
        return {row[0] for row in rows}

    def _group(self, query: Query, scores: dict[int, float], limit: int) -> list[FileHit]:
        if not scores:
            return []
        marks = ",".join("?" * len(scores))
        rows = self.catalog.db.execute(
            f"""SELECT p.id, p.file_key, p.page, p.start, p.end, p.text,
                       f.path, f.kind, f.folder, f.mtime
                FROM passages p JOIN files f ON f.key = p.file_key WHERE p.id IN ({marks})""",
            list(scores),
        ).fetchall()
        rows += [row for remote_id, row in self._remote.items() if remote_id in scores]
        by_file: dict[str, list[tuple[Any, ...]]] = {}
        for row in sorted(rows, key=lambda r: -scores[r[0]]):
            by_file.setdefault(row[1], []).append(row)
        for key in self._files_mentioning(query.constraints()[1], list(by_file)):
            del by_file[key]  # -word excludes the file, as in every search engine
        top = sorted(by_file.values(), key=lambda group: -scores[group[0][0]])[:limit]
        shown = [row for group in top for row in group[:PASSAGES_PER_FILE]]
        marked = self._highlighted(query, [row[0] for row in shown])
        hits = []
        for group in top:
            passages = []
            for row in group[:PASSAGES_PER_FILE]:
                snippet, spans = snippet_of(marked.get(row[0], row[5]))
                passages.append(
                    PassageHit(row[0], row[2], row[3], row[4], scores[row[0]], snippet, spans, row[5])
                )
            _, _, _, _, _, _, path, kind, folder, mtime = group[0]
            hits.append(FileHit(path, kind, folder, mtime, scores[group[0][0]], tuple(passages)))
        return hits

    def _files_mentioning(self, expression: str | None, keys: Sequence[str]) -> set[str]:
        if not expression or not keys:
            return set()
        marks = ",".join("?" * len(keys))
        rows = self.catalog.db.execute(
            f"""SELECT DISTINCT p.file_key FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid
                WHERE passages_fts MATCH ? AND p.file_key IN ({marks})""",
            [expression, *keys],
        )
        return {row[0] for row in rows}

    def _highlighted(self, query: Query, ids: Sequence[int]) -> dict[int, str]:
        expression = query.fts_any()
        if not expression or not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.catalog.db.execute(
            f"""SELECT rowid, highlight(passages_fts, 0, '{_MARK_OPEN}', '{_MARK_CLOSE}')
                FROM passages_fts WHERE passages_fts MATCH ? AND rowid IN ({marks})""",
            [expression, *ids],
        )
        return dict(rows.fetchall())


def snippet_of(marked: str, width: int = SNIPPET_CHARS) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The sentences around the most matches, collapsed to one line, and the match spans."""
    sentences = [m.group(0) for m in _SENTENCE.finditer(marked)] or [marked]
    best = max(range(len(sentences)), key=lambda i: (sentences[i].count(_MARK_OPEN), -i))
    chosen = sentences[best]
    for following in sentences[best + 1 :]:
        if len(_plain(chosen)) >= width:
            break
        chosen += following
    text, spans, open_at = "", [], -1
    for char in " ".join(chosen.split()):
        if char == _MARK_OPEN:
            open_at = len(text)
        elif char == _MARK_CLOSE:
            spans.append((open_at, len(text)))
        else:
            text += char
    if len(text) > width:
        cut = text.rfind(" ", 0, width)
        cut = cut if cut > width // 2 else width
        text = text[:cut] + "…"
        spans = [(s, min(e, cut)) for s, e in spans if s < cut]
    return text, tuple(spans)


def _plain(marked: str) -> str:
    return marked.replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")
