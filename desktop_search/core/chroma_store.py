"""The vector store in Chroma: a collection of passage vectors (no documents: the text lives once,
in the catalog). Embedded `PersistentClient` by default, or a Chroma server by URL.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np

from desktop_search.core.filters import Filters
from desktop_search.core.vector_store import VectorHit, VectorWriteError

if TYPE_CHECKING:
    from chromadb.api.collection_configuration import CreateHNSWConfiguration
    from chromadb.api.types import Include

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

COLLECTION = "passages"
# Chroma makes queries wait behind writes, and holds the GIL through each call. Each call has a
# fixed cost besides its cost per vector: batches of 256 keep that overhead small while a search
# during indexing never waits long for a write (the window keeps Chroma in a child process).
WRITE_BATCH = 256
# Chroma's HNSW graph as built by default (16 neighbours, ef_construction 100: a sparser graph went
# in 20 % faster but found the true nearest passages far less often), searched wider than its
# default ef_search of 100, which missed a tenth of them or more on a library full of near-copies (the
# trade-off is measured by benchmarks/search_500k.py; README has the figures).
HNSW: CreateHNSWConfiguration = {"space": "cosine", "ef_search": 1200}
LOW_DISK_SPACE = 8 << 20  # bytes free below which a failed write is put down to a full disk


def trust_overrides() -> None:
    """chromadb marks ~160 methods with the `overrides` package's decorator, which checks each
    signature against its base class as chromadb is imported: a development check that every
    start-up pays for. Mark them without the check (EnforceOverrides still sees the mark); call
    before chromadb is first imported."""
    if "chromadb" in sys.modules:
        return
    import overrides
    import overrides.overrides as module

    def trusted(method: Any = None, **_: Any) -> Any:
        def mark(method: Any) -> Any:
            method.__override__ = True
            return method

        return mark if method is None else mark(method)

    overrides.override = overrides.overrides = trusted
    module.override = module.overrides = trusted


class ChromaStore:
    """A VectorStore in Chroma, in this process."""

    shared: bool

    def __init__(self, directory: Path | None = None, *, url: str | None = None) -> None:
        trust_overrides()
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        # A server is shared by several desktops, which lack each other's catalogs: there each
        # vector also carries its passage's text and place.
        self.shared = bool(url)
        self.directory = directory
        if url:
            parsed = urlparse(url)
            self.client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=settings,
            )
        else:
            assert directory is not None
            try:
                self.client = chromadb.PersistentClient(path=str(directory), settings=settings)
            except Exception:
                # Chroma caches the half-started system per path; drop it so a retry starts clean.
                from chromadb.api.shared_system_client import SharedSystemClient

                SharedSystemClient._identifier_to_system.pop(str(directory), None)
                raise
        # embedding_function=None: Chroma's default would download a model on first use.
        self.collection = self.client.get_or_create_collection(
            COLLECTION, embedding_function=None, configuration={"hnsw": HNSW}
        )
        hnsw = (self.collection.configuration_json or {}).get("hnsw") or {}
        if hnsw.get("ef_search", HNSW["ef_search"]) < HNSW["ef_search"]:
            # Made before the wider search: Chroma uses it from the next load of the index on.
            # (Chroma calls every collection made without its embedding functions "legacy".)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                self.collection.modify(configuration={"hnsw": {"ef_search": HNSW["ef_search"]}})

    def close(self) -> None:
        """Release Chroma's shared system, so the directory can be opened afresh."""
        self.client.close()  # type: ignore[attr-defined]  # Client has it; ClientAPI does not say

    def count(self) -> int:
        return self.collection.count()

    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[dict[str, Any]],
        documents: Sequence[str] | None = None,
    ) -> None:
        try:
            for start in range(0, len(ids), WRITE_BATCH):
                end = start + WRITE_BATCH
                self.collection.upsert(
                    ids=list(ids[start:end]),
                    embeddings=vectors[start:end],
                    metadatas=list(metadatas[start:end]),
                    documents=list(documents[start:end]) if documents is not None else None,
                )
        except Exception as error:
            raise VectorWriteError(f"cannot store vectors: {self._why(error)}") from error

    def delete(self, ids: Sequence[str]) -> None:
        try:
            for start in range(0, len(ids), WRITE_BATCH * 8):
                self.collection.delete(ids=list(ids[start : start + WRITE_BATCH * 8]))
        except Exception as error:
            raise VectorWriteError(f"cannot delete vectors: {self._why(error)}") from error

    def _why(self, error: Exception) -> str:
        """Chroma reports a full disk as whatever step failed ("Error in compaction…"): say it."""
        if self.directory is not None:
            try:
                if shutil.disk_usage(self.directory).free < LOW_DISK_SPACE:
                    return f"the disk is full ({error})"
            except OSError:
                pass
        return str(error)

    def ids(self) -> list[str]:
        """Every stored id (for checks: the whole collection)."""
        return list(self.collection.get(include=[])["ids"])

    def by_id(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        found = self.collection.get(ids=list(ids), include=["embeddings"])
        return dict(zip(found["ids"], np.asarray(found["embeddings"], dtype=np.float32)))

    def query(self, vector: np.ndarray, limit: int, filters: Filters | None = None) -> list[VectorHit]:
        return self.query_many(vector.reshape(1, -1), limit, filters)[0]

    def query_many(
        self, vectors: np.ndarray, limit: int, filters: Filters | None = None
    ) -> list[list[VectorHit]]:
        """The nearest vectors to each row of vectors, in one call (Chroma searches them together)."""
        if limit <= 0 or len(vectors) == 0:  # (no count() first: it costs much of a kNN, and empty works)
            return [[] for _ in range(len(vectors))]
        where = chroma_where(filters) if filters else None
        include: Include = ["distances", "metadatas", "documents"] if self.shared else ["distances"]
        result = self.collection.query(
            query_embeddings=np.asarray(vectors, dtype=np.float32),
            n_results=limit,
            where=where,
            include=include,
        )
        found = []
        for row, ids in enumerate(result["ids"]):
            distances = (result["distances"] or [[]] * len(vectors))[row]
            absent: list[Any] = [None] * len(ids)
            metadatas: list[Any] = list(result["metadatas"][row]) if result["metadatas"] else absent
            documents: list[Any] = list(result["documents"][row]) if result["documents"] else absent
            found.append(
                [
                    VectorHit(vid, 1.0 - float(distance), dict(metadata) if metadata else None, document)
                    for vid, distance, metadata, document in zip(ids, distances, metadatas, documents)
                ]
            )
        return found


def chroma_where(filters: Filters) -> dict[str, Any] | None:
    """The filters in Chroma's terms, on each vector's metadata (its file's added folder)."""
    clauses: list[dict[str, Any]] = []
    if filters.kinds:
        clauses.append({"kind": {"$in": list(filters.kinds)}})
    if filters.folders:
        clauses.append({"folder": {"$in": list(filters.folders)}})
    if filters.modified_after is not None:
        clauses.append({"mtime": {"$gte": filters.modified_after}})
    if filters.modified_before is not None:
        clauses.append({"mtime": {"$lte": filters.modified_before}})
    if len(clauses) > 1:
        return {"$and": clauses}
    return clauses[0] if clauses else None
