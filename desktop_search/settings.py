"""Every setting in one typed place: the command line's options over the environment over the
defaults. The command line, the window and the tests all build one with Settings.resolve()."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from desktop_search import paths
from desktop_search.paths import MODEL_CHOICES, ModelNotFoundError

DATA_DIR_ENV = "DESKTOP_SEARCH_DATA_DIR"
CHROMA_URL_ENV = "DESKTOP_SEARCH_CHROMA_URL"
MODEL_DIR_ENV = "DESKTOP_SEARCH_MODEL_DIR"
MODEL_FILE_ENV = "DESKTOP_SEARCH_MODEL_FILE"
COLOUR_SCHEME_ENV = "DESKTOP_SEARCH_COLOR_SCHEME"
COLOUR_SCHEMES = ("dark", "light")
OCR_ENV = "DESKTOP_SEARCH_OCR"  # "off" (or 0, no, false) leaves scanned pages and images unread
OCR_LANGUAGES_ENV = "DESKTOP_SEARCH_OCR_LANGUAGES"  # Tesseract-style codes joined by "+": "eng+deu"
RERANKER_ENV = "DESKTOP_SEARCH_RERANKER_DIR"  # a cross-encoder's model.onnx + tokenizer.json
_OFF = ("0", "off", "no", "false")


@dataclass(frozen=True)
class Settings:
    data_dir: Path  # where the index lives
    chroma_url: str | None = None  # a Chroma server for the vectors, instead of data_dir/chroma
    model_dir: Path | None = None  # None: the model bundled with the app
    model_file: str | None = None  # None: the first of MODEL_CHOICES that is there (int8)
    colour_scheme: str | None = None  # "dark" or "light"; None: the desktop's
    ocr: bool = True  # read scanned pages and images of text, after every other file
    ocr_languages: str = "eng"
    reranker: Path | None = None  # a cross-encoder folder re-scoring the top passages; None: off

    @classmethod
    def resolve(
        cls,
        *,
        data_dir: str | os.PathLike[str] | None = None,
        chroma_url: str | None = None,
        model_file: str | None = None,
        ocr: bool | None = None,
        ocr_languages: str | None = None,
        reranker: str | os.PathLike[str] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Explicit arguments (the command line's) first, then the environment, then defaults."""
        env = os.environ if environ is None else environ
        chosen_dir = data_dir or env.get(DATA_DIR_ENV)
        model_dir = env.get(MODEL_DIR_ENV)
        scheme = env.get(COLOUR_SCHEME_ENV, "").strip().lower()
        reranker = reranker or env.get(RERANKER_ENV)
        return cls(
            data_dir=Path(chosen_dir).expanduser().resolve() if chosen_dir else paths.default_data_dir(),
            chroma_url=chroma_url or env.get(CHROMA_URL_ENV) or None,
            model_dir=Path(model_dir).expanduser() if model_dir else None,
            model_file=model_file or env.get(MODEL_FILE_ENV) or None,
            colour_scheme=scheme if scheme in COLOUR_SCHEMES else None,
            ocr=ocr if ocr is not None else env.get(OCR_ENV, "").strip().lower() not in _OFF,
            ocr_languages=ocr_languages or env.get(OCR_LANGUAGES_ENV) or "eng",
            reranker=Path(reranker).expanduser() if reranker else None,
        )

    def model(self) -> tuple[Path, str]:
        """(model folder, model file name), or ModelNotFoundError saying where it looked."""
        folder = self.model_dir or paths.bundled_model_dir()
        if paths.is_model_dir(folder):
            name = self.model_file or next(n for n in MODEL_CHOICES if (folder / n).is_file())
            if (folder / name).is_file():
                return folder, name
            raise ModelNotFoundError(f"model file {name} not found in {folder}")
        how = f"set {MODEL_DIR_ENV} to a folder with tokenizer.json and model.onnx or model.int8.onnx"
        if self.model_dir is None:
            how = "run `make model`, or " + how
        raise ModelNotFoundError(f"embedding model not found in {folder}; {how}")
