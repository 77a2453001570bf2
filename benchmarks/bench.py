"""Speed benchmarks of Desktop Search: prints ONE Markdown table, every number next to its target.

    .venv/bin/python benchmarks/bench.py                  # everything (`make bench`)
    .venv/bin/python benchmarks/bench.py --only query,busy
    .venv/bin/python benchmarks/bench.py --list

Sections (each runnable alone; they share what they build within one run):
  index   indexing throughput end to end: ours (fp32, int8) vs (a) Chroma's default ONNX embedding
          function + collection.add(documents) and (b) sentence-transformers/torch + Chroma
  budget  raw ONNX Runtime throughput on pre-tokenised sorted batches (batch size x threads),
          and how close the full pipeline comes to it
  query   p50/p95 of a full search over 100,000 indexed passages
  busy    p50/p95 of searches while the indexer writes (another thread, same process)
  similar p50/p95 of "files like this one" for indexed files over the same 100,000 passages
  disk    bytes on disk per passage: ours vs (a)
  first   seconds to keyword-searchable and to fully embedded for pdf/good
  start   cold start: CLI launch to first results; GUI launch to a window that takes typing
  cli     `desktop-search search` launch to exit: answered by a running `serve` vs in-process
  memory  peak RSS while indexing the whole shared corpus, and at rest with 100k passages

The 100k-passage index (the whole shared corpus indexed once by the real indexer, then its
catalog rows and stored vectors copied under new files until there are 100,000 passages) is
cached in ~/.cache/desktop-search-bench (DESKTOP_SEARCH_BENCH_CACHE) and reused while the code
that defines its format is unchanged; --fresh rebuilds it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import common
from common import Row, log

import desktop_search  # noqa: F401  (first: sets ORT_DISABLE_TELEMETRY before onnxruntime loads)

SECTIONS = ("index", "budget", "query", "busy", "similar", "disk", "first", "start", "memory", "cli")


@dataclass
class Context:
    """What sections share within one run; every heavy thing is built at most once."""

    corpus: Path
    scratch: Path
    repeat: int = 2
    fresh: bool = False
    passages: int = 100_000
    queries: int = 200
    base: Path = common.CORPUS
    first: Path = common.PDF_GOOD
    busy_files: int = 800
    pipelines: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)


SECTION_FUNCTIONS = {
    "index": "pipelines.section",
    "budget": "budget.section",
    "query": "latency.query_section",
    "busy": "latency.busy_section",
    "similar": "similar_files.section",
    "disk": "footprint.disk_section",
    "first": "startup.first_section",
    "start": "startup.start_section",
    "memory": "footprint.memory_section",
    "cli": "cli_served.section",
}


def section_function(name: str):  # type: ignore[no-untyped-def]
    import importlib

    module, function = SECTION_FUNCTIONS[name].split(".")
    return getattr(importlib.import_module(module), function)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", help=f"comma-separated sections ({', '.join(SECTIONS)})")
    parser.add_argument("--list", action="store_true", help="list the sections and exit")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=common.RUST_BOOK,
        help="folder for the throughput comparison (default: text/rust-book)",
    )
    parser.add_argument(
        "--base",
        type=Path,
        default=common.CORPUS,
        help="folder indexed for real as the base of the 100k index (default: the whole shared corpus)",
    )
    parser.add_argument(
        "--first-corpus",
        type=Path,
        default=common.PDF_GOOD,
        help="folder for time to first searchable (default: pdf/good)",
    )
    parser.add_argument(
        "--busy-files",
        type=int,
        default=800,
        help="new files (SciFact abstracts) indexed while searching (default 800)",
    )
    parser.add_argument("--passages", type=int, default=100_000, help="size of the query-latency index")
    parser.add_argument("--queries", type=int, default=200, help="timed queries per latency measurement")
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="rounds of the indexing pipelines, interleaved; each one's best counts (default 2)",
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached 100k index")
    parser.add_argument("--keep", action="store_true", help="keep the scratch data directories")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(SECTIONS))
        return 0
    chosen = SECTIONS if not args.only else tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")

    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="desktop-search-bench-"))
    ctx = Context(
        corpus=args.corpus.resolve(),
        scratch=scratch,
        repeat=max(1, args.repeat),
        fresh=args.fresh,
        passages=args.passages,
        queries=args.queries,
        base=args.base.resolve(),
        first=args.first_corpus.resolve(),
        busy_files=args.busy_files,
    )
    header = common.machine()
    log(header)
    rows: list[Row] = []
    loads: list[str] = []
    try:
        for name in chosen:
            log(f"section {name}")
            section_started = time.perf_counter()
            load_before = common.load_average().split()[0]
            try:
                rows.extend(section_function(name)(ctx))
            except Exception as error:  # one broken section must not hide the others' numbers
                log(f"section {name} failed: {type(error).__name__}: {error}")
                rows.append(Row(name, "section failed", "—", note=f"{type(error).__name__}: {error}"))
            took = time.perf_counter() - section_started
            loads.append(
                f"{name} {took / 60:.1f} min (1-min load {load_before} → {common.load_average().split()[0]})"
            )
            log(f"section {name} took {took:.0f} s")
    finally:
        if args.keep:
            log(f"scratch data directories kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    total = time.perf_counter() - started
    print(f"# Desktop Search benchmarks\n\nMachine: {header}\n")
    print(common.table(rows))
    print(
        f"\nSections: {', '.join(chosen)}; took {total / 60:.1f} min; "
        f"load average at end {common.load_average()}."
    )
    print(
        f"- Per section, time and the machine's load average at its start and end (2 CPUs: a load above "
        f"~1 means other processes took CPU from the benchmark): {'; '.join(loads)}."
    )
    for note in ctx.notes.get("footnotes", []):
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
