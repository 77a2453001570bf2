"""The vector store on a Chroma server (`chroma run` on 127.0.0.1) against the embedded one
(PersistentClient), on this machine: precomputed vectors inserted per second, kNN search latency,
the whole indexing of a folder, and what a search costs while the server is down.

    PYTHONPATH=. python benchmarks/chroma_server.py [--vectors 10000] [--queries 200] [--folder F]

Prints a table; the load average is printed before and after (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np

import desktop_search  # noqa: F401  (first: ORT_DISABLE_TELEMETRY)
from desktop_search.core.chroma_server import ServerStore
from desktop_search.core.chroma_store import ChromaStore
from desktop_search.core.embedding import DIMENSIONS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("DESKTOP_SEARCH_CORPUS", ROOT.parent / "shared" / "corpus"))
FOLDER = CORPUS / "text" / "rust-book"
TEXT = "A passage of about the usual length, as the shared store keeps each vector's text. " * 6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    command = [str(chroma), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(folder)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=5)
            return server, url
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("chroma run did not answer")


def vectors(count: int, seed: int) -> np.ndarray:
    found = np.random.default_rng(seed).standard_normal((count, DIMENSIONS)).astype(np.float32)
    return found / np.linalg.norm(found, axis=1, keepdims=True)


def insert(store: Any, count: int) -> float:
    """Passages per second, in windows of 256 as the indexer writes them."""
    data = vectors(count, 1)
    meta = {
        "kind": "text",
        "folder": "/docs",
        "mtime": 0.0,
        "path": "/docs/a.md",
        "page": 0,
        "start": 0,
        "end": 9,
    }
    started = time.perf_counter()
    for start in range(0, count, 256):
        ids = [f"k{i // 8}:{i % 8}" for i in range(start, min(start + 256, count))]
        documents = [TEXT] * len(ids) if store.shared else None
        store.upsert(ids, data[start : start + len(ids)], [meta] * len(ids), documents)
    return count / (time.perf_counter() - started)


def latency(store: Any, queries: int, limit: int = 150) -> tuple[float, float]:
    """p50 and p95 of one kNN query, in ms."""
    seconds = []
    for vector in vectors(queries, 2):
        started = time.perf_counter()
        store.query(vector, limit)
        seconds.append(time.perf_counter() - started)
    p50, p95 = np.percentile(seconds, [50, 95]) * 1000
    return float(p50), float(p95)


def index_folder(folder: Path, data: Path, url: str | None) -> tuple[float, int]:
    """(seconds, passages) of `desktop-search index folder`, as a user runs it."""
    command = [str(Path(sys.executable).with_name("desktop-search")), "--data-dir", str(data)]
    command += ["--chroma-url", url] if url else []
    started = time.perf_counter()
    subprocess.run([*command, "index", str(folder)], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    status = subprocess.run([*command, "status", "--json"], check=True, capture_output=True, text=True)
    import json

    return seconds, int(json.loads(status.stdout)["totals"]["passages"])


class Rows:
    """The table, each row printed as soon as it is measured."""

    def __init__(self) -> None:
        print(f"{'':<52}  {'local':>10}  {'server':>10}", flush=True)

    def append(self, row: tuple[str, str, str]) -> None:
        print(f"{row[0]:<52}  {row[1]:>10}  {row[2]:>10}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--folder", type=Path, default=FOLDER)
    parser.add_argument("--no-index", action="store_true", help="skip the whole-folder indexing runs")
    args = parser.parse_args()
    print("load average before:", Path("/proc/loadavg").read_text().strip())
    rows = Rows()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        server, url = start_server(work / "server")
        try:
            local = ChromaStore(work / "local")
            remote = ServerStore(url, "bench")
            rate_local, rate_remote = insert(local, args.vectors), insert(remote, args.vectors)
            rows.append(
                (
                    f"insert {args.vectors:,} precomputed vectors (passages/s)",
                    f"{rate_local:,.0f}",
                    f"{rate_remote:,.0f}",
                )
            )
            (l50, l95), (r50, r95) = latency(local, args.queries), latency(remote, args.queries)
            rows.append((f"kNN query at {args.vectors:,}, 150 hits: p50 ms", f"{l50:.1f}", f"{r50:.1f}"))
            rows.append(("  p95 ms", f"{l95:.1f}", f"{r95:.1f}"))
            local.close()
            remote.close()
            if not args.no_index:
                seconds_local, passages = index_folder(args.folder, work / "desktop-local", None)
                seconds_remote, _ = index_folder(args.folder, work / "desktop-remote", url)
                rows.append(
                    (
                        f"index {args.folder.name} ({passages:,} passages), s",
                        f"{seconds_local:.1f}",
                        f"{seconds_remote:.1f}",
                    )
                )
        finally:
            server.terminate()
            server.wait(30)
        dead = free_port()
        started = time.perf_counter()
        gone = ServerStore(f"http://127.0.0.1:{dead}", "bench")
        opened = (time.perf_counter() - started) * 1000
        d50, d95 = latency(gone, args.queries)
        rows.append(("server down: opening the store, ms", "", f"{opened:.1f}"))
        rows.append(("server down: a query's vector part, p50/p95 ms", "", f"{d50:.2f}/{d95:.2f}"))
    print("load average after:", Path("/proc/loadavg").read_text().strip())


if __name__ == "__main__":
    main()
