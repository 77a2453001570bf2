"""One data directory: the catalog, the vector store, and the lock that says who owns them."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

from filelock import FileLock, Timeout

from desktop_search.core.catalog import Catalog
from desktop_search.core.chroma_process import ChromaProcess
from desktop_search.core.chroma_server import ServerStore
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
            self._vectors_checked = False
            self.vector_store = self._open_vector_store(chroma_url)
        except BaseException:
            self._lock.release()
            raise

    def _open_vector_store(self, chroma_url: str | None) -> VectorStore:
        """Open the vector store; if it is damaged or lost, start it afresh from the catalog."""
        directory = self.directory / "chroma"
        local: type[ChromaProcess] | type[ChromaStore] = ChromaProcess if self._isolated else ChromaStore
        opened: VectorStore
        if chroma_url:
            return self._open_server(chroma_url)
        try:
            opened = local(directory)
        except Exception as error:
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
        return opened

    def check_vectors(self) -> str | None:
        """Whether the vector index holds every vector the catalog counts on (files deleted, or an
        older copy restored?): if not, every passage is embedded again. Once per store, before its
        first indexing: counting makes Chroma read its whole index from disk, seconds on a large
        library, which a search by keyword alone need not wait for. The warning, if any."""
        if self._vectors_checked or isinstance(self.vector_store, ServerStore):
            return None
        self._vectors_checked = True
        missing = self.catalog.synced_vector_count() - self.vector_store.count()
        if missing <= 0:
            return None
        warning = (
            f"the vector index lacks {missing} passages (deleted or restored from an older copy?); "
            "they are being embedded again from the catalog"
        )
        self.warnings.append(warning)
        self.catalog.forget_vectors()
        return warning

    def _open_server(self, url: str) -> ServerStore:
        """The team's Chroma server, this desktop's vectors under its own name. A server that does
        not answer is not fatal: keyword search works, and the passages wait for their vectors."""
        server = ServerStore(url, self._desktop_id())
        if server.problem is not None:
            self.warnings.append(
                f"{server.problem}: searching by keyword only, and passages wait for their vectors "
                "(they are stored by the next index run once the server answers)"
            )
        elif self.catalog.synced_vector_count() > server.count():
            self.warnings.append(
                "the Chroma server lacks this desktop's vectors (a new or emptied server?); "
                "they are being embedded again from the catalog"
            )
            self.catalog.forget_vectors()
        return server

    def _desktop_id(self) -> str:
        """This desktop's name on a shared server, made once and kept in the catalog."""
        named = self.catalog.desktop_name()
        if named is not None:
            return named
        desktop = uuid.uuid4().hex[:12]
        if self.catalog.synced_vector_count():
            # Vectors stored before under the catalog's bare ids (a local store, or a shared one
            # before desktops had names): they go up again under this name.
            self.catalog.forget_vectors()
        self.catalog.name_desktop(desktop)
        return desktop

    def vector_store_problem(self) -> str | None:
        """Why the vector store cannot be used now (a team's server that does not answer), or None."""
        server = self.vector_store
        return server.problem if isinstance(server, ServerStore) and not server.reachable else None

    def close(self) -> None:
        self.vector_store.close()
        self.catalog.close()
        self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
