"""Files like this one over the 100,000-passage index (bigindex.py): p50/p95 for indexed files."""

from __future__ import annotations

import random
import time
from typing import Any

from bigindex import big_index

WARMUP = 5


def sample_files(catalog_path: str, count: int, seed: int = 11) -> list[str]:
    """Indexed files with text, drawn at random (copies and originals alike)."""
    import sqlite3

    with sqlite3.connect(catalog_path) as db:
        paths = [
            row[0]
            for row in db.execute(
                "SELECT path FROM files WHERE status = 'indexed' AND passages > 0 ORDER BY path"
            )
        ]
    return random.Random(seed).sample(paths, min(count, len(paths)))


def similar_latency(data_dir: str, paths: list[str]) -> dict[str, Any]:
    """Child task: Similar.similar per file (its vectors by id + one batched kNN + grouping)."""
    from desktop_search.core.filters import Filters
    from desktop_search.core.similar import NEIGHBOURS
    from desktop_search.services import Services

    services = Services.open(data_dir)
    similar = services.similar()
    for path in paths[:WARMUP]:
        similar.similar(path)
    latencies, sources, found = [], [], 0
    stages: dict[str, list[float]] = {"vectors": [], "knn": [], "results": []}
    for path in paths:
        started = time.perf_counter()
        hits = similar.similar(path, 10)
        latencies.append(time.perf_counter() - started)
        found += bool(hits)
    try:  # where the time goes (the class's parts, so skipped, not fatal, if they change)
        assert similar.vector_store is not None
        for path in paths:
            started = time.perf_counter()
            source = similar.source(path)
            stages["vectors"].append(time.perf_counter() - started)
            sources.append(len(source.vectors))
            started = time.perf_counter()
            results = similar.vector_store.query_many(source.vectors, NEIGHBOURS)
            stages["knn"].append(time.perf_counter() - started)
            started = time.perf_counter()
            scores, matched = similar.scores(results, source.key)
            similar.results(source, scores, matched, Filters(), 10)
            stages["results"].append(time.perf_counter() - started)
    except Exception as error:
        stages = {"error": [], "reason": [str(error)]}  # type: ignore[dict-item]
    result = {
        "latencies": latencies,
        "stages": stages,
        "with_hits": found,
        "source_passages": sources,
        "passages": services.store.catalog.passage_count(),
    }
    services.close()
    return result


def section(ctx: Any) -> list[Any]:
    from common import Row, log, percentile, run_child
    from latency import _ms, stage_times

    data_dir, _ = big_index(ctx)
    paths = sample_files(str(data_dir / "catalog.sqlite3"), ctx.queries)
    log(f"timing files like each of {len(paths)} indexed files over the cached index")
    run = run_child("similar_files.similar_latency", str(data_dir), paths).value
    latencies = run["latencies"]
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    size = f"{run['passages']:,} passages"
    stages = stage_times(run)
    if "error" not in run["stages"]:
        counts = run["source_passages"]
        stages += f"; passages compared per file: median {percentile(counts, 0.5)}, max {max(counts)}"
    return [
        Row("similar", f"files like this one p50 ({size}, {len(latencies)} indexed files)", _ms(p50)),
        Row(
            "similar",
            f"files like this one p95 ({size})",
            _ms(p95),
            "≤ 100 ms",
            p95 <= 0.100,
            note=f"max {_ms(max(latencies))}; {run['with_hits']}/{len(latencies)} with hits; alone: {stages}",
        ),
    ]
