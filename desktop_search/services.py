"""Composition: the objects a command or the window needs, built from the settings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from desktop_search.core.cross_encoder import CrossEncoder, CrossEncoderError
from desktop_search.core.duplicates import Duplicates
from desktop_search.core.embedding import OnnxEmbedder
from desktop_search.core.history import History
from desktop_search.core.indexer import Indexer
from desktop_search.core.library import Library
from desktop_search.core.ocr_reader import SandboxedOcr
from desktop_search.core.preview_reader import PreviewReader
from desktop_search.core.reader import SandboxedReader
from desktop_search.core.search import Searcher
from desktop_search.core.similar import Similar
from desktop_search.core.store import Store
from desktop_search.settings import Settings


@dataclass
class Services:
    settings: Settings
    store: Store
    model_dir: Path
    model_file: str

    @classmethod
    def open(
        cls,
        settings: Settings | str | os.PathLike[str] | None = None,
        *,
        chroma_url: str | None = None,
        model_file: str | None = None,
        isolated: bool = False,
    ) -> Services:
        """settings: resolved settings, or just a data directory (the rest from the environment);
        isolated: the vector store in a child process (see core/chroma_process.py)."""
        if not isinstance(settings, Settings):
            settings = Settings.resolve(data_dir=settings, chroma_url=chroma_url, model_file=model_file)
        model_dir, chosen = settings.model()  # before the store: a missing model changes nothing
        store = Store(settings.data_dir, chroma_url=settings.chroma_url, isolated=isolated)
        if store.catalog.switch_model(chosen):
            store.warnings.append(f"the model changed to {chosen}: passages are being embedded again")
        return cls(settings, store, model_dir, chosen)

    @cached_property
    def index_embedder(self) -> OnnxEmbedder:
        return OnnxEmbedder(self.model_dir, model_file=self.model_file)

    @cached_property
    def query_embedder(self) -> OnnxEmbedder:
        """A session of its own, so a query never waits behind an indexing batch."""
        return OnnxEmbedder(self.model_dir, model_file=self.model_file, threads=1)

    def warm_up(self) -> None:
        """Load what a search by meaning needs before the first one asks: the query model, and
        the vector index, which Chroma reads from disk at its first query (seconds on a large
        library; the window searches by keyword meanwhile)."""
        vector = self.query_embedder.embed(["warm up"])[0]
        try:
            self.store.vector_store.query(vector, 1)
        except Exception:  # a store that fails says so at the first real search
            pass

    @cached_property
    def reranker(self) -> CrossEncoder | None:
        """The cross-encoder of the settings' folder, loaded on first use; None when none is set.
        Raises CrossEncoderError (a message for the user) if the folder does not hold one."""
        if self.settings.reranker is None:
            return None
        return CrossEncoder.load(self.settings.reranker)

    @cached_property
    def file_reader(self) -> SandboxedReader:
        """Reads files in a child process: a hostile file costs only itself."""
        return SandboxedReader(self.model_dir)

    @cached_property
    def preview_reader(self) -> PreviewReader:
        """The window's previews in a sandbox of their own: never behind the indexer's read."""
        return PreviewReader(self.store.catalog)

    @cached_property
    def page_reader(self) -> SandboxedOcr:
        """Reads scanned pages and images (OCR) in a child process of its own."""
        return SandboxedOcr(self.model_dir, self.settings.ocr_languages)

    def indexer(self) -> Indexer:
        ocr = self.page_reader if self.settings.ocr else None
        return Indexer(self.store, self.index_embedder, self.file_reader, ocr)

    def library(self, *, own_connection: bool = False) -> Library:
        """own_connection: a catalog connection of its own, for counting on another thread (the
        caller closes it with library.close())."""
        if own_connection:
            return Library(self.store.catalog.new_connection())
        return Library(self.store.catalog, self.indexer)

    def history(self, *, own_connection: bool = False) -> History:
        """Recent and saved searches. own_connection: a catalog connection of its own (the window's:
        the indexer writes on the shared one from its thread); history.close() closes it."""
        catalog = self.store.catalog.new_connection() if own_connection else self.store.catalog
        return History(catalog, owns_catalog=own_connection)

    def searcher(self, *, own_connection: bool = False) -> Searcher:
        """own_connection: a catalog connection of its own, for searching from another thread."""
        catalog = self.store.catalog.new_connection() if own_connection else self.store.catalog
        searcher = Searcher(catalog, self.store.vector_store, self.query_embedder)
        try:
            searcher.reranker = self.reranker
        except CrossEncoderError as error:  # searching goes on without it; the user is told why
            self.__dict__["reranker"] = None  # told once
            self.store.warnings.append(f"the cross-encoder is off: {error}")
        return searcher

    def duplicates(self, *, own_connection: bool = False) -> Duplicates:
        """own_connection: a catalog connection of its own, for another thread."""
        catalog = self.store.catalog.new_connection() if own_connection else self.store.catalog
        return Duplicates(catalog, self.store.vector_store)

    def similar(self, *, own_connection: bool = False) -> Similar:
        """Finds files like a given one; own_connection: for use from another thread."""
        catalog = self.store.catalog.new_connection() if own_connection else self.store.catalog
        return Similar(catalog, self.store.vector_store, self.query_embedder, self.file_reader)

    def close(self) -> None:
        if "file_reader" in self.__dict__:
            self.file_reader.close()
        if "preview_reader" in self.__dict__:
            self.preview_reader.close()
        if "page_reader" in self.__dict__:
            self.page_reader.close()
        self.store.close()
