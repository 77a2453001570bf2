"""The vector store on a Chroma server shared by a team. Each desktop writes its vectors under its
own name, so two desktops never overwrite each other's (their catalogs derive ids from paths, and
paths repeat across machines); and a server that does not answer is a state to report, not a crash:
searches go on by keyword, writes fail at once with the reason, and it is asked again a few
seconds later.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

import numpy as np

from desktop_search.core.chroma_store import ChromaStore
from desktop_search.core.filters import Filters
from desktop_search.core.vector_store import VectorHit, VectorWriteError

RETRY_SECONDS = 5.0  # after a failure, the server is not asked again for this long
CONNECT_TIMEOUT = 2.0  # a host that drops packets must not hang a search
READ_TIMEOUT = 120.0  # a large write on a busy server may take long; a hung one must not forever

logger = logging.getLogger(__name__)


class ServerUnreachable(VectorWriteError):
    """The Chroma server did not answer."""


class ServerStore:
    """A VectorStore on a Chroma server, this desktop's vectors named `desktop/…`."""

    shared = True

    def __init__(self, url: str, desktop: str) -> None:
        self.url = url
        self.desktop = desktop
        self._prefix = f"{desktop}/"
        self._store: ChromaStore | None = None
        self.problem: str | None = None  # why the server is not answering, while it is not
        self._retry_at = 0.0
        self._connected()

    @property
    def reachable(self) -> bool:
        return self._connected() is not None

    def _connected(self) -> ChromaStore | None:
        if self._store is None and time.monotonic() >= self._retry_at:
            try:
                _heartbeat(self.url)  # first, with a timeout: chromadb's own client has none
                store = ChromaStore(url=self.url)
            except Exception as error:
                self._went_down(error)
                return None
            import httpx  # (here: a process that never talks to a server never pays for it)

            session = getattr(getattr(store.client, "_server", None), "_session", None)
            if isinstance(session, httpx.Client):
                session.timeout = httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT)
            self._store, self.problem = store, None
        return self._store

    def _went_down(self, error: BaseException) -> None:
        self._store = None
        self._retry_at = time.monotonic() + RETRY_SECONDS
        reason = str(_transport_error(error) or error) or type(error).__name__
        self.problem = f"the Chroma server at {self.url} is unreachable ({reason})"

    def _required(self) -> ChromaStore:
        store = self._connected()
        if store is None:
            raise ServerUnreachable(f"{self.problem}; the passages wait for their vectors")
        return store

    def _failed(self, error: Exception) -> Exception:
        """The error to raise: a lost server is said so (and remembered), anything else as it is."""
        if _transport_error(error) is None:
            return error
        self._went_down(error)
        return ServerUnreachable(f"{self.problem}; the passages wait for their vectors")

    def count(self) -> int:
        """Every desktop's vectors (the server's whole collection)."""
        try:
            return self._required().count()
        except ServerUnreachable:
            raise
        except Exception as error:
            raise self._failed(error) from error

    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[dict[str, Any]],
        documents: Sequence[str] | None = None,
    ) -> None:
        store = self._required()
        named = [{**metadata, "desktop": self.desktop} for metadata in metadatas]
        try:
            store.upsert([self._prefix + vid for vid in ids], vectors, named, documents)
        except Exception as error:
            raise self._failed(error) from error

    def delete(self, ids: Sequence[str]) -> None:
        store = self._required()
        try:
            store.delete([self._prefix + vid for vid in ids])
        except Exception as error:
            raise self._failed(error) from error

    def by_id(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Raises ServerUnreachable when down: the indexer then stops before embedding in vain."""
        store = self._required()
        try:
            found = store.by_id([self._prefix + vid for vid in ids])
        except Exception as error:
            raise self._failed(error) from error
        return {vid.removeprefix(self._prefix): vector for vid, vector in found.items()}

    def ids(self) -> list[str]:
        """This desktop's ids (for checks)."""
        store = self._required()
        found = store.collection.get(where={"desktop": self.desktop}, include=[])["ids"]
        return [vid.removeprefix(self._prefix) for vid in found]

    def query(self, vector: np.ndarray, limit: int, filters: Filters | None = None) -> list[VectorHit]:
        return self.query_many(vector.reshape(1, -1), limit, filters)[0]

    def query_many(
        self, vectors: np.ndarray, limit: int, filters: Filters | None = None
    ) -> list[list[VectorHit]]:
        """No hits while the server is down: a search then stands on its keyword lists alone."""
        from chromadb.errors import ChromaError

        store = self._connected()
        if store is None:
            return [[] for _ in range(len(vectors))]
        try:
            found = store.query_many(vectors, limit, filters)
        except ChromaError as error:
            # The server's own failure, such as a fresh collection read while another desktop's
            # first writes are compacted ("Error creating hnsw segment reader"): keyword hits only.
            logger.warning("the Chroma server could not search: %s", error)
            return [[] for _ in range(len(vectors))]
        except Exception as error:
            if _transport_error(error) is None:
                raise
            self._went_down(error)
            return [[] for _ in range(len(vectors))]
        # This desktop's own vectors by their catalog ids; the others' keep their desktop's name.
        return [
            [VectorHit(h.id.removeprefix(self._prefix), h.similarity, h.metadata, h.document) for h in hits]
            for hits in found
        ]

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _heartbeat(url: str) -> None:
    import httpx

    parsed = urlparse(url)
    scheme = "https" if parsed.scheme == "https" else "http"
    base = f"{scheme}://{parsed.hostname or '127.0.0.1'}:{parsed.port or 8000}"
    response = httpx.get(f"{base}/api/v2/heartbeat", timeout=httpx.Timeout(10.0, connect=CONNECT_TIMEOUT))
    response.raise_for_status()


def _transport_error(error: BaseException | None) -> BaseException | None:
    """The network failure behind error (its causes followed), if one is."""
    import httpx

    while error is not None:
        if isinstance(error, (httpx.TransportError, ConnectionError)):
            return error
        error = error.__cause__ or error.__context__
    return None
