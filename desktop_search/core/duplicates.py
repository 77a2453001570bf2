"""Duplicate files: identical ones (the same bytes) and near-identical ones (the same text, e.g. a
talk saved as .pptx and .odp, or a lightly edited copy), largest waste of space first.

A file's vector is the normalised mean of its passages' vectors; two files are near-identical when
their vectors' cosine reaches NEAR (measured on the test corpus: see README, "Duplicates").
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from desktop_search.core.catalog import Catalog, vector_id
from desktop_search.core.catalog.duplicates import DuplicateRows, EmbeddedFile
from desktop_search.core.vector_store import VectorStore

if TYPE_CHECKING:
    from desktop_search.core.search import FileHit

NEAR = 0.97
SAMPLED_PASSAGES = 64  # per file, evenly spread: the mean of a long file's passages barely moves
FETCH_BATCH = 2000  # vector ids per request to the vector store
BLOCK = 1 << 22  # similarities computed at once (rows x files), bounding the memory a large index needs


def one_per_content(catalog: Catalog, limit: int, best: Callable[[int], list[FileHit]]) -> list[FileHit]:
    """Files with the same bytes as one result, the best-ranked copy listing them all (its
    `copies`); best(n): the best n files, asked for twice as many while merging leaves fewer than
    limit (a folder copied many times needs a few rounds, never one per missing file)."""
    wanted = limit
    while True:
        hits = best(wanted)
        merged: dict[tuple[str, ...] | str, FileHit] = {}
        for hit in with_copies(catalog, hits):
            merged.setdefault(hit.copies or hit.path, hit)
        if len(merged) >= limit or len(hits) < wanted:
            return list(merged.values())[:limit]
        wanted *= 2


def with_copies(catalog: Catalog, hits: list[FileHit]) -> list[FileHit]:
    """The hits, each listing every path with its bytes when it has copies."""
    copies = DuplicateRows(catalog.db).copies_of([hit.path for hit in hits])
    return [replace(hit, copies=copies[hit.path]) if hit.path in copies else hit for hit in hits]


def first_copies(catalog: Catalog, keys_in_order: Iterable[str]) -> set[str]:
    """Of these file keys, best first, each content's first: the copies after it are left out."""
    keys = list(dict.fromkeys(keys_in_order))
    hashes = DuplicateRows(catalog.db).hashes(keys)
    first: dict[str, str] = {}
    for key in keys:
        first.setdefault(hashes.get(key, key), key)
    return set(first.values())


@dataclass(frozen=True)
class DuplicateGroup:
    paths: tuple[str, ...]  # sorted
    sizes: tuple[int, ...]  # bytes, in the order of paths
    identical: bool
    similarity: float = 1.0  # near-identical: the lowest cosine that joined the group

    @property
    def total(self) -> int:
        """Bytes all the copies take."""
        return sum(self.sizes)

    @property
    def wasted(self) -> int:
        """Bytes freed by keeping only the largest copy."""
        return self.total - max(self.sizes)


class Duplicates:
    def __init__(self, catalog: Catalog, vector_store: VectorStore | None) -> None:
        self.rows = DuplicateRows(catalog.db)
        self.vector_store = vector_store

    def find(self, threshold: float = NEAR) -> list[DuplicateGroup]:
        """Identical groups then near-identical ones, each largest waste first."""
        return self.identical() + self.near(threshold)

    def identical(self) -> list[DuplicateGroup]:
        groups = []
        for _, copies in itertools.groupby(self.rows.identical(), key=lambda copy: copy.hash):
            found = list(copies)
            groups.append(
                DuplicateGroup(tuple(c.path for c in found), tuple(c.size for c in found), identical=True)
            )
        return by_waste(groups)

    def copies_of(self, paths: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Path -> every path with the same bytes (itself included), for paths with copies."""
        return self.rows.copies_of(paths)

    def near(self, threshold: float = NEAR) -> list[DuplicateGroup]:
        """Groups of different files whose texts are near-identical: linked by cosine >= threshold."""
        if self.vector_store is None:
            return []
        files, matrix = self.file_vectors()
        pairs = similar_pairs(matrix, threshold)
        groups = []
        for members, lowest in linked_groups(pairs):
            chosen = sorted((files[i] for i in members), key=lambda f: f.path)
            groups.append(
                DuplicateGroup(tuple(f.path for f in chosen), tuple(f.size for f in chosen), False, lowest)
            )
        return by_waste(groups)

    def file_vectors(self) -> tuple[list[EmbeddedFile], np.ndarray]:
        """The files with vectors, and a matrix of their file vectors (unit rows, in that order)."""
        assert self.vector_store is not None
        files: list[EmbeddedFile] = []
        rows: list[np.ndarray] = []
        pending: list[EmbeddedFile] = []
        wanted = 0
        for file in itertools.chain(self.rows.embedded(), [None]):
            if file is not None:
                pending.append(file)
                wanted += min(file.passages, SAMPLED_PASSAGES)
            if pending and (file is None or wanted >= FETCH_BATCH):
                ids = {f.key: sampled_ids(f) for f in pending}
                found = self.vector_store.by_id([i for chosen in ids.values() for i in chosen])
                for each in pending:
                    vectors = [found[i] for i in ids[each.key] if i in found]
                    if vectors:
                        files.append(each)
                        rows.append(np.mean(vectors, axis=0))
                pending, wanted = [], 0
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        matrix = np.asarray(rows, dtype=np.float32)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        return files, matrix


def sampled_ids(file: EmbeddedFile) -> list[str]:
    count = min(file.passages, SAMPLED_PASSAGES)
    return [vector_id(file.key, i * file.passages // count) for i in range(count)]


def similar_pairs(matrix: np.ndarray, threshold: float) -> Iterable[tuple[int, int, float]]:
    """(i, j, cosine) for i < j with cosine >= threshold, a block of rows at a time."""
    count = len(matrix)
    step = max(1, BLOCK // max(count, 1))
    for start in range(0, count, step):
        block = matrix[start : start + step] @ matrix.T
        rows, columns = np.nonzero(block >= threshold)
        for row, column in zip(rows.tolist(), columns.tolist()):
            if start + row < column:
                yield start + row, column, float(block[row, column])


def linked_groups(pairs: Iterable[tuple[int, int, float]]) -> list[tuple[list[int], float]]:
    """Connected groups of the pairs, each with the lowest similarity among its pairs."""
    parent: dict[int, int] = {}

    def root(item: int) -> int:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    lowest: dict[int, float] = {}
    for first, second, similarity in pairs:
        a, b = root(first), root(second)
        joined = min(similarity, lowest.pop(a, 1.0), lowest.pop(b, 1.0) if a != b else 1.0)
        parent[b] = a
        lowest[a] = joined
    members: dict[int, list[int]] = {}
    for item in parent:
        members.setdefault(root(item), []).append(item)
    return [(group, lowest[top]) for top, group in members.items()]


def by_waste(groups: list[DuplicateGroup]) -> list[DuplicateGroup]:
    return sorted(groups, key=lambda g: (-g.wasted, -g.total, g.paths))
