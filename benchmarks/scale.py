"""Scale check: index a tree of many small files, watch memory, time the rescan of the unchanged tree.

The files are copies of the shared corpus' text files (tldr pages, the Rust book, Debian docs), so
most passages repeat and reuse stored vectors: the run measures scanning, reading, the keyword
index and the vector store at scale rather than the model. Usage: scale.py [--files 100000]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from pathlib import Path

import desktop_search  # noqa: F401  (telemetry off before onnxruntime loads)
from desktop_search.core.indexer import Progress, Summary
from desktop_search.services import Services

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "text"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakMemory(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.2)


def build_tree(root: Path, count: int) -> None:
    sources = sorted(
        p for p in CORPUS.rglob("*") if p.suffix in (".md", ".txt") and p.stat().st_size < 200_000
    )
    for i in range(count):
        folder = root / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        source = sources[i % len(sources)]
        shutil.copyfile(source, folder / f"{i:06d}-{source.name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--keep", help="reuse/keep the tree and index in this folder")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="ds-scale-"))
    tree = work / "tree"
    if not tree.exists():
        started = time.monotonic()
        build_tree(tree, args.files)
        print(f"built {args.files} files in {time.monotonic() - started:.0f} s")
    services = Services.open(str(work / "data"))
    memory = PeakMemory()
    memory.start()
    samples = []
    started = time.monotonic()
    summary = None
    for event in services.indexer().run([str(tree)]):
        if isinstance(event, Progress) and event.done and event.done % 10_000 == 0:
            samples.append((event.phase, event.done, round(rss_mb())))
        if isinstance(event, Summary):
            summary = event
    assert summary is not None
    print(
        f"indexed {summary.indexed} files, {summary.passages} passages ({summary.embedded} embedded, "
        f"{summary.reused} reused) in {time.monotonic() - started:.0f} s; keyword-searchable after "
        f"{summary.keyword_seconds:.0f} s; peak RSS {memory.peak:.0f} MB"
    )
    print("RSS by progress (phase, done, MB):", samples)
    started = time.monotonic()
    rescan = list(services.indexer().run())[-1]
    seconds = time.monotonic() - started
    print(
        f"rescan of the unchanged tree: {rescan.unchanged} files in {seconds:.1f} s "
        f"= {rescan.unchanged / seconds:.0f} files/s; peak RSS {memory.peak:.0f} MB"
    )
    searcher = services.searcher()
    timings = []
    for query in ("how to list files in a directory", "ownership and borrowing", "copyright license GPL"):
        t = time.monotonic()
        searcher.search(query, 10)
        timings.append((time.monotonic() - t) * 1000)
    print(
        f"search over {services.store.catalog.passage_count()} passages: "
        + ", ".join(f"{t:.0f} ms" for t in timings)
    )
    memory.running = False
    services.close()
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
