"""Query to ranked files: vector kNN and BM25 keyword hits fused by reciprocal rank, grouped by
file, each with a snippet of its best passages (snippets.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from desktop_search.core.catalog import Catalog, PassageRow
from desktop_search.core.duplicates import first_copies, one_per_content, with_copies
from desktop_search.core.embedding import Embedder
from desktop_search.core.filters import Filters
from desktop_search.core.first_stage import FirstStage
from desktop_search.core.fusion import Candidates, Weights, fuse
from desktop_search.core.match_confidence import coverage_terms, is_close
from desktop_search.core.query import Query, parse, quote
from desktop_search.core.query_terms import split_terms
from desktop_search.core.rescoring import Blend, Coverage, Evidence, rescore
from desktop_search.core.snippets import MARK_CLOSE, MARK_OPEN, snippet_of
from desktop_search.core.sorting import sorted_hits
from desktop_search.core.vector_store import VectorStore

CANDIDATES = 100  # passages taken from each index before fusing
PASSAGES_PER_FILE = 5
RERANKED = 30  # passages a cross-encoder reads per query: about as many as the first screen shows


@dataclass(frozen=True)
class Overlap:
    """How much of the query's words and phrases each candidate holds (shares, 0 to 1)."""

    passages: dict[int, float]  # passage id -> share its text holds
    names: dict[str, float]  # file key -> share its name holds (files the name list found)


class Reranker(Protocol):
    def score(self, query: str, texts: Sequence[str]) -> list[float]: ...


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
    close: bool = True  # a close match; gibberish and off-topic queries find only far ones
    copies: tuple[str, ...] = ()  # every path with these same bytes, this one too; () when alone

    @property
    def best(self) -> PassageHit:
        return self.passages[0]


class Searcher:
    def __init__(self, catalog: Catalog, vector_store: VectorStore | None, embedder: Embedder | None) -> None:
        self.catalog = catalog
        self.retrieval = catalog.retrieval
        self.weights = Weights()
        self.blend: Blend | None = Blend()  # the second stage; None ranks by the first stage alone
        self.reranker: Reranker | None = None  # a cross-encoder, when the user gives one
        self.first = FirstStage(catalog, vector_store, embedder)

    @property
    def vector_store(self) -> VectorStore | None:
        return self.first.vector_store

    @property
    def embedder(self) -> Embedder | None:
        return self.first.embedder

    def search(
        self,
        text: str,
        limit: int = 10,
        filters: Filters | None = None,
        mode: str = "hybrid",
        passages: int = PASSAGES_PER_FILE,
        sort: str = "relevance",
    ) -> list[FileHit]:
        """mode: "hybrid", "vector" or "keyword"; passages: how many of each file's best to show;
        sort: "relevance", "date" or "name" (core/sorting.py). Filters typed in the text
        (core/query_terms.py) narrow the given ones."""
        terms = split_terms(text)
        listing = terms.filters != Filters()  # typed filters and no words list the files passing
        query = parse(terms.text, keep_exclusions=listing)
        filters = terms.filters.within(filters or Filters())
        if query.is_empty() and listing and limit > 0 and filters is not None:
            return one_per_content(
                self.catalog, limit, lambda count: self.listed(query, filters, count, sort)
            )
        if query.is_empty() or limit <= 0 or filters is None:
            return []
        candidates = self.candidates(query, filters, max(CANDIDATES, limit * 3), mode)
        rows = self.rows(candidates)
        overlap = self.overlap(query, candidates, rows)
        scores = self.score(query, candidates, rows, mode, overlap)
        close = self._closeness(candidates, overlap)
        # Files with the same bytes are one result: the best-ranked copy's passages stand for all.
        ranked = sorted((i for i in scores if i in rows), key=lambda i: -scores[i])
        first = first_copies(self.catalog, (rows[i].file_key for i in ranked))
        scores = {i: scores[i] for i in ranked if rows[i].file_key in first}
        hits = self._group(query, scores, rows, limit, passages, close)
        return sorted_hits(with_copies(self.catalog, hits), sort)

    def listed(self, query: Query, filters: Filters, limit: int, sort: str = "date") -> list[FileHit]:
        """The files passing the filters, newest first (or by name), each with its start: what a
        query of filters alone (`modified:today`) shows, as in a file finder."""
        rows = self.retrieval.listed_files(filters, query.constraints()[1], limit, by_name=sort == "name")
        hits = []
        for row in rows:
            snippet, spans = snippet_of(row.text)
            start = PassageHit(
                row.id, row.page, row.start, row.end, 0.0, snippet, spans, row.text, row.label, bool(row.ocr)
            )
            hits.append(FileHit(row.path, row.kind, row.folder, row.mtime, 0.0, (start,)))
        return sorted_hits(hits, "name" if sort == "name" else "date")

    def ranked_lists(
        self, query: Query, filters: Filters, depth: int, mode: str = "hybrid"
    ) -> dict[str, list[int]]:
        """Passage ids, best first, from each index the mode uses."""
        return self.candidates(query, filters, depth, mode).lists

    def candidates(self, query: Query, filters: Filters, depth: int, mode: str = "hybrid") -> Candidates:
        """The first stage: each index's best passages, with their scores."""
        return self.first.candidates(query, filters, depth, mode)

    def rows(self, candidates: Candidates) -> dict[int, PassageRow]:
        """The candidates' passages with their files."""
        return self.first.rows(candidates)

    def score(
        self,
        query: Query,
        candidates: Candidates,
        rows: dict[int, PassageRow],
        mode: str,
        overlap: Overlap | None = None,
    ) -> dict[int, float]:
        """Passage id -> final score: the second stage's, or the first stage's fusion without one.
        overlap: self.overlap() of these candidates, if the caller has it already."""
        if self.blend is None or mode != "hybrid":
            return fuse(candidates.lists, self.weights)
        overlap = overlap or self.overlap(query, candidates, rows)
        phrased = set(candidates.lists.get("phrase", []))
        evidence = {
            passage_id: Evidence(
                row.text,
                candidates.similarity.get(passage_id),
                candidates.bm25.get(passage_id, 0.0),
                overlap.passages[passage_id],
                passage_id in phrased,
                overlap.names.get(row.file_key, 0.0),
            )
            for passage_id, row in rows.items()
        }
        scores = rescore(query.text, evidence, self.blend)
        return self._rerank(query, scores, rows) if self.reranker and scores else scores

    def _rerank(
        self, query: Query, scores: dict[int, float], rows: dict[int, PassageRow]
    ) -> dict[int, float]:
        """The best few passages ordered by the cross-encoder, above all the others."""
        assert self.reranker is not None
        best = sorted(scores, key=lambda i: -scores[i])[:RERANKED]
        judged = self.reranker.score(query.text, [rows[i].text for i in best])
        ceiling = max(scores.values())
        low, high = min(judged), max(judged)
        for passage_id, value in zip(best, judged):
            scores[passage_id] = ceiling + 1 + (value - low) / ((high - low) or 1.0)
        return scores

    def overlap(self, query: Query, candidates: Candidates, rows: dict[int, PassageRow]) -> Overlap:
        """How much of the query each candidate passage holds, and each named file's name."""
        terms = coverage_terms(query)
        held = Coverage(terms)
        named = list({rows[i].file_key for i in candidates.lists.get("name", []) if i in rows})
        names: dict[str, int] = {}
        for term in terms if named else []:
            for key in self.retrieval.names_matching(quote(term), named):
                names[key] = names.get(key, 0) + 1
        return Overlap(
            {passage_id: held(row.text) for passage_id, row in rows.items()},
            {key: count / len(terms) for key, count in names.items()},
        )

    @staticmethod
    def _closeness(candidates: Candidates, overlap: Overlap) -> Callable[[list[PassageRow]], bool]:
        """Whether a file's passages make it a close match (core/match_confidence.py), or its
        name, holding every word of the query, does."""

        def close(group: list[PassageRow]) -> bool:
            similarities = [candidates.similarity[r.id] for r in group if r.id in candidates.similarity]
            best = max(similarities, default=None)
            return overlap.names.get(group[0].file_key, 0.0) >= 1.0 or is_close(
                best, max(overlap.passages[r.id] for r in group)
            )

        return close

    def _group(
        self,
        query: Query,
        scores: dict[int, float],
        rows: dict[int, PassageRow],
        limit: int,
        per_file: int,
        close: Callable[[list[PassageRow]], bool],
    ) -> list[FileHit]:
        by_file: dict[str, list[PassageRow]] = {}
        for row in sorted((rows[i] for i in scores if i in rows), key=lambda r: -scores[r.id]):
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
                FileHit(
                    first.path,
                    first.kind,
                    first.folder,
                    first.mtime,
                    scores[first.id],
                    tuple(passages),
                    close(group),
                )
            )
        return hits


def page_name(page: int | None, label: str | None) -> str:
    """label "" names no place: a picture is its own single page."""
    if label is not None:
        return label
    return f"p. {page}" if page else ""
