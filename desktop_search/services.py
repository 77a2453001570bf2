"""Composition: the objects a command or the window needs, built from a data directory."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from desktop_search import paths
from desktop_search.core.embedding import OnnxEmbedder
from desktop_search.core.indexer import Indexer
from desktop_search.core.reader import SandboxedReader
from desktop_search.core.search import Searcher
from desktop_search.core.store import Store


@dataclass
class Services:
    store: Store
    model_dir: Path
    model_file: str = "model.onnx"

    @classmethod
    def open(
        cls, data_dir: str | None = None, *, chroma_url: str | None = None, model_file: str = "model.onnx"
    ) -> Services:
        model_dir = paths.find_model_dir()
        return cls(Store(paths.data_dir(data_dir), chroma_url=chroma_url), model_dir, model_file)

    @cached_property
    def index_embedder(self) -> OnnxEmbedder:
        return OnnxEmbedder(self.model_dir, model_file=self.model_file)

    @cached_property
    def query_embedder(self) -> OnnxEmbedder:
        """A session of its own, so a query never waits behind an indexing batch."""
        return OnnxEmbedder(self.model_dir, model_file=self.model_file, threads=1)

    @cached_property
    def reader(self) -> SandboxedReader:
        """Reads files in a child process: a hostile file costs only itself."""
        return SandboxedReader(self.model_dir)

    def indexer(self) -> Indexer:
        return Indexer(self.store, self.index_embedder, self.reader)

    def searcher(self, *, reader: bool = False) -> Searcher:
        """reader: a catalog connection of its own, for searching from another thread."""
        catalog = self.store.catalog.reader() if reader else self.store.catalog
        return Searcher(catalog, self.store.vectors, self.query_embedder)

    def close(self) -> None:
        if "reader" in self.__dict__:
            self.reader.close()
        self.store.close()
