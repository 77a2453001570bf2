"""The first stage of a search: each index's best passages for a query (vector kNN, BM25 over the
content words, the whole query as a phrase, files by name) with their scores, and their rows."""

from __future__ import annotations

from dataclasses import replace

from desktop_search.core.catalog import Catalog, PassageRow, parse_vector_id
from desktop_search.core.cjk import has_cjk
from desktop_search.core.embedding import Embedder
from desktop_search.core.filters import Filters
from desktop_search.core.fusion import Candidates
from desktop_search.core.query import Query, quote
from desktop_search.core.vector_store import VectorHit, VectorStore

# Passages FTS5 may rank for a query's words: ranking costs per matching passage, matching little.
RANK_BUDGET = 16_000


class FirstStage:
    def __init__(self, catalog: Catalog, vector_store: VectorStore | None, embedder: Embedder | None) -> None:
        self.catalog = catalog
        self.retrieval = catalog.retrieval
        self.vector_store = vector_store
        self.embedder = embedder
        self._remote: dict[int, PassageRow] = {}  # this search's passages known only to the server

    def candidates(self, query: Query, filters: Filters, depth: int, mode: str = "hybrid") -> Candidates:
        """The first stage: each index's best passages, with their scores."""
        self._remote = {}
        found = Candidates()
        if mode in ("hybrid", "keyword"):
            scored = self.content_keyword(query, filters, depth)
            found.lists["keyword"] = [passage_id for passage_id, _ in scored]
            found.bm25 = dict(scored)
        if mode == "hybrid" and query.fts_whole():
            found.lists["phrase"] = [
                passage_id for passage_id, _ in self.keyword(query.fts_whole(), filters, depth)
            ]
        if mode in ("hybrid", "vector") and self.vector_store is not None and self.embedder is not None:
            found.similarity = self.semantic(query, filters, depth)
            found.lists["vector"] = list(found.similarity)
        if mode == "hybrid":
            found.lists["name"] = self.by_name(query, filters, depth, found.lists)
        return found

    def rows(self, candidates: Candidates) -> dict[int, PassageRow]:
        """The candidates' passages with their files."""
        ids = {passage_id for ids in candidates.lists.values() for passage_id in ids}
        rows = {row.id: row for row in self.retrieval.passage_rows([i for i in ids if i > 0])}
        rows.update((i, row) for i, row in self._remote.items() if i in ids)
        return rows

    def keyword(self, expression: str | None, filters: Filters, depth: int) -> list[tuple[int, float]]:
        return self.retrieval.scored_passages(expression, filters, depth) if expression else []

    def content_keyword(self, query: Query, filters: Filters, depth: int) -> list[tuple[int, float]]:
        """BM25 over the content words, best first. FTS5 ranks every passage that matches, so on a
        large index a common word ("version", "2") would make it rank a fifth of the library:
        past RANK_BUDGET matches the commonest words count only in passages holding every word.
        (Scoring the winners again under the whole query costs more than ranking them: FTS5 looks
        up "rowid IN (…)" one passage at a time through every word's list.)"""
        full = query.fts_match()
        lean = self._lean(query, full) if full else None
        return self.keyword(lean or full, filters, depth)

    def _lean(self, query: Query, full: str) -> str | None:
        """The query's expression with the commonest words left to rank only with the others, or
        None when FTS5 can rank every match within the budget (always on a small index)."""
        if has_cjk(full) or self.retrieval.matches_up_to(full, RANK_BUDGET) < RANK_BUDGET:
            return None
        terms = query.ranked_terms()
        counts = {term: self.retrieval.matches_up_to(quote(term), RANK_BUDGET) for term in terms}
        alone, ranked = [], 0
        for term in sorted(terms, key=counts.__getitem__):
            if ranked + counts[term] > RANK_BUDGET:
                break
            alone.append(term)
            ranked += counts[term]
        return query.fts_match(alone)

    def by_name(self, query: Query, filters: Filters, depth: int, ranked: dict[str, list[int]]) -> list[int]:
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
            allowed = self.retrieval.matching(required, ordered)
            ordered = [passage_id for passage_id in ordered if passage_id in allowed]
        return ordered

    def semantic(self, query: Query, filters: Filters, depth: int) -> dict[int, float]:
        """Passage id -> cosine similarity, nearest first."""
        assert self.vector_store is not None and self.embedder is not None
        vector = self.embedder.embed([query.semantic_text])[0]
        # The store knows each vector's added folder only; the catalog checks the exact folder.
        wide = filters.by_added_folder(self.catalog.folders()) if filters.folders else filters
        share = (
            self.retrieval.passage_share(filters) if filters.narrows_names() or wide.by_metadata() else 1.0
        )
        wide, deeper = wide.for_vectors(share)
        hits = self.vector_store.query(vector, depth * deeper, wide)
        places = [parse_vector_id(hit.id) for hit in hits]
        # Passages still in the catalog (a vector may outlive its file for a moment).
        ids = self.retrieval.passage_ids(places, filters)
        similarity: dict[int, float] = {}
        for place, hit in zip(places, hits):
            if place in ids:
                similarity[ids[place]] = hit.similarity
            elif hit.metadata and hit.document is not None and _admitted(filters, hit):
                # Indexed by another desktop into the shared server: known by its payload only.
                remote_id = -1 - len(self._remote)
                self._remote[remote_id] = _remote_row(remote_id, place[0], hit)
                similarity[remote_id] = hit.similarity
        ordered = list(similarity)
        required, forbidden = query.constraints()
        if required:
            allowed = self.retrieval.matching(required, ordered)
            ordered = [passage_id for passage_id in ordered if passage_id in allowed]
        if forbidden:
            excluded = self.retrieval.matching(forbidden, ordered)
            ordered = [passage_id for passage_id in ordered if passage_id not in excluded]
        return {passage_id: similarity[passage_id] for passage_id in ordered}


def _path_of(hit: VectorHit) -> str:
    return str((hit.metadata or {}).get("path", ""))


def _admitted(filters: Filters, hit: VectorHit) -> bool:
    """Another desktop's passage passes the filters, as its metadata tells."""
    meta = hit.metadata or {}
    return filters.admits(_path_of(hit), str(meta.get("folder", "")), meta.get("kind"), meta.get("mtime"))


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
