"""The Chroma store in a process of its own, for the window.

Chroma's local client holds the GIL through every call: each upsert takes a while, and every
thousand vectors it also writes its HNSW index out, which takes longer as the index grows (README
has the figures). In the window's process that freezes the UI thread, however the work is threaded.
Here a child process owns the Chroma directory and serves the same methods over a pipe, one call
at a time (Chroma would serve them one at a time anyway: queries wait behind writes).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from desktop_search.core.filters import Filters
from desktop_search.core.vector_store import VectorHit, VectorWriteError

STOP_TIMEOUT = 30.0


class VectorStoreError(Exception):
    """The vector store could not be opened (damaged files, say), as the child reported it."""


class ChromaProcess:
    """A VectorStore: ChromaStore's methods, run by a child process that owns the Chroma directory."""

    shared: bool = False  # only a local directory is served this way; a server is already apart

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        with self._lock:
            self._start()

    def count(self) -> int:
        return int(self._call("count"))

    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[dict[str, Any]],
        documents: Sequence[str] | None = None,
    ) -> None:
        self._call("upsert", list(ids), np.asarray(vectors, dtype=np.float32), list(metadatas), documents)

    def delete(self, ids: Sequence[str]) -> None:
        self._call("delete", list(ids))

    def by_id(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        return dict(self._call("by_id", list(ids)))

    def query(self, vector: np.ndarray, limit: int, filters: Filters | None = None) -> list[VectorHit]:
        return list(self._call("query", np.asarray(vector, dtype=np.float32), limit, filters))

    def query_many(
        self, vectors: np.ndarray, limit: int, filters: Filters | None = None
    ) -> list[list[VectorHit]]:
        return list(self._call("query_many", np.asarray(vectors, dtype=np.float32), limit, filters))

    def ids(self) -> list[str]:
        return list(self._call("ids"))

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def close(self) -> None:
        try:
            self._call("close")
        except (VectorWriteError, VectorStoreError):
            pass
        self._stop()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, child_end = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child_end, str(self.directory)), name="desktop-search-vectors", daemon=True
        )
        self._process.start()
        child_end.close()  # so a dead child reads as EOF here
        try:
            self._answer(self._exchange("open"))
        except BaseException:
            self._stop()
            raise

    def _call(self, method: str, *args: Any) -> Any:
        with self._lock:
            try:
                reply = self._exchange(method, *args)
            except (EOFError, OSError):
                if method == "close":
                    return None
                # The child died (killed, out of memory): Chroma's files are consistent on disk,
                # so start another and ask again (every call is safe to repeat).
                self._stop()
                try:
                    self._start()
                    reply = self._exchange(method, *args)
                except (EOFError, OSError) as error:
                    raise VectorWriteError(
                        f"the vector store process stopped ({self._process.exitcode})"
                    ) from error
        return self._answer(reply)

    def _exchange(self, method: str, *args: Any) -> tuple[bool, Any]:
        self._connection.send((method, args))
        return self._connection.recv()  # type: ignore[no-any-return]

    @staticmethod
    def _answer(reply: tuple[bool, Any]) -> Any:
        ok, value = reply
        if ok:
            return value
        kind, message = value
        if kind == "write":
            raise VectorWriteError(message)
        raise VectorStoreError(message)

    def _stop(self) -> None:
        self._connection.close()  # the child sees EOF and leaves, if it has not
        self._process.join(STOP_TIMEOUT)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def _serve(connection: Any, directory: str) -> None:
    """The child: open the store, then answer calls until "close" or the parent goes away."""
    import desktop_search  # noqa: F401  (telemetry off before anything else loads)
    from desktop_search.core.chroma_store import ChromaStore

    store: ChromaStore | None = None
    while True:
        try:
            method, args = connection.recv()
        except (EOFError, OSError):  # the parent died: Chroma's own files stay consistent
            break
        try:
            if method == "open":
                store = ChromaStore(Path(directory))
                result: Any = None
            else:
                assert store is not None
                result = getattr(store, method)(*args)
        except VectorWriteError as error:
            connection.send((False, ("write", str(error))))
        except Exception as error:
            connection.send((False, ("other", f"{type(error).__name__}: {error}")))
        else:
            connection.send((True, result))
        if method == "close":
            break
    connection.close()
