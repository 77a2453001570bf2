"""The 100,000-passage index that the query, busy, disk and memory sections measure.

It is made without embedding anything twice: the whole shared corpus is indexed once by the
project's own indexer (which also gives the peak RSS of indexing it), then its catalog rows
(files, passages with their FTS5 index, vector ids) and its stored vectors are copied under new
files in folders no one has added (so a rescan never touches them), each vector nudged by a
little noise and renormalised so the HNSW graph holds no exact duplicates, until there are
PASSAGES passages. That directory is cached (CACHE/index-100k) with a meta.json, and reused
while the files that define what is stored are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path
from typing import Any

import desktop_search

FORMAT = 1  # bump when the way the index is built here changes
# Per-dimension sigma of the nudge given to copied vectors: enough to make every copy a distinct
# point for the HNSW graph, small enough that it stays a near neighbour of its original.
NOISE = 0.005
COPY_ROOT = "/benchmark-copies"
CHROMA_BATCH = 4000


# child tasks


def index_base(folder: str, data_dir: str) -> dict[str, Any]:
    """Index the base folder for real; what the summary says."""
    from pipelines import index_folder

    seconds, summary = index_folder(folder, data_dir)
    return {
        "seconds": seconds,
        "keyword_seconds": summary.keyword_seconds,
        "files": summary.indexed,
        "passages": summary.passages,
        "embedded": summary.embedded,
        "reused": summary.reused,
        "failed": sum(summary.failed.values()),
    }


def replicate(
    data_dir: str, target: int, seed: int = 7, noise: float = NOISE, root: str = COPY_ROOT
) -> dict[str, Any]:
    """Copy the indexed files' catalog rows and vectors under new files until `target` passages,
    each copied vector nudged by `noise` (sigma per dimension) and renormalised."""
    import numpy as np

    from desktop_search.core.catalog import file_key, vector_id
    from desktop_search.core.store import Store

    started = time.perf_counter()
    store = Store(Path(data_dir))
    db, collection = store.catalog.db, store.vector_store.collection
    files = db.execute(
        "SELECT key, path, kind, size, mtime, hash, passages FROM files "
        "WHERE status = 'indexed' AND synced = 1 AND passages > 0 ORDER BY path"
    ).fetchall()
    have = db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    base_ids = [vector_id(key, seq) for key, *_, passages in files for seq in range(passages)]
    hashes = dict(db.execute("SELECT id, hash FROM vectors").fetchall())
    base_vectors: dict[str, np.ndarray] = {}
    for start in range(0, len(base_ids), CHROMA_BATCH):
        got = collection.get(ids=base_ids[start : start + CHROMA_BATCH], include=["embeddings"])
        base_vectors.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
    rng = np.random.default_rng(seed)
    copies, copy = 0, 0
    while have < target:
        copy += 1
        folder = f"{root}/{copy}"
        mapping, file_rows, ids, vectors, metadatas, vector_rows = [], [], [], [], [], []
        for key, path, kind, size, mtime, digest, passages in files:
            if have >= target:
                break
            new_path = folder + path
            new_key = file_key(new_path)
            mapping.append((key, new_key))
            file_rows.append((new_key, new_path, folder, kind, size, mtime, digest, passages, passages))
            for seq in range(passages):
                old_id, new_id = vector_id(key, seq), vector_id(new_key, seq)
                if old_id in base_vectors:
                    ids.append(new_id)
                    vectors.append(base_vectors[old_id])
                    metadatas.append({"kind": kind or "", "folder": folder, "mtime": mtime})
                    vector_rows.append((new_id, hashes.get(old_id, "")))
            have += passages
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            """INSERT INTO files(key, path, folder, kind, size, mtime, hash, status, reason, passages,
                                 vectors, synced, indexed_at)
               VALUES (?,?,?,?,?,?,?,'indexed',NULL,?,?,1,0)""",
            file_rows,
        )
        db.execute("CREATE TEMP TABLE IF NOT EXISTS copy_map(old TEXT PRIMARY KEY, new TEXT)")
        db.execute("DELETE FROM copy_map")
        db.executemany("INSERT INTO copy_map VALUES (?, ?)", mapping)
        db.execute(
            """INSERT INTO passages(file_key, seq, page, start, end, text)
               SELECT m.new, p.seq, p.page, p.start, p.end, p.text
               FROM copy_map m JOIN passages p ON p.file_key = m.old ORDER BY m.new, p.seq"""
        )
        db.executemany("INSERT OR REPLACE INTO vectors(id, hash) VALUES (?, ?)", vector_rows)
        db.execute("COMMIT")
        matrix = np.stack(vectors) + rng.normal(0.0, noise, (len(vectors), vectors[0].shape[0])).astype(
            np.float32
        )
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        for start in range(0, len(ids), CHROMA_BATCH):
            end = start + CHROMA_BATCH
            collection.upsert(
                ids=ids[start:end], embeddings=matrix[start:end], metadatas=metadatas[start:end]
            )
        copies += len(file_rows)
        print(f"  copy {copy}: {have:,} passages, {collection.count():,} vectors", flush=True)
    result = {
        "passages": db.execute("SELECT COUNT(*) FROM passages").fetchone()[0],
        "vectors": collection.count(),
        "copied_files": copies,
        "seconds": time.perf_counter() - started,
    }
    store.close()
    return result


def cache_key(base: Path, target: int) -> str:
    """What the cached index depends on: the catalog's schema, the chunking, the embedding's shape,
    the default model's bytes, Chroma's version, the base folder and the size. Tuning elsewhere in
    the core (batch sizes, search) keeps the cache; `--fresh` rebuilds it regardless."""
    import chromadb
    from pipelines import default_model_file

    from desktop_search.core import catalog, chroma_store, embedding
    from desktop_search.settings import Settings

    core = Path(desktop_search.__file__).resolve().parent / "core"
    model_dir = Settings.resolve().model()[0]
    model_file = default_model_file()
    digest = hashlib.sha256(
        f"{FORMAT}|{target}|{base}|{chromadb.__version__}|{model_file}|{embedding.MAX_TOKENS}|"
        f"{embedding.DIMENSIONS}|{chroma_store.COLLECTION}".encode()
    )
    digest.update(catalog.SCHEMA.encode())
    digest.update((core / "chunking.py").read_bytes())
    for path in (model_dir / model_file, model_dir / "tokenizer.json"):
        with open(path, "rb") as stream:
            while block := stream.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()[:16]


def big_index(ctx: Any) -> tuple[Path, dict[str, Any]]:
    """The cached 100k-passage data directory and its meta.json, built if missing or stale."""
    from common import CACHE, disk_usage, log, run_child

    if "big_index" in ctx.notes:
        return ctx.notes["big_index"]
    key = cache_key(ctx.base, ctx.passages)
    where = CACHE / f"index-{ctx.passages // 1000}k"
    meta_file = where / "meta.json"
    meta: dict[str, Any] | None = None
    if meta_file.exists() and not ctx.fresh:
        meta = json.loads(meta_file.read_text())
        if meta.get("key") != key:
            log(f"cached index in {where} is stale (code or model changed); rebuilding")
            meta = None
    if meta is None:
        shutil.rmtree(where, ignore_errors=True)
        building = CACHE / f"building-{key}"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        data_dir = building / "data"
        log(f"building the {ctx.passages:,}-passage index: indexing {ctx.base} for real first")
        base = run_child("bigindex.index_base", str(ctx.base), str(data_dir), timeout=3 * 3600)
        log(
            f"  {base.value['passages']:,} passages, {base.value['files']} files in {base.value['seconds']:.0f} s, "
            f"peak RSS {base.peak_rss / 2**20:.0f} MiB; copying rows and vectors to {ctx.passages:,}"
        )
        base_disk = disk_usage(data_dir)
        copied = run_child("bigindex.replicate", str(data_dir), ctx.passages, timeout=3 * 3600)
        meta = {
            "key": key,
            "base": str(ctx.base),
            "built": time.strftime("%Y-%m-%d %H:%M"),
            "index": {
                **base.value,
                "peak_rss": base.peak_rss,
                "peak_tree_rss": base.peak_tree_rss,
                "cpu_seconds": base.cpu_seconds,
                "disk": base_disk,
            },
            "replicate": copied.value,
        }
        (building / "meta.json").write_text(json.dumps(meta, indent=2))
        building.rename(where)
        log(f"  built in {base.seconds + copied.seconds:.0f} s; cached in {where}")
    else:
        log(
            f"using the cached {meta['replicate']['passages']:,}-passage index in {where} (built {meta['built']})"
        )
    ctx.notes["big_index"] = (where / "data", meta)
    footnotes = ctx.notes.setdefault("footnotes", [])
    footnotes.append(
        f"The {meta['replicate']['passages']:,}-passage index: {meta['base']} indexed by the project's indexer "
        f"({meta['index']['passages']:,} passages), its rows and vectors then copied (vectors nudged, "
        f"sigma {NOISE}) under new files; cached in {where} (built {meta['built']}; --fresh rebuilds)."
    )
    return ctx.notes["big_index"]
