"""`make bench-scale`: a tree of many files indexed to the end, where the time goes, memory and
disk, and a restart after a kill at 60 %. Prints one table (goal vs measured) and writes the
numbers as JSON next to the cached tree. Usage: scale.py [--files 100000] [--sources K] [--no-restart]

The tree (scale_tree.py says how it is made) and the indexes live under
~/.cache/desktop-search-bench/tree-N/; the indexes are rebuilt at every run, the tree is kept.
Each run is a child process of its own (worker.py), so its peak RSS is the kernel's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from common import Row, load_average, log, machine, mib, run_child, table
from scale_restart import restart
from scale_tree import tree as cached_tree

FLOOR_SAMPLE = 2000
STORE_GOAL = 2000  # passages/s into the vector store
WINDOW_GOAL = 2.0  # seconds from start to a window that accepts typing
UNFINISHED_WINDOW = 256  # passages: the indexer's embedding window (core/indexer.py EMBED_WINDOW)


def clean_run(tree: Path, data_dir: Path, every: int) -> dict[str, Any]:
    shutil.rmtree(data_dir, ignore_errors=True)
    log(f"indexing {tree} into a new {data_dir}, to the end")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        child = run_child(
            "scale_run.index", str(tree), str(data_dir), time.time(), str(Path(scratch) / "p"), every,
            timeout=6 * 3600,
        )  # fmt: skip
    run = child.value
    marks = run["marks"]
    scan = marks["scan_end"] - marks["opened"]
    reading = run["keyword_seconds"] - scan
    embedding = run["seconds"] - run["keyword_seconds"]
    files = run["indexed"] + sum(run["failed"].values())
    return {
        **run,
        "peak_rss": child.peak_rss,
        "peak_tree_rss": child.peak_tree_rss,
        "start_seconds": marks["opened"],
        "scan_seconds": scan,
        "read_seconds": reading,
        "files_per_second": files / max(reading, 1e-9),
        "embedding_pass_seconds": embedding,
        "embed_rate": run["embedded"] / max(run["embed_seconds"], 1e-9),
        "store_rate": run["passages"] / max(run["store_seconds"], 1e-9),
        "other_embedding_pass_seconds": embedding - run["embed_seconds"] - run["store_seconds"],
        "total_seconds": marks["end"],
    }


def rows_for(n: int, made: dict[str, Any], clean: dict[str, Any], floor: dict[str, Any],
             rest: dict[str, Any], again: dict[str, Any] | None) -> list[Row]:  # fmt: skip
    floor_seconds = clean["embedded"] / floor["rate"]
    disk = rest["disk_chroma"] + rest["disk_catalog"]
    rss = clean["rss"]
    rows = [
        Row(
            "tree",
            "files (varied text copies + unchanged PDF/DOCX)",
            f"{n:,}",
            note=f"{made['varied_text_files']:,} + {made['unchanged_pdf_docx']:,}; {made['recipe']}",
        ),
        Row(
            "to the end",
            "files indexed / passages / vectors stored at the end",
            f"{rest['indexed']:,} / {rest['passages']:,} / {rest['vectors']:,}",
            "all, none waiting",
            rest["waiting_passages"] == 0 and rest["vectors"] == rest["passages"],
            f"failed: {clean['failed'] or 'none'}",
        ),
        Row(
            "to the end",
            "unique passages embedded / reused vectors",
            f"{clean['embedded']:,} / {clean['reused']:,}",
        ),
        Row(
            "to the end",
            "scan",
            f"{clean['scan_seconds']:.1f} s",
            note=f"start-up (imports, open) {clean['start_seconds']:.1f} s before it",
        ),
        Row(
            "to the end",
            "reading pass (keyword index)",
            f"{clean['read_seconds']:.0f} s",
            note=f"{clean['files_per_second']:.0f} files/s, {clean['passages']:,} passages into the keyword index",
        ),
        Row(
            "to the end",
            "embedding pass",
            f"{clean['embedding_pass_seconds']:.0f} s",
            note=f"embedder {clean['embed_seconds']:.0f} s, vector store {clean['store_seconds']:.0f} s, "
            f"other (lookups of stored vectors, catalog) {clean['other_embedding_pass_seconds']:.0f} s",
        ),
        Row(
            "to the end",
            "embedder rate in the run",
            f"{clean['embed_rate']:.1f} passages/s",
            note=f"raw rate on {floor['texts']:,} of its texts in the same run: {floor['rate']:.1f} passages/s",
        ),
        Row(
            "to the end",
            "vector-store inserts (upsert + catalog marks)",
            f"{clean['store_rate']:,.0f} passages/s",
            f"≥ {STORE_GOAL:,} passages/s",
            clean["store_rate"] >= STORE_GOAL,
        ),
        Row(
            "to the end",
            "total, launch to fully embedded",
            f"{clean['total_seconds']:.0f} s",
            note=f"floor (unique passages ÷ raw rate) {floor_seconds:.0f} s: the run took "
            f"{clean['total_seconds'] / floor_seconds:.2f}× the floor",
        ),
        Row(
            "memory",
            "peak RSS while indexing (indexer / whole tree)",
            f"{mib(clean['peak_rss'])} / {mib(clean['peak_tree_rss'])}",
        ),
        *[
            Row(
                "memory",
                f"RSS (indexer + reading child) by {what} done",
                ", ".join(
                    f"{s['done']:,}: {mib(s['rss'])} + {mib(s['children_rss'])}"
                    for s in rss
                    if s["what"] == what
                )
                or "-",
                note=f"at the end {mib(rss[-1]['rss'])}",
            )
            for what in ("files", "passages")
        ],
        Row(
            "memory",
            "RSS at rest (reopened, one query)",
            mib(rest["rss_at_rest"]),
            note=f"open {rest['open_seconds']:.1f} s, first query {rest['first_query_seconds'] * 1000:.0f} ms",
        ),
        Row(
            "disk",
            "catalog / chroma",
            f"{mib(rest['disk_catalog'])} / {mib(rest['disk_chroma'])}",
            note=f"{disk / max(rest['passages'], 1):,.0f} bytes a passage",
        ),
    ]
    if again is None:
        return rows
    second = again["again"]
    gui = again["gui"]
    same = ", ".join(f"{k} {a:,} vs {b:,}" for k, (a, b) in again["same_as_clean"].items())
    return [
        *rows,
        Row("restart", f"killed at {again['killed']['killed_at']:,} of {again['killed']['of']:,} passages",
            f"{again['at_kill']['waiting_passages']:,} passages waiting",
            note=f"status: {again['at_kill']['waiting_files']:,} files waiting"),
        Row("restart", "start to first embedding progress",
            f"{second['marks'].get('first_embedding_progress', float('nan')):.1f} s",
            "at once: no file read again", second["indexed"] == 0 and not second["failed"],
            note=f"scan {second['marks']['scan_end'] - second['marks']['opened']:.1f} s, "
            f"{second['unchanged']:,} files unchanged by size and time, {second['indexed']} read again"),
        Row("restart", "passages embedded again beyond the unfinished window", f"{again['re_embedded']:,}",
            f"≤ one window ({UNFINISHED_WINDOW})", again["re_embedded"] <= UNFINISHED_WINDOW,
            f"{second['embedded']:,} embedded after the restart, {again['needed_embedding']:,} texts "
            "had no stored vector (the killed window's included)"),
        Row("restart", "end state equals the clean run's", str(again["equal"]), "equal", again["equal"], same),
        Row("restart", "window accepts typing (offscreen)",
            f"{gui['typing']:.2f} s" if "typing" in gui else "not reached", f"≤ {WINDOW_GOAL:.0f} s",
            "typing" in gui and gui["typing"] <= WINDOW_GOAL,
            f"{rest['passages']:,} passages; first results at {gui.get('results', float('nan')):.2f} s"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--sources", type=int, help="copy only this many corpus text files (short runs)")
    parser.add_argument("--no-restart", action="store_true", help="skip the kill-and-restart run")
    args = parser.parse_args()
    every = min(10_000, max(args.files // 10, 100))  # RSS samples: every 10,000 files on big trees
    header = machine()
    tree, made = cached_tree(args.files, args.sources)
    work = tree.parent
    clean = clean_run(tree, work / "data-clean", every)
    log("the embedder's raw rate (the floor)")
    floor = run_child("scale_run.floor", str(work / "data-clean"), FLOOR_SAMPLE).value
    rest = run_child("scale_run.state", str(work / "data-clean")).value
    again = None
    if not args.no_restart:
        shutil.rmtree(work / "data-restart", ignore_errors=True)
        again = restart(tree, work / "data-restart", every, {**rest, "embedded": clean["embedded"]})
    rows = rows_for(args.files, made, clean, floor, rest, again)
    loads = f"load average at the end {load_average()}"
    print(f"{header}\n{loads}\n\n{table(rows)}")
    report = {"machine": header, "load_end": loads, "tree": made, "clean": clean, "floor": floor,
              "at_rest": rest, "restart": again}  # fmt: skip
    out = work / "bench-scale.json"
    out.write_text(json.dumps(report, indent=1, default=str))
    log(f"numbers written to {out}")


if __name__ == "__main__":
    main()
