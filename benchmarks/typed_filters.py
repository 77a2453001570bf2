"""What typed filters (`in:`, `name:`, `type:`, `modified:`) cost a search: the same queries bare
and with each filter, on a data directory given as the argument (e.g. a copy of the 100k-passage
index bench.py builds). Prints p50/p95 per variant and the files found on average.

    python benchmarks/typed_filters.py DATA_DIR [QUERIES]
"""

from __future__ import annotations

import statistics
import sys
import time

from common import RUST_BOOK

import desktop_search  # noqa: F401  (ONNX Runtime's environment first)
from desktop_search.services import Services
from desktop_search.settings import Settings

VARIANTS = ("", " in:rust-book", " name:ch1", " type:pdf", " modified:lastyear", " after:2020-01-01 in:text")
WARMUP = 5


def headings(count: int) -> list[str]:
    """Each Rust book chapter's title: short topical queries."""
    titles = []
    for chapter in sorted(RUST_BOOK.glob("ch*.md")):
        for line in chapter.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                titles.append(line.lstrip("# ").strip())
                break
    return titles[:count]


def main() -> None:
    services = Services.open(Settings.resolve(data_dir=sys.argv[1]))
    searcher = services.searcher()
    queries = headings(int(sys.argv[2]) if len(sys.argv) > 2 else 40)
    for query in queries[:WARMUP]:
        searcher.search(query)
    print(f"{len(queries)} queries, hybrid, limit 10")
    for variant in VARIANTS:
        latencies, found = [], []
        for query in queries:
            started = time.perf_counter()
            hits = searcher.search(query + variant)
            latencies.append((time.perf_counter() - started) * 1000)
            found.append(len(hits))
        cuts = statistics.quantiles(latencies, n=20)
        print(
            f"{variant or '(none)':<28} p50 {statistics.median(latencies):5.0f} ms  p95 {cuts[18]:5.0f} ms"
            f"  files {statistics.mean(found):4.1f}"
        )
    services.close()


if __name__ == "__main__":
    main()
