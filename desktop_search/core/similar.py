"""Files like a given one: the indexed files closest to it in meaning, best first.

Each of the file's passages (a spread of them, for a long file) asks the vector store for its
nearest passages in one batch; a neighbour file scores by how well its passages and the source's
cover each other, so a file sharing one stock paragraph ranks below one that matches throughout.
The file itself and its exact copies (same bytes) are left out. A file that is not indexed is
read like the indexer reads it, in the sandbox, and compared the same way without being added.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from desktop_search.core import extract as extraction
from desktop_search.core.catalog import Catalog, PassageRow, parse_vector_id, vector_id
from desktop_search.core.catalog.duplicates import DuplicateRows
from desktop_search.core.duplicates import with_copies
from desktop_search.core.embedding import Embedder
from desktop_search.core.filters import Filters
from desktop_search.core.indexer import Reader, content_hash
from desktop_search.core.library import is_readable_file
from desktop_search.core.search import PASSAGES_PER_FILE, FileHit, PassageHit
from desktop_search.core.snippets import snippet_of
from desktop_search.core.vector_store import VectorHit, VectorStore

SOURCE_PASSAGES = 32  # of a longer file, this many spread over it stand for it
NEIGHBOURS = 30  # nearest passages asked for each source passage

T = TypeVar("T")


class NotComparable(ValueError):
    """The file cannot be compared; the message says why, for the user ("name: why")."""


@dataclass(frozen=True)
class Source:
    """The file asked about: its passages' vectors, and what tells its copies apart."""

    path: str
    key: str | None  # its file key, when indexed
    hash: str | None
    vectors: np.ndarray  # one row per chosen passage


Scores = dict[str, float]  # file key -> similarity to the source
Matched = dict[str, dict[tuple[str, int], float]]  # file key -> its matched passages' best similarity


class Similar:
    def __init__(
        self,
        catalog: Catalog,
        vector_store: VectorStore | None,
        embedder: Embedder | None,
        reader: Reader | None = None,
    ) -> None:
        """reader: reads a file that is not indexed (Services.file_reader); None refuses such files."""
        self.catalog = catalog
        self.retrieval = catalog.retrieval
        self.vector_store = vector_store
        self.embedder = embedder
        self.reader = reader

    def similar(self, path: str, limit: int = 10, filters: Filters | None = None) -> list[FileHit]:
        """The files most like the one at path, best first; raises NotComparable with the reason."""
        source = self.source(path)
        return self.similar_to(source, limit, filters or Filters())

    def similar_to(self, source: Source, limit: int, filters: Filters) -> list[FileHit]:
        if self.vector_store is None or limit <= 0:
            return []
        # The store knows each vector's added folder only; the catalog checks the exact folder.
        wide = filters.by_added_folder(self.catalog.folders()) if filters.folders else filters
        depth = NEIGHBOURS
        while True:
            results = self.vector_store.query_many(source.vectors, depth, wide)
            scores, matched = self.scores(results, source.key)
            hits = with_copies(self.catalog, self.results(source, scores, matched, filters, limit))
            # Too few: the nearest were the file's own passages and its copies'; look further once.
            exhausted = all(len(found) < depth for found in results)
            if len(hits) == limit or exhausted or depth > NEIGHBOURS:
                return hits
            depth = NEIGHBOURS * 5

    def scores(self, results: list[list[VectorHit]], own_key: str | None) -> tuple[Scores, Matched]:
        """How well each neighbour and the source cover each other: the mean of coverage() both
        ways (a short note matching one section of a long file is only half like it)."""
        forward, matched = coverage(results, own_key)
        sizes = self.retrieval.passage_counts(list(forward))
        return {
            key: (share + sum(matched[key].values()) / max(sizes.get(key, 0), 1)) / 2
            for key, share in forward.items()
        }, matched

    def source(self, path: str) -> Source:
        path = os.path.abspath(path)
        name = os.path.basename(path) or path
        record = self.catalog.file(path)
        if record is not None and record.status == extraction.INDEXED and record.passages:
            passages = spread(self.catalog.passages_of(record.key))
            ids = [vector_id(record.key, p.seq) for p in passages]
            stored = self.vector_store.by_id(ids) if self.vector_store is not None else {}
            missing = [p.text for vid, p in zip(ids, passages) if vid not in stored]
            made = iter(self._embed(missing, name)) if missing else iter(())
            vectors = [stored[vid] if vid in stored else next(made) for vid in ids]
            return Source(path, record.key, record.hash, np.stack(vectors))
        if record is not None and record.status not in (extraction.INDEXED, "deleted"):
            raise NotComparable(f"{name}: {record.reason or record.status} (nothing to compare)")
        return self._read(path, name)

    def _read(self, path: str, name: str) -> Source:
        """A file the index lacks: read in the sandbox, embedded here, never added."""
        if not os.path.exists(path):
            raise NotComparable(f"{name}: no such file")
        if not os.path.isfile(path):
            raise NotComparable(f"{name}: not a file")
        if not is_readable_file(path):
            raise NotComparable(f"{name}: not a supported file type")
        if self.reader is None:
            raise NotComparable(f"{name}: not in the index")
        try:
            read = self.reader(Path(path), extraction.kind_for_suffix(Path(path)))
            digest = content_hash(path)
        except extraction.Skipped as skipped:
            raise NotComparable(f"{name}: {skipped.reason or skipped.status}") from skipped
        except OSError as error:
            raise NotComparable(f"{name}: cannot read: {error.strerror}") from error
        if not read.passages:
            raise NotComparable(f"{name}: no text to compare")
        texts = [p.text for p in spread(read.passages)]
        return Source(path, None, digest, self._embed(texts, name))

    def _embed(self, texts: list[str], name: str) -> np.ndarray:
        if self.embedder is None:
            raise NotComparable(f"{name}: its passages are not embedded yet")
        return self.embedder.embed(texts)

    def results(
        self, source: Source, scores: Scores, matched: Matched, filters: Filters, limit: int
    ) -> list[FileHit]:
        """The best files that pass the filters, one per content and none with the source's bytes,
        as results: read from the catalog a few files at a time, as copies and filtered-out files
        are skipped (a copy that passes the filters stands for one that does not)."""
        ranked = sorted(scores, key=lambda k: -scores[k])
        hits: list[FileHit] = []
        seen = {source.hash} if source.hash else set()
        step = max(limit * 2, 20)
        for start in range(0, len(ranked), step):
            best = {
                key: sorted(matched[key], key=lambda p: -matched[key][p])[:PASSAGES_PER_FILE]
                for key in ranked[start : start + step]
            }
            ids = self.retrieval.passage_ids([p for shown in best.values() for p in shown], filters)
            rows = {row.id: row for row in self.retrieval.passage_rows(list(ids.values()))}
            contents = DuplicateRows(self.catalog.db).hashes(list(best))
            for key, shown in best.items():
                places = [p for p in shown if p in ids]  # passages still indexed, as filtered
                if not places or contents.get(key, key) in seen:
                    continue
                seen.add(contents.get(key, key))
                first = rows[ids[places[0]]]
                passages = tuple(_passage(rows[ids[p]], matched[key][p]) for p in places)
                hits.append(FileHit(first.path, first.kind, first.folder, first.mtime, scores[key], passages))
                if len(hits) == limit:
                    return hits
        return hits


def spread(items: list[T]) -> list[T]:
    """At most SOURCE_PASSAGES of the items, evenly spread from the first to the last."""
    if len(items) <= SOURCE_PASSAGES:
        return items
    chosen = np.linspace(0, len(items) - 1, SOURCE_PASSAGES).round().astype(int)
    return [items[i] for i in dict.fromkeys(chosen.tolist())]


def coverage(results: list[list[VectorHit]], own_key: str | None) -> tuple[Scores, Matched]:
    """Each file's mean, over the source's passages, of its best similarity to that passage
    (0 where none of its passages was among the nearest), and the passages that matched."""
    totals: Scores = {}
    matched: Matched = {}
    for hits in results:
        best: dict[str, float] = {}
        for hit in hits:
            place = parse_vector_id(hit.id)
            if place[0] == own_key:
                continue
            best[place[0]] = max(best.get(place[0], hit.similarity), hit.similarity)
            mine = matched.setdefault(place[0], {})
            mine[place] = max(mine.get(place, hit.similarity), hit.similarity)
        for key, similarity in best.items():
            totals[key] = totals.get(key, 0.0) + similarity
    return {key: total / max(len(results), 1) for key, total in totals.items()}, matched


def _passage(row: PassageRow, similarity: float) -> PassageHit:
    snippet, _ = snippet_of(row.text)
    return PassageHit(
        row.id, row.page, row.start, row.end, similarity, snippet, (), row.text, row.label, bool(row.ocr)
    )
