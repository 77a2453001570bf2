"""What a query of filters alone (`modified:lastyear`, `type:pdf`) costs: the files it lists, on a
data directory given as the argument (e.g. a copy of the 100k-passage index bench.py builds).
Prints p50/p95 per query and sort, at the window's limit (50).

    python benchmarks/listing.py DATA_DIR [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import time

import desktop_search  # noqa: F401  (ONNX Runtime's environment first)
from desktop_search.services import Services
from desktop_search.settings import Settings

QUERIES = ("modified:lastyear", "type:pdf", "in:rust-book", "name:ch1", "type:pdf -rust", "modified:2008")
LIMIT = 50


def main() -> None:
    services = Services.open(Settings.resolve(data_dir=sys.argv[1]))
    searcher = services.searcher()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    print(f"{runs} runs each, limit {LIMIT}")
    for query in QUERIES:
        for sort in ("date", "name"):
            searcher.search(query, LIMIT, sort=sort)  # warm the page cache
            latencies, found = [], 0
            for _ in range(runs):
                started = time.perf_counter()
                found = len(searcher.search(query, LIMIT, sort=sort))
                latencies.append((time.perf_counter() - started) * 1000)
            cuts = statistics.quantiles(latencies, n=20)
            print(
                f"{query:<20} {sort:<5} p50 {statistics.median(latencies):5.1f} ms"
                f"  p95 {cuts[18]:5.1f} ms  files {found}"
            )
    services.close()


if __name__ == "__main__":
    main()
