"""What the second ranking stage costs where it shows: full searches over the cached 100k-passage
index (make bench builds it), with and without the second stage, taking turns query by query so a
noisy machine slows both alike. Prints p50/p95 of each and the ratio.

    python benchmarks/second_stage.py [DATA_DIR] [QUERIES]
"""

from __future__ import annotations

import statistics
import sys
import time

from common import CACHE
from queries import make_queries

import desktop_search  # noqa: F401  (telemetry off before onnxruntime loads)
from desktop_search.core.rescoring import Blend
from desktop_search.services import Services


def main() -> None:
    data_dir = sys.argv[1] if len(sys.argv) > 1 else str(CACHE / "index-100k" / "data")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    queries = make_queries(f"{data_dir}/catalog.sqlite3", count)
    services = Services.open(data_dir)
    searcher = services.searcher()
    for query in queries[:10]:  # warm both paths
        searcher.search(query)
    timings: dict[str, list[float]] = {"first stage only": [], "with the second stage": []}
    for query in queries:
        for name, blend in (("first stage only", None), ("with the second stage", Blend())):
            searcher.blend = blend
            started = time.perf_counter()
            searcher.search(query, limit=10)
            timings[name].append(time.perf_counter() - started)
    print(f"{services.store.catalog.passage_count():,} passages, {len(queries)} queries each")
    for name, values in timings.items():
        values.sort()
        p50, p95 = statistics.median(values), values[int(0.95 * (len(values) - 1))]
        print(f"{name:24s} p50 {p50 * 1000:5.1f} ms  p95 {p95 * 1000:5.1f} ms")
    services.close()


if __name__ == "__main__":
    main()
