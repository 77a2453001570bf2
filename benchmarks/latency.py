"""Query latency over 100,000 passages (idle, and while the indexer writes), disk per passage,
and memory.

The 100k index is made without embedding anything twice: the whole shared corpus is indexed
once by the project's own indexer (which also gives the peak RSS of indexing it), then its
catalog rows (files, passages with their FTS5 index, vector ids) and its stored vectors are
copied under new files in folders no one has added (so a rescan never touches them), each
vector nudged by a little noise and renormalised so the HNSW graph holds no exact duplicates,
until there are PASSAGES passages. That directory is cached (CACHE/index-100k) with a
meta.json, and reused while the files that define what is stored are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import desktop_search

FORMAT = 1  # bump when the way the index is built here changes
NOISE = 0.005  # per-dimension sigma of the nudge given to copied vectors (cosine to the original ~0.995)
COPY_ROOT = "/benchmark-copies"
WARMUP = 5
BUSY_INTERVAL = 0.1  # seconds between two searches while indexing (someone typing)
CHROMA_BATCH = 4000

# Questions a person would type about what the shared corpus holds (plus identifiers and syntax).
QUESTIONS = [
    "how does ownership and borrowing work",
    "handle errors with Result",
    "lifetimes of references",
    "closures that capture their environment",
    "create a new project with cargo",
    "Box smart pointer",
    "mutable reference rules",
    "pattern matching on enums",
    "threads and message passing",
    "install a package with apt",
    "copyright and license terms",
    "GNU General Public License version 2",
    "list files sorted by size",
    "extract a tar archive",
    "find files by name",
    "git rebase interactively",
    "compress a directory",
    "show disk usage",
    "set logscale",
    "R_LIBS_USER",
    "ERR_CONNECTION_RESET",
    "plot a function with gnuplot",
    "thesis template",
    "arabic typesetting with LaTeX",
    "multiple choice exam",
    "how to write a table of contents",
    "font encoding for Cyrillic",
    "Chinese characters in documents",
    "matrix multiplication",
    "solve linear equations",
    "a man who falls in love",
    "the captain of the ship",
    "letters written during the war",
    '"exact phrase" search',
    "memory safety -unsafe",
    '"standard library" collections',
    "convert a document to PDF",
    "keyboard shortcuts",
    "network configuration",
    "environment variables",
]


# building the 100k index (child tasks)


def index_base(folder: str, data_dir: str) -> dict[str, Any]:
    """Index the base folder for real; what the summary says."""
    from desktop_search.core.indexer import Summary
    from desktop_search.services import Services

    started = time.perf_counter()
    services = Services.open(data_dir)
    summary = None
    for event in services.indexer().run([folder]):
        if isinstance(event, Summary):
            summary = event
    seconds = time.perf_counter() - started
    services.close()
    assert summary is not None
    return {
        "seconds": seconds,
        "keyword_seconds": summary.keyword_seconds,
        "files": summary.indexed,
        "passages": summary.passages,
        "embedded": summary.embedded,
        "reused": summary.reused,
        "failed": sum(summary.failed.values()),
    }


def replicate(data_dir: str, target: int, seed: int = 7) -> dict[str, Any]:
    """Copy the indexed files' catalog rows and vectors under new files until `target` passages."""
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
        folder = f"{COPY_ROOT}/{copy}"
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
        matrix = np.stack(vectors) + rng.normal(0.0, NOISE, (len(vectors), vectors[0].shape[0])).astype(
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
        base = run_child("latency.index_base", str(ctx.base), str(data_dir), timeout=3 * 3600)
        log(
            f"  {base.value['passages']:,} passages, {base.value['files']} files in {base.value['seconds']:.0f} s, "
            f"peak RSS {base.peak_rss / 2**20:.0f} MiB; copying rows and vectors to {ctx.passages:,}"
        )
        base_disk = disk_usage(data_dir)
        copied = run_child("latency.replicate", str(data_dir), ctx.passages, timeout=3 * 3600)
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


# queries


def make_queries(catalog_path: str, count: int, seed: int = 11) -> list[str]:
    """The QUESTIONS, then 2-6 consecutive words from random passages, until `count`."""
    import sqlite3

    queries = list(QUESTIONS[:count])
    db = sqlite3.connect(f"file:{catalog_path}?mode=ro", uri=True)
    highest = db.execute("SELECT MAX(id) FROM passages").fetchone()[0] or 0
    rng = random.Random(seed)
    word = re.compile(r"[^\W\d_]{3,}")
    attempts = 0
    while len(queries) < count and attempts < count * 50:
        attempts += 1
        row = db.execute(
            "SELECT text FROM passages WHERE id >= ? LIMIT 1", (rng.randint(1, highest),)
        ).fetchone()
        words = word.findall(row[0]) if row else []
        if len(words) < 6:
            continue
        length = rng.randint(2, 6)
        start = rng.randrange(0, len(words) - length)
        queries.append(" ".join(words[start : start + length]))
    db.close()
    return queries


def query_latency(data_dir: str, queries: list[str]) -> dict[str, Any]:
    """Child task: a full search per query (Searcher.search: embed + kNN + BM25 + fuse + snippets)."""
    from common import peak_rss_self, rss_now

    from desktop_search.core.filters import Filters
    from desktop_search.core.query import parse
    from desktop_search.services import Services

    opened = time.perf_counter()
    services = Services.open(data_dir)
    searcher = services.searcher()
    started = time.perf_counter()
    searcher.search(queries[0])
    first = time.perf_counter() - started
    open_seconds = started - opened
    for query in queries[1 : 1 + WARMUP]:
        searcher.search(query)
    latencies, hits = [], 0
    for query in queries:
        started = time.perf_counter()
        found = searcher.search(query, limit=10)
        latencies.append(time.perf_counter() - started)
        hits += bool(found)
    # Where the time goes: each stage alone, on the same queries (uses the searcher's internals,
    # so it is skipped, not fatal, if they change).
    stages: dict[str, list[float]] = {"embed": [], "knn": [], "bm25": [], "phrase": []}
    embedder, vectors = services.query_embedder, services.store.vector_store
    try:
        for query in queries:
            parsed = parse(query)
            started = time.perf_counter()
            vector = embedder.embed([parsed.semantic_text])[0]
            stages["embed"].append(time.perf_counter() - started)
            started = time.perf_counter()
            vectors.query(vector, 100)
            stages["knn"].append(time.perf_counter() - started)
            started = time.perf_counter()
            searcher._keyword(parsed.fts_match(), Filters(), 100)
            stages["bm25"].append(time.perf_counter() - started)
            if parsed.fts_whole():  # the whole query as a phrase, a second FTS5 query in hybrid mode
                started = time.perf_counter()
                searcher._keyword(parsed.fts_whole(), Filters(), 100)
                stages["phrase"].append(time.perf_counter() - started)
    except Exception as error:
        stages = {"error": [], "reason": [str(error)]}  # type: ignore[dict-item]
    time.sleep(1.0)
    result = {
        "latencies": latencies,
        "stages": stages,
        "first": first,
        "open": open_seconds,
        "with_hits": hits,
        "passages": services.store.catalog.passage_count(),
        "vectors": vectors.count(),
        "rss_at_rest": rss_now(),
        "peak_rss": peak_rss_self(),
    }
    services.close()
    return result


def busy(data_dir: str, folder: str, queries: list[str]) -> dict[str, Any]:
    """Child task: search from one thread while the indexer indexes `folder` in another."""
    from desktop_search.core.indexer import FileIndexed, Progress, Summary
    from desktop_search.services import Services

    services = Services.open(data_dir)
    searcher = services.searcher(own_connection=True)
    for query in queries[:WARMUP]:
        searcher.search(query)
    idle = []
    for query in queries[:50]:
        started = time.perf_counter()
        searcher.search(query)
        idle.append(time.perf_counter() - started)
    phase = {"name": "starting", "embedding_started": None}
    summary: list[Summary] = []
    origin = time.perf_counter()

    def index() -> None:
        files_read, reading_total = 0, None
        for event in services.indexer().run([folder]):
            if isinstance(event, Progress) and event.phase in ("scanning", "reading"):
                phase["name"] = event.phase
                reading_total = event.total if event.phase == "reading" else reading_total
            elif isinstance(event, FileIndexed):
                files_read += 1
                if files_read == reading_total:  # pass 1 over: from now on, embedding and writing
                    phase["name"] = "embedding"
                    phase["embedding_started"] = time.perf_counter() - origin
            elif isinstance(event, Summary):
                summary.append(event)
        phase["name"] = "done"

    thread = threading.Thread(target=index, name="indexer")
    thread.start()
    samples = []
    index_ = 0
    while thread.is_alive():
        query = queries[index_ % len(queries)]
        index_ += 1
        started = time.perf_counter()
        searcher.search(query)
        took = time.perf_counter() - started
        samples.append({"at": started - origin, "phase": phase["name"], "seconds": took})
        time.sleep(BUSY_INTERVAL)
    thread.join()
    services.close()
    done = summary[0]
    return {
        "idle": idle,
        "samples": samples,
        "index_seconds": done.seconds,
        "passages": done.passages,
        "embedded": done.embedded,
        "embedding_started": phase["embedding_started"],
    }


def write_abstracts(target: Path, count: int) -> int:
    """SciFact abstracts as text files: new text the base index has never embedded."""
    from common import SHARED

    target.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(SHARED / "eval" / "scifact" / "corpus.jsonl", encoding="utf-8") as stream:
        for line in stream:
            if written >= count:
                break
            document = json.loads(line)
            (target / f"scifact-{document['_id']}.txt").write_text(
                f"{document['title']}\n\n{document['text']}\n", encoding="utf-8"
            )
            written += 1
    return written


# sections (bench.py side)


def _ms(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.1f} ms"


def query_run(ctx: Any) -> dict[str, Any]:
    from common import log, run_child

    if "query_run" not in ctx.notes:
        data_dir, _ = big_index(ctx)
        queries = make_queries(str(data_dir / "catalog.sqlite3"), ctx.queries)
        log(f"timing {len(queries)} searches over the cached index")
        ctx.notes["query_run"] = run_child("latency.query_latency", str(data_dir), queries).value
        ctx.notes["queries"] = queries
    return ctx.notes["query_run"]


def query_section(ctx: Any) -> list[Any]:
    from common import Row, percentile

    run = query_run(ctx)
    latencies = run["latencies"]
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    size = f"{run['passages']:,} passages"
    if "error" in run["stages"]:
        stages = f"stage timing skipped ({run['stages']['reason'][0]})"
    else:
        stages = ", ".join(
            f"{name} p50 {_ms(percentile(values, 0.5))} / p95 {_ms(percentile(values, 0.95))}"
            for name, values in run["stages"].items()
        )
    return [
        Row("query", f"full search p50 ({size}, {len(latencies)} queries)", _ms(p50)),
        Row(
            "query",
            f"full search p95 ({size})",
            _ms(p95),
            "≤ 50 ms",
            p95 <= 0.050,
            note=f"max {_ms(max(latencies))}; {run['with_hits']}/{len(latencies)} queries with hits; "
            f"alone: {stages}",
        ),
        Row(
            "query",
            "first search in a fresh process (loads model + index)",
            _ms(run["first"]),
            note=f"opening the data directory took {_ms(run['open'])}",
        ),
    ]


def busy_section(ctx: Any) -> list[Any]:
    from common import Row, log, percentile, run_child

    source, _ = big_index(ctx)
    copy = ctx.scratch / "busy-data"
    log("copying the cached index for the search-while-indexing run")
    shutil.copytree(source, copy)
    folder = ctx.scratch / "busy-new-files"
    count = write_abstracts(folder, ctx.busy_files)
    queries = ctx.notes.get("queries") or make_queries(str(source / "catalog.sqlite3"), ctx.queries)
    log(f"searching every {BUSY_INTERVAL:.1f} s while indexing {count} new files into a copy of the index")
    run = run_child("latency.busy", str(copy), str(folder), queries).value
    shutil.rmtree(copy, ignore_errors=True)
    during = [s["seconds"] for s in run["samples"] if s["phase"] == "embedding"]
    every = [s["seconds"] for s in run["samples"]]
    p50, p95 = percentile(during, 0.5), percentile(during, 0.95)
    return [
        Row(
            "busy",
            f"search p50 while embedding+writing ({len(during)} searches)",
            _ms(p50),
            note=f"idle p50 {_ms(percentile(run['idle'], 0.5))}, p95 {_ms(percentile(run['idle'], 0.95))} (same process, before)",
        ),
        Row(
            "busy",
            "search p95 while embedding+writing",
            _ms(p95),
            "≤ 300 ms",
            p95 <= 0.300,
            note=f"max {_ms(max(during) if during else float('nan'))}; over the whole run incl. reading: "
            f"p95 {_ms(percentile(every, 0.95))} ({len(every)} searches); indexer meanwhile: "
            f"{run['passages']:,} passages ({count} SciFact abstracts as files) into the "
            f"{ctx.passages // 1000}k index in {run['index_seconds']:.0f} s = "
            f"{run['passages'] / run['index_seconds']:.1f} passages/s",
        ),
    ]


def disk_section(ctx: Any) -> list[Any]:
    from common import Row, disk_usage
    from pipelines import run_pipeline

    rows = []
    ours = run_pipeline(ctx, "ours")
    theirs = run_pipeline(ctx, "chroma-default")
    data = Path(ours["data_dir"])
    per = ours["disk"] / ours["passages"]
    rows.append(
        Row(
            "disk",
            f"ours: bytes/passage, {ctx.corpus.name} ({ours['passages']:,} passages)",
            f"{per / 1024:.1f} KB",
            "≤ 6 KB",
            per <= 6 * 1024,
            note=f"catalog {disk_usage(data) - disk_usage(data / 'chroma'):,} B + chroma/ {disk_usage(data / 'chroma'):,} B",
        )
    )
    per_a = theirs["disk"] / theirs["passages"]
    rows.append(
        Row(
            "disk",
            f"(a) Chroma with documents: bytes/passage, {ctx.corpus.name}",
            f"{per_a / 1024:.1f} KB",
            note=f"{theirs['disk']:,} B; ours is {per / per_a:.0%} of it",
        )
    )
    if "st-torch" in ctx.pipelines:
        other = ctx.pipelines["st-torch"]
        rows.append(
            Row(
                "disk",
                f"(b) Chroma with documents: bytes/passage, {ctx.corpus.name}",
                f"{other['disk'] / other['passages'] / 1024:.1f} KB",
                note=f"{other['disk']:,} B",
            )
        )
    big, meta = big_index(ctx)
    total = disk_usage(big)
    passages = meta["replicate"]["passages"]
    rows.append(
        Row(
            "disk",
            f"ours: bytes/passage, {passages:,}-passage index",
            f"{total / passages / 1024:.1f} KB",
            "≤ 6 KB",
            total / passages <= 6 * 1024,
            note=f"catalog.sqlite3 {disk_usage(big) - disk_usage(big / 'chroma'):,} B + chroma/ {disk_usage(big / 'chroma'):,} B",
        )
    )
    text_bytes = _text_bytes(big / "catalog.sqlite3")
    rows[-1].note += f"; passage text itself {text_bytes / passages:,.0f} B/passage"
    return rows


def _text_bytes(catalog: Path) -> int:
    import sqlite3

    db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    value = db.execute("SELECT SUM(LENGTH(CAST(text AS BLOB))) FROM passages").fetchone()[0] or 0
    db.close()
    return int(value)


def _with_reader(peak: int, tree: int) -> str:
    from common import mib

    return f"; {mib(tree)} with the file-reading child process at its peak" if tree > peak * 1.02 else ""


def memory_section(ctx: Any) -> list[Any]:
    from common import SHARED, Row, mib

    _, meta = big_index(ctx)
    index = meta["index"]
    run = query_run(ctx)
    base = Path(meta["base"])
    name = "the whole shared corpus" if base == SHARED / "corpus" else base.name
    rows = [
        Row(
            "memory",
            f"peak RSS indexing {name} ({index['files']} files, {index['passages']:,} passages)",
            mib(index["peak_rss"]),
            note=f"{index['seconds']:.0f} s, {index['passages'] / index['seconds']:.1f} passages/s; measured "
            f"when the cached index was built ({meta['built']})"
            + _with_reader(index["peak_rss"], index.get("peak_tree_rss", 0)),
        ),
        Row(
            "memory",
            f"RSS at rest, {run['passages']:,} passages (open, after {len(run['latencies'])} searches)",
            mib(run["rss_at_rest"]),
            note=f"peak {mib(run['peak_rss'])}",
        ),
    ]
    first = ctx.notes.get("first_memory")
    if first:
        rows.append(
            Row(
                "memory",
                f"peak RSS indexing {ctx.first.parent.name}/{ctx.first.name} "
                f"({first['files']} files, {first['passages']:,} passages; this run)",
                mib(first["peak_rss"]),
                note=_with_reader(first["peak_rss"], first["peak_tree_rss"]).lstrip("; "),
            )
        )
    from pipelines import default_model_file

    default = "ours-int8" if default_model_file() == "model.int8.onnx" else "ours"
    if default in ctx.pipelines:
        pipeline = ctx.pipelines[default]
        rows.append(
            Row(
                "memory",
                f"peak RSS indexing {ctx.corpus.name} (default model; this run)",
                mib(pipeline["peak_rss"]),
                note=_with_reader(pipeline["peak_rss"], pipeline.get("peak_tree_rss", 0)).lstrip("; "),
            )
        )
    return rows
