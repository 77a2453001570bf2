"""The command line's answers to what a new user tries: unknown types, sub-folders, exclusions
before any folder, a missing model."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.helpers import RUST_BOOK, copy_files, run_cli


def test_unknown_type_is_refused_with_the_list(tmp_path: Path) -> None:
    result = run_cli("search", "x", "--type", "spreadsheet", data_dir=tmp_path / "d", check=False)
    assert result.returncode == 2
    assert "unknown --type spreadsheet; choose from docx, html, image, pdf, text" in result.stderr


def test_folder_filter_takes_a_sub_folder_of_an_added_folder(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    inner = docs / "concurrency"
    copy_files(sorted(RUST_BOOK.glob("ch16-*.md")), inner)
    copy_files(sorted(RUST_BOOK.glob("ch15-*.md")), docs / "pointers")
    data = tmp_path / "data"
    run_cli("index", str(docs), data_dir=data)
    hits = json.loads(run_cli("search", "threads", "--json", "--folder", str(inner), data_dir=data).stdout)
    assert hits and all(Path(h["path"]).parent == inner for h in hits)


def test_exclusions_can_be_set_before_any_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run_cli("exclude", "*.log", data_dir=data)
    assert "apply to the folders you add" in result.stdout
    assert run_cli("exclude", data_dir=data).stdout.split() == ["*.log"]


def test_a_missing_model_has_its_own_exit_code(tmp_path: Path) -> None:
    result = run_cli(
        "status",
        data_dir=tmp_path / "d",
        check=False,
        env={**os.environ, "DESKTOP_SEARCH_MODEL_DIR": str(tmp_path / "no-model")},
    )
    assert result.returncode == 4
    assert "embedding model not found" in result.stderr and len(result.stderr.strip().splitlines()) == 1
