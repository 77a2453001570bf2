"""One big file: Octave's manual (1,158 pages, from Debian's octave-doc, fetched here at bench time).

Indexes it as the command line does (reading, then embedding), with peak memory of this process
and of the reading child, then drives the window's indexing thread (IndexWorker) on a fresh index
to time Pause (until the run stands still) and Stop (until the run has ended) while the child
reads the PDF and while its passages are embedded. Usage: big_pdf.py [--resume]
(--resume: after the stop while embedding, run again and count what was embedded anew).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import desktop_search  # noqa: F401  (telemetry off before onnxruntime loads)
from desktop_search.core.indexer import Progress, Summary
from desktop_search.services import Services

CACHE = Path.home() / ".cache" / "desktop-search-bench" / "octave-doc"
MANUAL = "usr/share/doc/octave/octave.pdf"


def fetch_manual() -> Path | None:
    """octave.pdf from Debian's octave-doc package, downloaded once into the cache."""
    manual = CACHE / MANUAL
    if manual.exists():
        return manual
    if not (shutil.which("apt-get") and shutil.which("dpkg-deb")):
        print("skipped: needs apt-get and dpkg-deb to fetch octave-doc (a Debian or Ubuntu system)")
        return None
    CACHE.mkdir(parents=True, exist_ok=True)
    got = subprocess.run(["apt-get", "download", "octave-doc"], cwd=CACHE, capture_output=True, text=True)
    packages = sorted(CACHE.glob("octave-doc_*.deb"))
    if got.returncode != 0 or not packages:
        print(f"skipped: apt-get download octave-doc failed: {got.stderr.strip()[-300:]}")
        return None
    subprocess.run(["dpkg-deb", "-x", str(packages[-1]), str(CACHE)], check=True)
    return manual


def vm_kb(pid: int | str, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class ChildPeak(threading.Thread):
    """The reading child's peak resident memory (VmHWM), read while it lives."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            for child in multiprocessing.active_children():
                if child.name == "desktop-search-reader" and child.pid:
                    self.peak_kb = max(self.peak_kb, vm_kb(child.pid, "VmHWM"))
            time.sleep(0.1)


def index_as_the_cli(manual: Path, data: Path) -> None:
    services = Services.open(data)
    peak = ChildPeak()
    peak.start()
    started = time.monotonic()
    read_at = embedded_at = 0.0
    summary: Summary | None = None
    for event in services.indexer().run([str(manual.parent)]):
        if isinstance(event, Progress) and event.phase == "embedding" and not read_at:
            read_at = time.monotonic()
        if isinstance(event, Summary):
            embedded_at, summary = time.monotonic(), event
    peak.running = False
    services.close()
    assert summary is not None and summary.indexed == 1, summary
    embedding = embedded_at - read_at
    print(f"pages:                  {pages_of(manual):,}")
    print(f"passages:               {summary.passages:,}")
    print(f"reading (keyword index): {read_at - started:.1f} s (child started, read, cut, saved)")
    print(f"embedding:              {embedding:.1f} s, {summary.embedded / embedding:.1f} passages/s")
    print(f"peak RSS, this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"peak RSS, reading child: {peak.peak_kb / 1024:.0f} MB")


def pages_of(manual: Path) -> int:
    import pymupdf

    with pymupdf.open(manual) as document:
        return int(document.page_count)


def control_the_worker(manual: Path, data: Path, resume: bool) -> None:
    from PySide6.QtCore import QCoreApplication, Qt

    from desktop_search.ui.workers.index_worker import IndexWorker

    app = QCoreApplication.instance() or QCoreApplication(sys.argv)  # noqa: F841 (signals need one)
    services = Services.open(data, isolated=True)  # as the window opens it
    worker = IndexWorker(services.library())
    direct = Qt.ConnectionType.DirectConnection  # timed on the worker's thread, as it emits
    latest: list[Progress] = []
    held, finished = threading.Event(), threading.Event()
    stamps: dict[str, float] = {}
    outcome: list[object] = []
    worker.progressed.connect(latest.append, direct)
    worker.held.connect(lambda _at: (stamps.__setitem__("held", time.monotonic()), held.set()), direct)
    worker.indexing_finished.connect(
        lambda summary: (
            stamps.__setitem__("finished", time.monotonic()),
            outcome.append(summary),
            finished.set(),
        ),
        direct,
    )

    def wait_for(condition: Callable[[Progress], bool]) -> Progress:
        while True:
            if latest and condition(latest[-1]):
                return latest[-1]
            time.sleep(0.02)

    def pause_and_stop(stage: str, condition: Callable[[Progress], bool]) -> None:
        at = wait_for(condition)
        held.clear()
        asked = time.monotonic()
        worker.pause()
        held.wait()
        paused_in = stamps["held"] - asked
        worker.resume()
        latest.clear()
        at = wait_for(condition)
        finished.clear()
        asked = time.monotonic()
        worker.cancel()
        finished.wait()
        where = (
            f"page {at.inside[1]:,} of {at.inside[2]:,}"
            if at.inside
            else f"passage {at.done:,} of {at.total:,}"
        )
        print(
            f"{stage:9s} Pause took {paused_in * 1000:.0f} ms, Stop {(stamps['finished'] - asked) * 1000:.0f} ms (at {where})"
        )

    try:
        worker.index([str(manual.parent)])
        pause_and_stop("reading:", lambda p: p.inside is not None and p.inside[1] > 100)
        latest.clear()
        worker.index()
        pause_and_stop("embedding:", lambda p: p.phase == "embedding" and p.done >= 480)
        kept = services.store.vector_store.count()
        print(f"kept after the stop while embedding: {kept:,} vectors")
        if resume:
            finished.clear()
            worker.index()
            finished.wait()
            summary = outcome[-1]
            assert isinstance(summary, Summary)
            print(f"next run: {summary.reused:,} passages reused, {summary.embedded:,} embedded")
    finally:
        worker.stop()
        services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resume", action="store_true")
    arguments = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  (each figure as it comes)
    manual = fetch_manual()
    if manual is None:
        return
    print(f"{manual} ({manual.stat().st_size / 2**20:.1f} MB); load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="big-pdf-") as scratch:
        alone = Path(scratch) / "manual" / manual.name  # its folder holds only it
        alone.parent.mkdir()
        shutil.copyfile(manual, alone)
        index_as_the_cli(alone, Path(scratch) / "cli")
        control_the_worker(alone, Path(scratch) / "window", arguments.resume)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
