"""Settings: the command line's options over the environment over the defaults, in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_search import paths
from desktop_search.paths import ModelNotFoundError
from desktop_search.settings import Settings


def test_arguments_win_over_the_environment_which_wins_over_defaults(tmp_path: Path) -> None:
    env = {
        "DESKTOP_SEARCH_DATA_DIR": str(tmp_path / "from-env"),
        "DESKTOP_SEARCH_CHROMA_URL": "http://127.0.0.1:8000",
        "DESKTOP_SEARCH_MODEL_FILE": "model.onnx",
        "DESKTOP_SEARCH_COLOR_SCHEME": "Dark",
    }
    from_env = Settings.resolve(environ=env)
    assert from_env.data_dir == tmp_path / "from-env"
    assert (from_env.chroma_url, from_env.model_file, from_env.colour_scheme) == (
        "http://127.0.0.1:8000",
        "model.onnx",
        "dark",
    )
    given = Settings.resolve(data_dir=tmp_path / "given", chroma_url="http://h:1", environ=env)
    assert (given.data_dir, given.chroma_url) == (tmp_path / "given", "http://h:1")
    default = Settings.resolve(environ={"DESKTOP_SEARCH_COLOR_SCHEME": "purple"})
    assert default.data_dir == paths.default_data_dir() and default.colour_scheme is None


def test_the_model_is_the_bundled_int8_one_unless_told(tmp_path: Path) -> None:
    folder, name = Settings.resolve(environ={}).model()
    assert folder == paths.bundled_model_dir() and name == "model.int8.onnx"
    assert Settings.resolve(environ={"DESKTOP_SEARCH_MODEL_FILE": "model.onnx"}).model()[1] == "model.onnx"
    with pytest.raises(ModelNotFoundError, match="DESKTOP_SEARCH_MODEL_DIR"):
        Settings.resolve(environ={"DESKTOP_SEARCH_MODEL_DIR": str(tmp_path)}).model()
    (tmp_path / "tokenizer.json").write_text("{}")
    (tmp_path / "model.onnx").write_bytes(b"")
    assert Settings.resolve(environ={"DESKTOP_SEARCH_MODEL_DIR": str(tmp_path)}).model() == (
        tmp_path,
        "model.onnx",
    )
    with pytest.raises(ModelNotFoundError, match=r"model\.int8\.onnx not found"):
        Settings.resolve(
            environ={
                "DESKTOP_SEARCH_MODEL_DIR": str(tmp_path),
                "DESKTOP_SEARCH_MODEL_FILE": "model.int8.onnx",
            }
        ).model()
