"""What a stopped embedding pass had embedded, kept for the next run.

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
        common = {"kind": record.kind or "", "folder": record.folder, "mtime": record.shown_date}
        metadatas: list[dict[str, object]] = []
        for p in mine:
            if shared:  # as the indexer's _sync_files writes them
                place = {"page": p.page or 0, "start": p.start, "end": p.end, "ocr": p.ocr}
                label = {} if p.label is None else {"label": p.label}
                metadatas.append({**common, "path": record.path, **place, **label})
            else:
                metadatas.append(common)
        store.vector_store.upsert(
            ids,
            np.stack([embedded[text_hash(p.text)] for p in mine]),
            metadatas,
            [p.text for p in mine] if shared else None,
        )
        store.catalog.note_vectors([(vid, text_hash(p.text)) for vid, p in zip(ids, mine)])
        written += len(mine)
    return written
