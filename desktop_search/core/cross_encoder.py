"""An optional second ranking stage: a cross-encoder reads the query and a passage together and
scores how well the passage answers it. Off unless the user points the app at a folder holding a
cross-encoder's ONNX export (model.onnx) and its tokenizer.json; nothing is ever downloaded."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")  # before onnxruntime's first import

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
MAX_TOKENS = 512  # the position embeddings of BERT-like models end here
BATCH_SIZE = 16
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
LAYOUT = f"a cross-encoder folder holds {MODEL_FILE} (a Hugging Face export's onnx/model.onnx) and {TOKENIZER_FILE}"


class CrossEncoderError(Exception):
    """The folder is not a usable cross-encoder; the message says why, for the user."""


class CrossEncoder:
    """Scores (query, passage) pairs with an ONNX cross-encoder: higher is more relevant."""

    def __init__(self, folder: Path, tokenizer: Any, session: Any) -> None:
        self.folder = folder
        self._tokenizer = tokenizer
        self._pad_id = _pad_id(tokenizer)
        tokenizer.no_padding()  # padded here, batch by batch, to the longest pair
        self._session = session
        self._inputs = {
            i.name: np.int32 if i.type == "tensor(int32)" else np.int64 for i in session.get_inputs()
        }

    @classmethod
    def load(cls, folder: Path, *, threads: int = 0) -> CrossEncoder:
        """The tokenizer and the model from folder, checked; CrossEncoderError if unusable."""
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            raise CrossEncoderError(f"cross-encoder folder {folder} does not exist; {LAYOUT}")
        missing = [name for name in (MODEL_FILE, TOKENIZER_FILE) if not (folder / name).is_file()]
        if missing:
            raise CrossEncoderError(f"cross-encoder folder {folder} has no {' or '.join(missing)}; {LAYOUT}")
        return cls(folder, _tokenizer(folder / TOKENIZER_FILE), _session(folder / MODEL_FILE, threads))

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        """One relevance score per text, in the order given (raw logits: compare, don't threshold
        across models). Batches hold texts of similar token counts, so they pad little."""
        if not texts:
            return []
        encodings = self._tokenizer.encode_batch([(query, text) for text in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        scores = [0.0] * len(texts)
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            for index, value in zip(batch, self._score_batch([encodings[i] for i in batch])):
                scores[index] = value
        return scores

    def _score_batch(self, encodings: list[Any]) -> list[float]:
        width = max(len(e.ids) for e in encodings)
        arrays = {name: np.zeros((len(encodings), width), dtype=np.int64) for name in INPUTS}
        arrays["input_ids"].fill(self._pad_id)
        for row, encoding in enumerate(encodings):
            length = len(encoding.ids)
            arrays["input_ids"][row, :length] = encoding.ids
            arrays["attention_mask"][row, :length] = 1
            arrays["token_type_ids"][row, :length] = encoding.type_ids
        feed = {name: arrays[name].astype(dtype) for name, dtype in self._inputs.items()}
        logits = np.asarray(self._session.run(None, feed)[0], dtype=np.float32)
        if logits.ndim == 2 and logits.shape[1] in (1, 2):
            logits = logits[:, -1]  # two classes (irrelevant, relevant): the relevant one's logit
        if logits.shape != (len(encodings),):
            raise CrossEncoderError(
                f"the model in {self.folder} gave scores of shape {logits.shape} for {len(encodings)} "
                "pairs: a cross-encoder gives one score (or two class scores) a pair"
            )
        return [float(value) for value in logits]


def _tokenizer(path: Path) -> Any:
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as error:  # tokenizers raises a bare Exception for a malformed file
        raise CrossEncoderError(f"cannot read the tokenizer {path}: {error}") from error
    configured = (tokenizer.truncation or {}).get("max_length", MAX_TOKENS)
    # Longest first: the passage gives way, rarely the short query.
    tokenizer.enable_truncation(max_length=min(configured, MAX_TOKENS), strategy="longest_first")
    return tokenizer


def _pad_id(tokenizer: Any) -> int:
    """The id the tokenizer file pads with; the attention mask hides it, so it rarely matters."""
    padding = tokenizer.padding
    if padding:
        return int(padding["pad_id"])
    pad = tokenizer.token_to_id("[PAD]")
    return int(pad) if pad is not None else 0


def _session(path: Path, threads: int) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or os.cpu_count() or 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime's own exception types, one per failure
        raise CrossEncoderError(f"cannot load the model {path}: {error}") from error
    names = {i.name for i in session.get_inputs()}
    if "input_ids" not in names or not names <= set(INPUTS):
        raise CrossEncoderError(
            f"the model {path} takes inputs {sorted(names)}; a cross-encoder takes input_ids "
            "(and attention_mask, token_type_ids)"
        )
    outputs = session.get_outputs()
    shape = outputs[0].shape if outputs else []
    if len(shape) > 2 or (len(shape) == 2 and isinstance(shape[1], int) and shape[1] > 2):
        raise CrossEncoderError(
            f"the model {path} gives vectors ({outputs[0].name}, shape {shape}), not one score a pair: "
            "it looks like an embedding model, not a cross-encoder"
        )
    return session
