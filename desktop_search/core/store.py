"""One data directory: the catalog, the vector store, and the lock that says who owns them."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from filelock import FileLock, Timeout

from desktop_search.core.catalog import Catalog
from desktop_search.core.chroma_process import ChromaProcess
from desktop_search.core.chroma_store import ChromaStore
from desktop_search.core.vector_store import VectorStore

MIN_FREE_BYTES = 64 << 20


class DataDirError(Exception):
    """The data directory cannot be used (not writable, or owned by another process)."""


class Store:
    def __init__(self, directory: Path, *, chroma_url: str | None = None, isolated: bool = False) -> None:
        """isolated: keep the local Chroma store in a child process (for the window, whose UI
        thread would otherwise wait while Chroma holds the GIL)."""
        self.directory = Path(directory)
        self._isolated = isolated
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
        try:
            self.catalog = Catalog(self.directory / "catalog.sqlite3")
            self.warnings: list[str] = []  # what the user should be told about this data directory
            self.vector_store = self._open_vector_store(chroma_url)
        except BaseException:
            self._lock.release()
            raise

    def _open_vector_store(self, chroma_url: str | None) -> VectorStore:
        """Open the vector store; if it is damaged or lost, start it afresh from the catalog."""
        directory = self.directory / "chroma"
        local: type[ChromaProcess] | type[ChromaStore] = ChromaProcess if self._isolated else ChromaStore
        opened: VectorStore
        try:
            opened = local(directory) if not chroma_url else ChromaStore(directory, url=chroma_url)
        except Exception as error:
            if chroma_url:
                raise DataDirError(f"cannot use the Chroma server at {chroma_url}: {error}") from error
            if shutil.disk_usage(self.directory).free < MIN_FREE_BYTES:
                raise DataDirError(f"the disk holding {self.directory} is full") from error
            # Anything else means the files are damaged: keep them aside, rebuild from the catalog.
            broken = directory.with_name(f"chroma.damaged-{int(time.time())}")
            shutil.move(str(directory), str(broken))
            self.warnings.append(
                f"the vector index was damaged ({type(error).__name__}) and was moved to {broken}; "
                "it is being rebuilt from the catalog (keyword search works meanwhile)"
            )
            try:
                opened = local(directory)
            except Exception as second:
                raise DataDirError(f"cannot create a vector index in {directory}: {second}") from second
            self.catalog.forget_vectors()
        missing = self.catalog.synced_vector_count() - opened.count()
        if missing > 0:
            self.warnings.append(
                f"the vector index lacks {missing} passages (deleted or restored from an older copy?); "
                "they are being embedded again from the catalog"
            )
            self.catalog.forget_vectors()
        return opened

    def close(self) -> None:
        self.vector_store.close()
        self.catalog.close()
        self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
