"""Where things live: the bundled resources, the default data directory, the model files."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

from desktop_search import APP_NAME

TOKENIZER = "tokenizer.json"  # needed beside one of the models below
MODEL_CHOICES = ("model.int8.onnx", "model.onnx")  # in order of preference: int8 is the default


class ModelNotFoundError(FileNotFoundError):
    """The embedding model is not where it was looked for."""


def resources_dir() -> Path:
    """`resources/` in a source checkout, or inside the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def window_state_file(data_dir: Path) -> Path:
    """The window's size, pane widths and panes shown, beside the index it shows (Qt's INI format)."""
    return data_dir / "window.ini"


def bundled_model_dir() -> Path:
    return resources_dir() / "model"


def is_model_dir(candidate: Path) -> bool:
    has_model = any((candidate / name).is_file() for name in MODEL_CHOICES)
    return has_model and (candidate / TOKENIZER).is_file()
