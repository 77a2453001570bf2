"""Query to ranked files: vector kNN and BM25 keyword hits fused by reciprocal rank, grouped by
file, each with a snippet of its best passages (snippets.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from desktop_search.core.catalog import Catalog, PassageRow, parse_vector_id
from desktop_search.core.embedding import Embedder
from desktop_search.core.filters import Filters
from desktop_search.core.query import Query, parse
from desktop_search.core.snippets import MARK_CLOSE, MARK_OPEN, snippet_of
from desktop_search.core.vector_store import VectorHit, VectorStore

RRF_K = 10  # tuned on SciFact train (the usual default, 60, scored lower)
CANDIDATES = 100  # passages taken from each index before fusing
PASSAGES_PER_FILE = 5


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
    label: str | None = None  # the page's own name ("slide 7"), when it has one
    ocr: bool = False  # recognised in an image: may hold misread words

    @property
    def where(self) -> str:
        """Where in the file, as a person says it: "slide 7", "p. 12", or "" for a flowing text."""
        return page_name(self.page, self.label)


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
    def __init__(self, catalog: Catalog, vector_store: VectorStore | None, embedder: Embedder | None) -> None:
        self.catalog = catalog
        self.retrieval = catalog.retrieval
        self.vector_store = vector_store
        self.embedder = embedder
        self.weights = Weights()
        self._remote: dict[int, PassageRow] = {}  # this search's passages known only to the server

    def search(
        self,
        text: str,
        limit: int = 10,
        filters: Filters | None = None,
        mode: str = "hybrid",
        passages: int = PASSAGES_PER_FILE,
    ) -> list[FileHit]:
        """mode: "hybrid", "vector" or "keyword"; passages: how many of each file's best to show."""
        query = parse(text)
        if query.is_empty() or limit <= 0:
            return []
        self._remote = {}
        ranked = self.ranked_lists(query, filters or Filters(), max(CANDIDATES, limit * 3), mode)
        return self._group(query, fuse(ranked, self.weights), limit, passages)

    def passage_scores(self, query: Query, filters: Filters, mode: str = "hybrid") -> dict[int, float]:
        """Every candidate passage's fused score, ungrouped."""
        return fuse(self.ranked_lists(query, filters, CANDIDATES, mode), self.weights)

    def ranked_lists(
        self, query: Query, filters: Filters, depth: int, mode: str = "hybrid"
    ) -> dict[str, list[int]]:
        """Passage ids, best first, from each index the mode uses."""
        ranked: dict[str, list[int]] = {}
        if mode in ("hybrid", "keyword"):
            ranked["keyword"] = self._keyword(query.fts_match(), filters, depth)
        if mode == "hybrid" and query.fts_whole():
            ranked["phrase"] = self._keyword(query.fts_whole(), filters, depth)
        if mode in ("hybrid", "vector") and self.vector_store is not None and self.embedder is not None:
            ranked["vector"] = self._semantic(query, filters, depth)
        if mode == "hybrid":
            ranked["name"] = self._by_name(query, filters, depth, ranked)
        return ranked

    def _keyword(self, expression: str | None, filters: Filters, depth: int) -> list[int]:
        return self.retrieval.ranked_passages(expression, filters, depth) if expression else []

    def _by_name(self, query: Query, filters: Filters, depth: int, ranked: dict[str, list[int]]) -> list[int]:
        """Files whose name matches, best first, each as its best passage in the other lists (or
        its first passage)."""
        expression = query.fts_match()
        if not expression:
            return []
        keys = self.retrieval.ranked_files_by_name(expression, filters, depth)
        if not keys:
            return []
        best_rank: dict[int, int] = {}
        for ids in ranked.values():
            for rank, passage_id in enumerate(ids):
                best_rank[passage_id] = min(rank, best_rank.get(passage_id, rank))
        chosen: dict[str, tuple[int, int]] = {  # file key -> (rank in the other lists, passage id)
            key: (len(best_rank) + 1, passage_id)
            for key, passage_id in self.retrieval.first_passages(keys).items()
        }
        for key, row in self.retrieval.textless_rows([key for key in keys if key not in chosen]).items():
            stand_in = -1 - len(self._remote)  # known by this search only, like a server's passages
            self._remote[stand_in] = replace(row, id=stand_in)
            chosen[key] = (len(best_rank) + 1, stand_in)
        seen = [passage_id for passage_id in best_rank if passage_id > 0]
        for passage_id, key in self.retrieval.files_of_passages(seen).items():
            if key in chosen and best_rank[passage_id] < chosen[key][0]:
                chosen[key] = (best_rank[passage_id], passage_id)
        ordered = [chosen[key][1] for key in keys if key in chosen]
        required = query.constraints()[0]
        if required:
            allowed = self._matching(required, ordered)
            ordered = [passage_id for passage_id in ordered if passage_id in allowed]
        return ordered

    def _semantic(self, query: Query, filters: Filters, depth: int) -> list[int]:
        assert self.vector_store is not None and self.embedder is not None
        vector = self.embedder.embed([query.semantic_text])[0]
        # The store knows each vector's added folder only; the catalog checks the exact folder.
        wide = filters.by_added_folder(self.catalog.folders()) if filters.folders else filters
        hits = self.vector_store.query(vector, depth, wide)
        places = [parse_vector_id(hit.id) for hit in hits]
        # Passages still in the catalog (a vector may outlive its file for a moment).
        ids = self.retrieval.passage_ids(places, filters)
        self._remote = {}
        ordered = []
        for place, hit in zip(places, hits):
            if place in ids:
                ordered.append(ids[place])
            elif hit.metadata and hit.document is not None and filters.admits_path(_path_of(hit)):
                # Indexed by another desktop into the shared server: known by its payload only.
                remote_id = -1 - len(self._remote)
                self._remote[remote_id] = _remote_row(remote_id, place[0], hit)
                ordered.append(remote_id)
        required, forbidden = query.constraints()
        if required:
            allowed = self._matching(required, ordered)
            ordered = [passage_id for passage_id in ordered if passage_id in allowed]
        if forbidden:
            excluded = self._matching(forbidden, ordered)
            ordered = [passage_id for passage_id in ordered if passage_id not in excluded]
        return ordered

    def _matching(self, expression: str, ids: list[int]) -> set[int]:
        return self.retrieval.matching(expression, ids)

    def _group(self, query: Query, scores: dict[int, float], limit: int, per_file: int) -> list[FileHit]:
        if not scores:
            return []
        rows = self.retrieval.passage_rows(list(scores))
        rows += [row for remote_id, row in self._remote.items() if remote_id in scores]
        by_file: dict[str, list[PassageRow]] = {}
        for row in sorted(rows, key=lambda r: -scores[r.id]):
            by_file.setdefault(row.file_key, []).append(row)
        forbidden = query.constraints()[1]
        if forbidden:
            for key in self.retrieval.files_mentioning(forbidden, list(by_file)):
                del by_file[key]  # -word excludes the file, as in every search engine
        top = sorted(by_file.values(), key=lambda group: -scores[group[0].id])[:limit]
        shown = [row.id for group in top for row in group[:per_file]]
        marks = query.fts_any()
        marked = self.retrieval.highlighted(marks, shown, MARK_OPEN, MARK_CLOSE) if marks else {}
        hits = []
        for group in top:
            passages = []
            for row in group[:per_file]:
                snippet, spans = snippet_of(marked.get(row.id, row.text))
                passages.append(
                    PassageHit(
                        row.id,
                        row.page,
                        row.start,
                        row.end,
                        scores[row.id],
                        snippet,
                        spans,
                        row.text,
                        row.label,
                        bool(row.ocr),
                    )
                )
            first = group[0]
            hits.append(
                FileHit(first.path, first.kind, first.folder, first.mtime, scores[first.id], tuple(passages))
            )
        return hits


def page_name(page: int | None, label: str | None) -> str:
    """label "" names no place: a picture is its own single page."""
    if label is not None:
        return label
    return f"p. {page}" if page else ""


def _path_of(hit: VectorHit) -> str:
    return str((hit.metadata or {}).get("path", ""))


def _remote_row(remote_id: int, key: str, hit: VectorHit) -> PassageRow:
    meta = hit.metadata or {}
    return PassageRow(
        remote_id,
        key,
        meta.get("page") or None,
        meta.get("start", 0),
        meta.get("end", 0),
        hit.document or "",
        meta.get("path", ""),
        meta.get("kind"),
        meta.get("folder", ""),
        meta.get("mtime", 0.0),
        meta.get("label"),
        bool(meta.get("ocr")),
    )
