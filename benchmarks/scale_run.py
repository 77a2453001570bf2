"""Child tasks of `make bench-scale` (run through worker.py, one fresh interpreter each): index a
tree to the end, measure the embedder's raw rate (the floor), and look at an index at rest."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from common import _descendants, _rss_of, disk_usage, rss_now

QUERY = "how to list files in a directory"
FLOOR_BATCH = 256  # texts per embedder call, as the indexer's window


def index(tree: str, data_dir: str, launched: float, progress_file: str, every: int) -> dict[str, Any]:
    """Index `tree` into `data_dir` to the end; RSS every `every` files read and every 5 × `every`
    passages embedded (or reused). Times are seconds since `launched` (the parent's
    time.time() at start), so the interpreter's start-up counts. Embedding progress goes, one
    line "done total" per event, to progress_file (the parent may kill this process on it)."""
    from desktop_search.core.indexer import Progress, Summary
    from desktop_search.services import Services

    marks: dict[str, Any] = {"imported": time.time() - launched}
    services = Services.open(data_dir)
    marks["opened"] = time.time() - launched
    samples: list[dict[str, Any]] = []
    summary = None
    next_files, next_passages = every, 5 * every
    with open(progress_file, "w", buffering=1) as progress:
        for event in services.indexer().run([tree]):
            now = time.time() - launched
            if isinstance(event, Progress):
                if event.phase != "scanning":
                    marks.setdefault("scan_end", now)
                if event.phase == "reading" and event.done >= next_files:
                    samples.append(_sample("files", event.done, now))
                    next_files += every
                elif event.phase == "embedding":
                    marks.setdefault("embed_start", now)
                    progress.write(f"{event.done} {event.total}\n")
                    if event.done > 0:
                        marks.setdefault("first_embedding_progress", now)
                    if event.done >= next_passages:
                        samples.append(_sample("passages", event.done, now))
                        next_passages += 5 * every
            elif isinstance(event, Summary):
                summary = event
    marks["end"] = time.time() - launched
    samples.append(_sample("end", 0, marks["end"]))
    services.close()
    assert summary is not None
    fields = ("indexed", "unchanged", "passages", "embedded", "reused", "seconds", "keyword_seconds")
    result = {name: getattr(summary, name) for name in fields}
    result["failed"] = dict(summary.failed)
    # Summary.embed_seconds / store_seconds: time in the embedder and in vector-store writes.
    result["embed_seconds"] = getattr(summary, "embed_seconds", None)
    result["store_seconds"] = getattr(summary, "store_seconds", None)
    return {**result, "marks": marks, "rss": samples}


def _sample(what: str, done: int, seconds: float) -> dict[str, Any]:
    """RSS of this process and of its children (the reading sandbox), in bytes."""
    import os

    children = [pid for pid in _descendants(os.getpid()) if pid != os.getpid()]
    return {
        "what": what,
        "done": done,
        "seconds": round(seconds, 1),
        "rss": rss_now(),
        "children_rss": sum(_rss_of(pid) for pid in children),
    }


def floor(data_dir: str, sample: int) -> dict[str, Any]:
    """The embedder's own rate on `sample` distinct passage texts of the index (drawn uniformly
    among the texts that were embedded), in calls of FLOOR_BATCH texts as the indexer makes."""
    from desktop_search.core.catalog.schema import parse_vector_id
    from desktop_search.services import Services

    services = Services.open(data_dir)
    catalog = services.store.catalog
    ids = [row[0] for row in catalog.db.execute("SELECT MIN(id) FROM vectors GROUP BY hash")]
    chosen = random.Random(13).sample(ids, min(sample, len(ids)))
    texts = []
    for vid in chosen:
        key, seq = parse_vector_id(vid)
        row = catalog.db.execute(
            "SELECT text FROM passages WHERE file_key = ? AND seq = ?", (key, seq)
        ).fetchone()
        if row:
            texts.append(row[0])
    embedder = services.index_embedder
    embedder.load()
    embedder.embed(texts[:32])  # first-call costs out of the timing
    started = time.perf_counter()
    for start in range(0, len(texts), FLOOR_BATCH):
        embedder.embed(texts[start : start + FLOOR_BATCH])
    seconds = time.perf_counter() - started
    services.close()
    return {"texts": len(texts), "seconds": seconds, "rate": len(texts) / seconds}


def state(data_dir: str) -> dict[str, Any]:
    """Reopen the index, search once, and count: files, passages, vectors; RSS at rest; disk."""
    from desktop_search.core.library_status import read_stats
    from desktop_search.services import Services

    started = time.perf_counter()
    services = Services.open(data_dir)
    opened = time.perf_counter() - started
    catalog = services.store.catalog
    stats = read_stats(catalog)
    unique = catalog.db.execute("SELECT COUNT(DISTINCT hash) FROM vectors").fetchone()[0]
    vectors = services.store.vector_store.count()
    searcher = services.searcher()
    started = time.perf_counter()
    hits = searcher.search(QUERY, 10)
    first_query = time.perf_counter() - started
    rss = rss_now()
    services.close()
    root = Path(data_dir)
    chroma = disk_usage(root / "chroma")
    return {
        "files": stats.files,
        "indexed": stats.indexed,
        "passages": stats.passages,
        "waiting_files": stats.waiting,
        "waiting_passages": stats.waiting_passages,
        "vectors": vectors,
        "unique_texts_with_vectors": unique,
        "open_seconds": opened,
        "first_query_seconds": first_query,
        "hits": len(hits),
        "rss_at_rest": rss,
        "disk_chroma": chroma,
        "disk_catalog": disk_usage(root) - chroma,
    }
