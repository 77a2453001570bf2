"""The one place that knows where things live: data, cache, the bundled model."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from desktop_search import APP_NAME

MODEL_ENV = "DESKTOP_SEARCH_MODEL_DIR"
DATA_ENV = "DESKTOP_SEARCH_DATA_DIR"
MODEL_FILES = ("tokenizer.json",)  # needed beside one of the models below
MODEL_CHOICES = ("model.int8.onnx", "model.onnx")  # in order of preference: int8 is the default


def resources_dir() -> Path:
    """`resources/` in a source checkout, or inside the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    chosen = override or os.environ.get(DATA_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_model_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "model"


def model_candidates() -> list[Path]:
    """Where the model is looked for, in order: explicit setting, bundled copy, user cache."""
    candidates = []
    if os.environ.get(MODEL_ENV):
        candidates.append(Path(os.environ[MODEL_ENV]).expanduser())
    candidates.append(resources_dir() / "model")
    candidates.append(user_model_dir())
    return candidates


def find_model_dir() -> Path:
    for candidate in model_candidates():
        has_model = any((candidate / name).is_file() for name in MODEL_CHOICES)
        if has_model and all((candidate / name).is_file() for name in MODEL_FILES):
            return candidate
    searched = ", ".join(str(c) for c in model_candidates())
    raise FileNotFoundError(
        f"embedding model not found (looked in {searched}); run `make model` or set {MODEL_ENV}"
    )
