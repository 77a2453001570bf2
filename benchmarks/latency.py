"""Search latency over the 100,000-passage index (bigindex.py): idle, and while the indexer
writes into it from another thread of the same process.
"""

from __future__ import annotations

import shutil
import threading
import time
from typing import Any

from bigindex import big_index
from queries import make_queries, write_abstracts

WARMUP = 5
BUSY_INTERVAL = 0.1  # seconds between two searches while indexing (someone typing)


# child tasks


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
            searcher.first.keyword(parsed.fts_match(), Filters(), 100)
            stages["bm25"].append(time.perf_counter() - started)
            if parsed.fts_whole():  # the whole query as a phrase, a second FTS5 query in hybrid mode
                started = time.perf_counter()
                searcher.first.keyword(parsed.fts_whole(), Filters(), 100)
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


def stage_times(run: dict[str, Any]) -> str:
    """Each stage's p50 / p95 in a child's run, or why they were not timed."""
    from common import percentile

    if "error" in run["stages"]:
        return f"stage timing skipped ({run['stages']['reason'][0]})"
    return ", ".join(
        f"{name} p50 {_ms(percentile(values, 0.5))} / p95 {_ms(percentile(values, 0.95))}"
        for name, values in run["stages"].items()
    )


def query_section(ctx: Any) -> list[Any]:
    from common import Row, percentile

    run = query_run(ctx)
    latencies = run["latencies"]
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    size = f"{run['passages']:,} passages"
    stages = stage_times(run)
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
