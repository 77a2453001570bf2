"""The embedding budget: what ONNX Runtime alone does with our model on pre-tokenised batches
(the compute limit here), and how close the full indexing pipeline comes to it.

The passages are the corpus's own (the project's extraction and chunking), tokenised with the
project's embedder's tokenizer (truncation 256, no padding), sorted by token count, cut into
batches padded to their longest member, and turned into arrays before the clock starts: only
`session.run` is timed. Sweeps batch size x intra-op threads (and thread spinning) on a sample,
then runs the best setting over every passage, the set the pipeline embeds.
"""

from __future__ import annotations

import os
import random
import time
from typing import Any

import desktop_search  # noqa: F401  (first: ORT_DISABLE_TELEMETRY)

BATCH_SIZES = (8, 16, 32, 64)
SAMPLE = 256  # passages per sweep point


def _session(model_path: str, threads: int, spinning: bool):  # type: ignore[no-untyped-def]
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    if not spinning:
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])


def _batches(token_ids: list[list[int]], size: int) -> list[dict[str, Any]]:
    import numpy as np

    ordered = sorted(token_ids, key=len)
    feeds = []
    for start in range(0, len(ordered), size):
        rows = ordered[start : start + size]
        width = max(len(row) for row in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for index, row in enumerate(rows):
            ids[index, : len(row)] = row
            mask[index, : len(row)] = 1
        feeds.append({"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
    return feeds


def _rate(session: Any, feeds: list[dict[str, Any]]) -> float:
    session.run(None, feeds[len(feeds) // 2])  # warm-up
    count = sum(len(feed["input_ids"]) for feed in feeds)
    started = time.perf_counter()
    for feed in feeds:
        session.run(None, feed)
    return count / (time.perf_counter() - started)


def sweep(folder: str, model_files: list[str]) -> dict[str, Any]:
    """Child task: the sweep on a sample, then the best setting on every passage, per model file."""
    from alternatives import read_passages

    from desktop_search.core.embedding import OnnxEmbedder
    from desktop_search.settings import Settings

    model_dir = Settings.resolve().model()[0]
    texts = [passage.text for _, passage in read_passages(folder)]
    tokenizer = OnnxEmbedder(model_dir).tokenizer
    token_ids = [encoding.ids for encoding in tokenizer.encode_batch(texts)]
    sample = random.Random(4).sample(token_ids, min(SAMPLE, len(token_ids)))
    cpus = os.cpu_count() or 1
    threads_options = sorted({1, cpus})
    results: dict[str, Any] = {
        "passages": len(texts),
        "mean_tokens": sum(map(len, token_ids)) / max(1, len(token_ids)),
        "models": {},
    }
    for model_file in model_files:
        model_path = str(model_dir / model_file)
        points = []
        sweep_sizes = BATCH_SIZES if model_file == model_files[0] else (16, 32)
        for threads in threads_options:
            session = _session(model_path, threads, spinning=True)
            for size in sweep_sizes:
                rate = _rate(session, _batches(sample, size))
                points.append({"threads": threads, "batch": size, "spinning": True, "rate": rate})
        best = max(points, key=lambda point: point["rate"])
        if best["threads"] > 1:  # spinning threads suffer most when other processes want the cores
            session = _session(model_path, best["threads"], spinning=False)
            rate = _rate(session, _batches(sample, best["batch"]))
            points.append(
                {"threads": best["threads"], "batch": best["batch"], "spinning": False, "rate": rate}
            )
            best = max(points, key=lambda point: point["rate"])
        session = _session(model_path, best["threads"], best["spinning"])
        full = _rate(session, _batches(token_ids, best["batch"]))
        results["models"][model_file] = {"points": points, "best": best, "best_rate_all": full}
    return results


def raw(folder: str, model_file: str, threads: int, batch: int, spinning: bool) -> float:
    """Child task: one setting's raw throughput over every passage of the folder."""
    from alternatives import read_passages

    from desktop_search.core.embedding import OnnxEmbedder
    from desktop_search.settings import Settings

    model_dir = Settings.resolve().model()[0]
    texts = [passage.text for _, passage in read_passages(folder)]
    token_ids = [encoding.ids for encoding in OnnxEmbedder(model_dir).tokenizer.encode_batch(texts)]
    return _rate(_session(str(model_dir / model_file), threads, spinning), _batches(token_ids, batch))


# Pipeline runs per model, each between two raw runs: one run alone varies with the machine's
# load by more than the overhead being measured.
ROUNDS = 3


def section(ctx: Any) -> list[Any]:
    """The sweep, then per model: raw, pipeline, raw, pipeline, ... raw with the best setting on
    the same passages. Each pipeline run is compared with the mean of the raw runs on either side
    of it, so a change in the machine's load shows in the spread instead of passing for the
    pipeline's overhead; the median of those shares is the result."""
    import statistics

    from common import Row, log, run_child

    from desktop_search.core.embedding import BATCH_SIZE

    cpus = os.cpu_count() or 1
    log(f"raw ONNX Runtime sweep on {ctx.corpus.name}")
    sweep_result = run_child("budget.sweep", str(ctx.corpus), ["model.onnx", "model.int8.onnx"]).value
    rows = []
    for model_file in ("model.onnx", "model.int8.onnx"):
        result = sweep_result["models"][model_file]
        best = result["best"]
        grid = ", ".join(
            f"{p['threads']}t×{p['batch']}{'' if p['spinning'] else ' nospin'}: {p['rate']:.0f}"
            for p in result["points"]
        )
        tag = "fp32" if model_file == "model.onnx" else "int8"
        setting = (
            f"{best['threads']} thread(s), batch {best['batch']}{'' if best['spinning'] else ', no spinning'}"
        )
        raws, pipelines = [result["best_rate_all"]], []
        for round_ in range(1, ROUNDS + 1):
            log(f"{tag}: the indexing pipeline between two raw runs (round {round_}/{ROUNDS})")
            data_dir = ctx.scratch / f"budget-{tag}-{round_}"
            pipelines.append(run_child("pipelines.ours", str(ctx.corpus), str(data_dir), model_file).value)
            raws.append(
                run_child(
                    "budget.raw",
                    str(ctx.corpus),
                    model_file,
                    best["threads"],
                    best["batch"],
                    best["spinning"],
                ).value
            )
        rates = [pipeline["passages"] / pipeline["seconds"] for pipeline in pipelines]
        shares = [rate / ((raws[i] + raws[i + 1]) / 2) for i, rate in enumerate(rates)]
        median = statistics.median(shares)
        rows.append(
            Row(
                "budget",
                f"raw ORT {tag}, best setting ({setting}), all {sweep_result['passages']:,} passages",
                f"{statistics.median(raws):.1f}/s",
                note=f"median of {len(raws)} runs ({', '.join(f'{r:.1f}' for r in raws)}), one before and after "
                f"each pipeline run; sweep on {min(SAMPLE, sweep_result['passages'])} passages "
                f"(passages/s): {grid}; mean {sweep_result['mean_tokens']:.0f} tokens/passage",
            )
        )
        project = [
            p for p in result["points"] if p["threads"] == cpus and p["batch"] == BATCH_SIZE and p["spinning"]
        ]
        if project:
            rows[-1].note += (
                f"; the project's setting ({cpus} threads, batch {BATCH_SIZE}) does "
                f"{project[0]['rate'] / best['rate']:.0%} of the best on the sample"
            )
        last = pipelines[-1]
        rows.append(
            Row(
                "budget",
                f"full pipeline ({tag}) ÷ raw ORT best, median of {ROUNDS}",
                f"{median:.0%}",
                "≥ 85 %",
                median >= 0.85,
                note=f"each run ÷ the mean of the raw runs around it: {', '.join(f'{s:.0%}' for s in shares)}; "
                f"pipeline {', '.join(f'{r:.1f}' for r in rates)} passages/s; of the last run's "
                f"{last['seconds']:.1f} s, {last['keyword_seconds']:.1f} s read+chunk+FTS (pass 1), "
                f"{last['seconds'] - last['keyword_seconds']:.1f} s embed+store (pass 2)",
            )
        )
    return rows
