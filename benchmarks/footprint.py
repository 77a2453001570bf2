"""What the index costs: bytes on disk per passage (ours vs Chroma with documents) and memory
(peak RSS while indexing, RSS at rest with the 100,000-passage index open).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bigindex import big_index
from latency import query_run


def disk_section(ctx: Any) -> list[Any]:
    from common import Row, disk_usage
    from pipelines import run_pipeline

    rows = []
    ours = run_pipeline(ctx, "ours")
    theirs = run_pipeline(ctx, "chroma-default")
    data = Path(ours["data_dir"])
    per = ours["disk"] / ours["passages"]
    rows.append(
        Row(
            "disk",
            f"ours: bytes/passage, {ctx.corpus.name} ({ours['passages']:,} passages)",
            f"{per / 1024:.1f} KB",
            "≤ 6 KB",
            per <= 6 * 1024,
            note=f"catalog {disk_usage(data) - disk_usage(data / 'chroma'):,} B + chroma/ {disk_usage(data / 'chroma'):,} B",
        )
    )
    per_a = theirs["disk"] / theirs["passages"]
    rows.append(
        Row(
            "disk",
            f"(a) Chroma with documents: bytes/passage, {ctx.corpus.name}",
            f"{per_a / 1024:.1f} KB",
            note=f"{theirs['disk']:,} B; ours is {per / per_a:.0%} of it",
        )
    )
    if "st-torch" in ctx.pipelines:
        other = ctx.pipelines["st-torch"]
        rows.append(
            Row(
                "disk",
                f"(b) Chroma with documents: bytes/passage, {ctx.corpus.name}",
                f"{other['disk'] / other['passages'] / 1024:.1f} KB",
                note=f"{other['disk']:,} B",
            )
        )
    big, meta = big_index(ctx)
    total = disk_usage(big)
    passages = meta["replicate"]["passages"]
    rows.append(
        Row(
            "disk",
            f"ours: bytes/passage, {passages:,}-passage index",
            f"{total / passages / 1024:.1f} KB",
            "≤ 6 KB",
            total / passages <= 6 * 1024,
            note=f"catalog.sqlite3 {disk_usage(big) - disk_usage(big / 'chroma'):,} B + chroma/ {disk_usage(big / 'chroma'):,} B",
        )
    )
    text_bytes = _text_bytes(big / "catalog.sqlite3")
    rows[-1].note += f"; passage text itself {text_bytes / passages:,.0f} B/passage"
    return rows


def _text_bytes(catalog: Path) -> int:
    import sqlite3

    db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    value = db.execute("SELECT SUM(LENGTH(CAST(text AS BLOB))) FROM passages").fetchone()[0] or 0
    db.close()
    return int(value)


def _with_reader(peak: int, tree: int) -> str:
    from common import mib

    return f"; {mib(tree)} with the file-reading child process at its peak" if tree > peak * 1.02 else ""


def memory_section(ctx: Any) -> list[Any]:
    from common import SHARED, Row, mib

    _, meta = big_index(ctx)
    index = meta["index"]
    run = query_run(ctx)
    base = Path(meta["base"])
    name = "the whole shared corpus" if base == SHARED / "corpus" else base.name
    rows = [
        Row(
            "memory",
            f"peak RSS indexing {name} ({index['files']} files, {index['passages']:,} passages)",
            mib(index["peak_rss"]),
            note=f"{index['seconds']:.0f} s, {index['passages'] / index['seconds']:.1f} passages/s; measured "
            f"when the cached index was built ({meta['built']})"
            + _with_reader(index["peak_rss"], index.get("peak_tree_rss", 0)),
        ),
        Row(
            "memory",
            f"RSS at rest, {run['passages']:,} passages (open, after {len(run['latencies'])} searches)",
            mib(run["rss_at_rest"]),
            note=f"peak {mib(run['peak_rss'])}",
        ),
    ]
    first = ctx.notes.get("first_memory")
    if first:
        rows.append(
            Row(
                "memory",
                f"peak RSS indexing {ctx.first.parent.name}/{ctx.first.name} "
                f"({first['files']} files, {first['passages']:,} passages; this run)",
                mib(first["peak_rss"]),
                note=_with_reader(first["peak_rss"], first["peak_tree_rss"]).lstrip("; "),
            )
        )
    from pipelines import default_model_file

    default = "ours-int8" if default_model_file() == "model.int8.onnx" else "ours"
    if default in ctx.pipelines:
        pipeline = ctx.pipelines[default]
        rows.append(
            Row(
                "memory",
                f"peak RSS indexing {ctx.corpus.name} (default model; this run)",
                mib(pipeline["peak_rss"]),
                note=_with_reader(pipeline["peak_rss"], pipeline.get("peak_tree_rss", 0)).lstrip("; "),
            )
        )
    return rows
