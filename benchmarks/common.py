"""What every benchmark section shares: paths, the machine, child processes with their memory,
sizes on disk, percentiles, and the rows of the one table bench.py prints.

Every measured pipeline runs in a child process of its own (`worker.py TASK`), so that one
pipeline's thread pools, imports and memory never colour another's numbers, the data directory's
lock is released when it ends, and the kernel reports its peak RSS (wait4).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import desktop_search  # noqa: F401  (sets ORT_DISABLE_TELEMETRY before onnxruntime is imported)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("DESKTOP_SEARCH_SHARED", ROOT.parent / "shared")).resolve()
CORPUS = SHARED / "corpus"
RUST_BOOK = CORPUS / "text" / "rust-book"
PDF_GOOD = CORPUS / "pdf" / "good"
# Built once (the 100k-passage index, ...) and reused by later runs; `bench.py --fresh` rebuilds.
CACHE = Path(os.environ.get("DESKTOP_SEARCH_BENCH_CACHE", Path.home() / ".cache" / "desktop-search-bench"))

SAMPLE_EVERY = 0.1  # seconds between two looks at a child's memory

# Children never reach the network: telemetry off, Hugging Face offline.
CHILD_ENV = {
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "true",
    "PYTHONUNBUFFERED": "1",
}


def log(message: str) -> None:
    """Progress goes to stderr; the table alone goes to stdout."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# the machine


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "?"


def machine() -> str:
    import chromadb
    import onnxruntime

    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 2**20:.0f} GiB RAM"
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu_model()}, {platform.machine()}){memory}; "
        f"Python {platform.python_version()}, onnxruntime {onnxruntime.__version__}, "
        f"chromadb {chromadb.__version__}; load average at start {load_average()}"
    )


# child processes


@dataclass
class ChildResult:
    value: Any  # what the task returned (JSON)
    seconds: float  # wall time of the whole child, start-up included
    peak_rss: int  # bytes: the kernel's ru_maxrss of the child (its largest reaped descendant if bigger)
    cpu_seconds: float  # user + system, the child's and its reaped descendants'
    peak_tree_rss: int = 0  # bytes: the most the child and all its descendants held at once (sampled)


def _descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as stream:
                    stack.extend(int(child) for child in stream.read().split())
        except OSError:
            continue
    return found


def _rss_of(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as stream:
            for line in stream:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_child(task: str, *args: Any, timeout: float = 3600, env: dict[str, str] | None = None) -> ChildResult:
    """Run worker.py TASK with JSON arguments in a fresh interpreter; its peak RSS from wait4, and
    the peak RSS of its whole process tree (the indexer reads files in a child of its own) sampled
    every SAMPLE_EVERY seconds."""
    with tempfile.TemporaryDirectory(prefix="bench-result-") as scratch:
        out = Path(scratch) / "result.json"
        command = [sys.executable, str(HERE / "worker.py"), task, str(out), json.dumps(list(args))]
        started = time.perf_counter()
        # The child's stdout goes to our stderr: stdout carries the table alone.
        process = subprocess.Popen(
            command, env={**os.environ, **CHILD_ENV, **(env or {})}, cwd=ROOT, stdout=sys.stderr.fileno()
        )
        deadline = started + timeout
        tree_peak = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                raise RuntimeError(f"{task} took longer than {timeout:.0f} s")
            tree_peak = max(tree_peak, sum(_rss_of(p) for p in _descendants(process.pid)))
            time.sleep(SAMPLE_EVERY)
        process.returncode = os.waitstatus_to_exitcode(status)  # already reaped
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            raise RuntimeError(f"{task} failed (exit {process.returncode})")
        value = json.loads(out.read_text())
    return ChildResult(value, seconds, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime, tree_peak)


# measuring


def disk_usage(path: Path) -> int:
    """Bytes allocated on disk under path (what `du` counts), files only once."""
    total, seen = 0, set()
    for directory, _, files in os.walk(path):
        for name in files:
            try:
                stat = os.lstat(os.path.join(directory, name))
            except OSError:
                continue
            if (stat.st_dev, stat.st_ino) in seen:
                continue
            seen.add((stat.st_dev, stat.st_ino))
            total += stat.st_blocks * 512
    return total


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 200 values is the 190th smallest)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-share * len(ordered) // 1))))
    return ordered[rank - 1]


def rss_now() -> int:
    """Resident set size of this process now, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def peak_rss_self() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


# the table


@dataclass
class Row:
    section: str
    what: str
    value: str
    target: str = ""
    met: bool | None = None  # None: no target
    note: str = ""

    def verdict(self) -> str:
        return "" if self.met is None else ("yes" if self.met else "**no**")


def table(rows: list[Row]) -> str:
    lines = [
        "| section | what | measured | target | met | notes |",
        "|---|---|---:|---|---|---|",
    ]
    for row in rows:
        cells = [row.section, row.what, row.value, row.target, row.verdict(), row.note]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)
