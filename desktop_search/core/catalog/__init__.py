"""The catalog (SQLite): the source of truth for folders, files and passages, and the only place
that speaks SQL."""

from __future__ import annotations

from desktop_search.core.catalog.catalog import Catalog, FileRecord, StoredPassage
from desktop_search.core.catalog.retrieval import PassageRow, Retrieval
from desktop_search.core.catalog.schema import (
    SCHEMA,
    file_key,
    parse_vector_id,
    searchable_name,
    text_hash,
    vector_id,
)

__all__ = [
    "SCHEMA",
    "Catalog",
    "FileRecord",
    "PassageRow",
    "Retrieval",
    "StoredPassage",
    "file_key",
    "parse_vector_id",
    "searchable_name",
    "text_hash",
    "vector_id",
]
