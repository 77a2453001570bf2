"""Passage vectors written to the vector store and noted in the catalog: a window of files at the
end of its embedding, or what a stopped embedding pass had embedded, kept for the next run.

Each file is marked in step with the vector store as a unit, once all its passages have their
vectors: a 1,000-page manual's thousands of passages take minutes. When the run is stopped halfway,
the passages embedded so far are written under their own ids and noted in the catalog's vectors
table, without marking their file done; the next run finds them by their text's hash, as it finds
any stored vector, and embeds only the rest.
"""

from __future__ import annotations

import numpy as np

from desktop_search.core.catalog import FileRecord, StoredPassage, text_hash, vector_id
from desktop_search.core.store import Store


def sync_files(
    store: Store,
    records: list[FileRecord],
    passages: dict[str, list[StoredPassage]],
    vectors: dict[str, np.ndarray],
) -> None:
    """Store the vectors of a window's files in a few large writes (each call to the store has a
    fixed cost whatever its size), then mark each file done. Bounds are widened first, so a crash
    in between leaves no vector the catalog does not know of."""
    shared = store.vector_store.shared
    owned: dict[str, list[tuple[str, str]]] = {}  # file key -> its (vector id, text hash)
    stale: dict[str, list[str]] = {}
    metadatas: list[dict[str, object]] = []
    for record in records:
        mine = passages[record.key]
        store.catalog.begin_sync(record.key, len(mine))
        owned[record.key] = [(vector_id(record.key, p.seq), text_hash(p.text)) for p in mine]
        stale[record.key] = [vector_id(record.key, seq) for seq in range(len(mine), record.vector_bound)]
        metadatas.extend(metadata(record, p, shared) for p in mine)
    gone = [vid for ids_of_file in stale.values() for vid in ids_of_file]
    if gone:
        store.vector_store.delete(gone)
    pairs = [pair for pairs_of_file in owned.values() for pair in pairs_of_file]
    if pairs:
        texts = [p.text for record in records for p in passages[record.key]] if shared else None
        store.vector_store.upsert(
            [vid for vid, _ in pairs], np.stack([vectors[h] for _, h in pairs]), metadatas, texts
        )
    for record in records:
        store.catalog.finish_sync(record.key, owned[record.key], stale[record.key])


def metadata(record: FileRecord, passage: StoredPassage, shared: bool) -> dict[str, object]:
    """What a vector carries: its file's kind, folder and date (for filters); in a store shared by
    several desktops, which lack each other's catalogs, also its file and place."""
    common: dict[str, object] = {
        "kind": record.kind or "",
        "folder": record.folder,
        "mtime": record.shown_date,
    }
    if not shared:
        return common
    place = {"page": passage.page or 0, "start": passage.start, "end": passage.end, "ocr": passage.ocr}
    label = {} if passage.label is None else {"label": passage.label}
    return {**common, "path": record.path, **place, **label}


def keep_embedded(
    store: Store,
    records: list[FileRecord],
    passages: dict[str, list[StoredPassage]],
    embedded: dict[str, np.ndarray],
) -> int:
    """Write the passages of these files whose vectors were just embedded; how many were written."""
    shared = store.vector_store.shared
    written = 0
    for record in records:
        mine = [p for p in passages[record.key] if text_hash(p.text) in embedded]
        if not mine:
            continue
        ids = [vector_id(record.key, p.seq) for p in mine]
        store.catalog.begin_partial_sync(record.key, len(passages[record.key]), ids)
        store.vector_store.upsert(
            ids,
            np.stack([embedded[text_hash(p.text)] for p in mine]),
            [metadata(record, p, shared) for p in mine],
            [p.text for p in mine] if shared else None,
        )
        store.catalog.note_vectors([(vid, text_hash(p.text)) for vid, p in zip(ids, mine)])
        written += len(mine)
    return written
