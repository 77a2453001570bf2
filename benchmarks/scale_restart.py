"""Restart, for `make bench-scale`: index the tree into a new data directory, kill the indexing
process (SIGKILL, with its reading child) once KILL_AT of the embedding pass is done, start it
again, and compare the end state with a clean run's. Then the window opens on that index."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import CHILD_ENV, HERE, ROOT, log, run_child

KILL_AT = 0.6
GUI_QUERY = "list files in a directory"


def _embedding_share(progress_file: Path) -> tuple[int, int]:
    try:
        lines = progress_file.read_text().splitlines()
    except OSError:
        return 0, 0
    for line in reversed(lines):
        parts = line.split()
        if len(parts) == 2:
            return int(parts[0]), int(parts[1])
    return 0, 0


def index_and_kill(tree: Path, data_dir: Path, every: int) -> dict[str, Any]:
    """Start the indexing child as run_child would, and SIGKILL its process group at KILL_AT."""
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        progress = Path(scratch) / "progress"
        out = Path(scratch) / "result.json"
        arguments = [str(tree), str(data_dir), time.time(), str(progress), every]
        command = [
            sys.executable,
            str(HERE / "worker.py"),
            "scale_run.index",
            str(out),
            json.dumps(arguments),
        ]
        started = time.perf_counter()
        child = subprocess.Popen(
            command,
            env={**os.environ, **CHILD_ENV},
            cwd=ROOT,
            stdout=sys.stderr.fileno(),
            start_new_session=True,  # its own process group: the kill takes the reading child too
        )
        done, total = 0, 0
        while child.poll() is None:
            done, total = _embedding_share(progress)
            if total and done >= KILL_AT * total:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(
                f"the indexer ended (exit {child.returncode}) before {KILL_AT:.0%} of embedding"
            )
    return {"killed_at": done, "of": total, "seconds": time.perf_counter() - started}


def restart(tree: Path, data_dir: Path, every: int, clean: dict[str, Any]) -> dict[str, Any]:
    """clean: scale_run.state of the clean run's index; its `embedded` is the clean run's count."""
    log(f"restart: indexing into {data_dir}, killed at {KILL_AT:.0%} of the embedding pass")
    killed = index_and_kill(tree, data_dir, every)
    at_kill = run_child("scale_run.state", str(data_dir)).value
    log(
        f"killed at {killed['killed_at']:,} of {killed['of']:,} passages; status then: "
        f"{at_kill['waiting_passages']:,} passages of {at_kill['waiting_files']:,} files waiting"
    )
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        again = run_child(
            "scale_run.index", str(tree), str(data_dir), time.time(), str(Path(scratch) / "p"), every
        )
    end = run_child("scale_run.state", str(data_dir)).value
    same = {k: (end[k], clean[k]) for k in ("files", "indexed", "passages", "vectors")}
    # Texts still without a vector at the restart had to be embedded; anything more was done twice.
    needed = clean["unique_texts_with_vectors"] - at_kill["unique_texts_with_vectors"]
    log("restart: the window on that index (offscreen)")
    gui = run_child(
        "startup.gui_probe",
        str(data_dir),
        time.time(),
        GUI_QUERY,
        env={"QT_QPA_PLATFORM": "offscreen"},
        timeout=300,
    ).value
    return {
        "killed": killed,
        "at_kill": at_kill,
        "again": again.value,
        "again_peak_rss": again.peak_rss,
        "end": end,
        "same_as_clean": same,
        "equal": all(a == b for a, b in same.values()),
        "needed_embedding": needed,
        "re_embedded": again.value["embedded"] - needed,
        "gui": gui,
    }
