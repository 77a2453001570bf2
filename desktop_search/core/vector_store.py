"""The vector store's interface: passage vectors by id, searched by cosine similarity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from desktop_search.core.filters import Filters


class VectorWriteError(OSError):
    """The store could not write vectors (disk full, read-only, server gone)."""


@dataclass(frozen=True)
class VectorHit:
    id: str
    similarity: float
    metadata: dict[str, Any] | None = None  # in a shared store: where the passage is, for other desktops
    document: str | None = None


class VectorStore(Protocol):
    # Shared by several desktops, which lack each other's catalogs: each vector then also carries
    # its passage's text and place.
    shared: bool

    def count(self) -> int: ...

    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[dict[str, Any]],
        documents: Sequence[str] | None = None,
    ) -> None: ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def by_id(self, ids: Sequence[str]) -> dict[str, np.ndarray]: ...

    def query(self, vector: np.ndarray, limit: int, filters: Filters | None = None) -> list[VectorHit]:
        """The nearest vectors passing the filters; folders must be added folders (see
        Filters.by_added_folder)."""
        ...

    def query_many(
        self, vectors: np.ndarray, limit: int, filters: Filters | None = None
    ) -> list[list[VectorHit]]:
        """query() for each row of vectors, in one call."""
        ...

    def close(self) -> None: ...
