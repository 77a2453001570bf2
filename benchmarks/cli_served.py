"""`desktop-search search` as a launcher or a script runs it: a new process per query, timed from
launch to exit, answered by a running `desktop-search serve` vs searched in-process (imports,
model load, Chroma open each time). The index: 26 Rust book chapters, as in the issue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import desktop_search  # noqa: F401  (first: ORT_DISABLE_TELEMETRY)

FILES = 26
QUERIES = 30
IN_PROCESS_RUNS = 10  # each pays seconds of start-up
TARGET_MS = 100.0


def _timed(command: list[str]) -> float:
    from common import CHILD_ENV

    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, env={**os.environ, **CHILD_ENV})
    took = time.perf_counter() - started
    if result.returncode != 0 or not result.stdout:
        raise RuntimeError(f"{command} exited {result.returncode}: {result.stderr.decode()[-500:]}")
    return took * 1000


def _answering(data: Path, queries: list[str]) -> list[float]:
    """Milliseconds the running instance takes to answer each query (no process start-up)."""
    from desktop_search.core.query_server import Channel, socket_path

    channel = Channel.connect(socket_path(data))
    assert channel is not None
    times = []
    with channel:
        for query in queries:
            started = time.perf_counter()
            channel.ask({"command": "search", "query": query})
            times.append((time.perf_counter() - started) * 1000)
    return times


def _queries(files: list[Path]) -> list[str]:
    """Each chapter's title, as a person would type it."""
    titles = []
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        titles.append(next((line.lstrip("# ") for line in lines if line.startswith("#")), path.stem))
    return (titles * (QUERIES // max(1, len(titles)) + 1))[:QUERIES]


def section(ctx: Any) -> list[Any]:
    from common import RUST_BOOK, Row, load_average, log, percentile

    files = sorted(RUST_BOOK.glob("ch*.md"))[:FILES]
    lib, data = ctx.scratch / "cli-lib", ctx.scratch / "cli-data"
    lib.mkdir(parents=True, exist_ok=True)
    for path in files:
        (lib / path.name).write_bytes(path.read_bytes())
    cli = [str(Path(sys.executable).with_name("desktop-search")), "--data-dir", str(data)]
    log(f"indexing {len(files)} Rust book chapters for the CLI section")
    subprocess.run([*cli, "index", str(lib)], check=True, capture_output=True)
    queries = _queries(files)

    floor = sorted(_timed([sys.executable, "-c", "print(1)"]) for _ in range(10))
    log(f"`desktop-search search` in-process, {IN_PROCESS_RUNS} runs")
    local = [_timed([*cli, "search", query, "--local"]) for query in queries[:IN_PROCESS_RUNS]]
    server = subprocess.Popen([*cli, "serve", "--no-watch"], stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    if not server.stderr.readline().startswith("answering searches on"):
        server.kill()
        raise RuntimeError(f"serve did not start: {server.stderr.read()[-500:]}")
    try:
        log(
            f"`desktop-search search` answered by `desktop-search serve`, {len(queries)} runs (text, then --json)"
        )
        load = load_average()
        served = [_timed([*cli, "search", query]) for query in queries]
        served_json = [_timed([*cli, "search", query, "--json", "--passages", "3"]) for query in queries]
        answering = _answering(data, queries)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)

    def spread(values: list[float]) -> str:
        return f"p50 {percentile(values, 0.5):.0f} / p95 {percentile(values, 0.95):.0f} ms"

    p95 = percentile(served, 0.95)
    speedup = percentile(local, 0.5) / percentile(served, 0.5)
    return [
        Row(
            "cli",
            f"`desktop-search search` answered by a running `serve` ({len(files)} files, {len(queries)} queries)",
            spread(served),
            target=f"≤ {TARGET_MS:.0f} ms",
            met=p95 <= TARGET_MS,
            note=f"launch to exit; --json --passages 3: {spread(served_json)}; of which the instance's "
            f"answer (one request on an open channel) {spread(answering)}; {speedup:.0f}× the in-process "
            f"p50; load average then {load}",
        ),
        Row(
            "cli",
            "`desktop-search search --local` (in-process: imports, model, Chroma each time)",
            spread(local),
            note=f"{len(local)} runs",
        ),
        Row(
            "cli",
            "the floor: `python -c 'print(1)'` launch to exit",
            f"p50 {percentile(floor, 0.5):.0f} ms",
            note="the interpreter alone, 10 runs",
        ),
    ]
