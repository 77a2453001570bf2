"""One data directory: the catalog, the vector store, and the lock that says who owns them."""

from __future__ import annotations

import os
from pathlib import Path

from filelock import FileLock, Timeout

from desktop_search.core.catalog import Catalog
from desktop_search.core.vectors import VectorStore


class DataDirError(Exception):
    """The data directory cannot be used (not writable, or owned by another process)."""


class Store:
    def __init__(self, directory: Path, *, chroma_url: str | None = None) -> None:
        self.directory = Path(directory)
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise DataDirError(f"cannot create data directory {self.directory}: {error.strerror}") from error
        if not os.access(self.directory, os.W_OK):
            raise DataDirError(f"data directory {self.directory} is not writable")
        self._lock = FileLock(str(self.directory / "owner.lock"))
        try:
            self._lock.acquire(timeout=0)
        except Timeout as error:
            raise DataDirError(
                f"another Desktop Search process is using {self.directory}; close it first"
            ) from error
        self.catalog = Catalog(self.directory / "catalog.sqlite3")
        self.vectors = VectorStore(self.directory / "chroma", url=chroma_url)

    def close(self) -> None:
        self.catalog.close()
        self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
