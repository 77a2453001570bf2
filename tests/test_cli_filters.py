"""The command line's query language and --sort, on real files dated with os.utime."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.helpers import CORPUS, RUST_BOOK, dated_copies, run_cli

CHAPTERS = {  # name -> (corpus file, folder below the added one, date)
    "box.md": (RUST_BOOK / "ch15-01-box.md", "", datetime(2023, 6, 10, 12)),
    "drop.md": (RUST_BOOK / "ch15-03-drop.md", "reports", datetime(2024, 3, 5, 12)),
    "threads.md": (RUST_BOOK / "ch16-01-threads.md", "reports/2024", datetime(2024, 9, 1, 12)),
    "mail.eml": (CORPUS / "email" / "mail__basic_email.eml", "", datetime(2024, 5, 1, 12)),  # Date: 2008
}


@pytest.fixture(scope="module")
def dated_index(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cli-filters")
    lib = root / "lib"
    dated_copies(CHAPTERS, lib)
    run_cli("index", str(lib), data_dir=root / "data")
    return lib, root / "data"


def found(data: Path, *args: str) -> list[str]:
    hits = json.loads(run_cli("search", *args, "--json", "--limit", "10", data_dir=data).stdout)
    return [Path(hit["path"]).name for hit in hits]


def test_typed_filters_narrow_the_search(dated_index):
    lib, data = dated_index
    assert sorted(found(data, "rust modified:2024", "--mode", "keyword")) == ["drop.md", "threads.md"]
    assert found(data, "rust after:2024-03-06 before:2024-12-31", "--mode", "keyword") == ["threads.md"]
    assert sorted(found(data, "rust in:reports", "--mode", "keyword")) == ["drop.md", "threads.md"]
    assert found(data, f"rust in:{lib / 'reports' / '2024'}", "--mode", "keyword") == ["threads.md"]
    assert found(data, "rust name:drop", "--mode", "keyword") == ["drop.md"]
    assert found(data, "email modified:2008", "--mode", "keyword") == ["mail.eml"]  # its Date: header
    assert found(data, "rust type:email", "--mode", "keyword") == []
    assert found(data, "email type:mail") == ["mail.eml"]
    # with the options: both hold
    assert found(data, "rust in:2024", "--folder", str(lib / "reports"), "--mode", "keyword") == [
        "threads.md"
    ]
    assert found(data, "rust modified:2023", "--folder", str(lib / "reports"), "--mode", "keyword") == []


def test_sort_and_unknown_keys(dated_index):
    _, data = dated_index
    by_date = found(data, "rust", "--mode", "keyword", "--sort", "date")
    assert by_date == ["threads.md", "drop.md", "box.md"]
    assert found(data, "rust", "--mode", "keyword", "--sort", "name") == ["box.md", "drop.md", "threads.md"]
    assert "threads.md" in found(data, "note:x spawn", "--mode", "keyword")  # searched as text
    printed = run_cli("search", "rust in:reports", "--sort", "name", data_dir=data).stdout
    assert printed.index("drop.md") < printed.index("threads.md") and "box.md" not in printed


def test_queries_file_takes_the_language_too(dated_index, tmp_path):
    _, data = dated_index
    queries = tmp_path / "queries.txt"
    queries.write_text("rust modified:2023\nrust in:reports\n", encoding="utf-8")
    lines = run_cli(
        "search", "--queries", str(queries), "--mode", "keyword", "--sort", "date", data_dir=data
    ).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [Path(h["path"]).name for h in records[0]["hits"]] == ["box.md"]
    assert [Path(h["path"]).name for h in records[1]["hits"]] == ["threads.md", "drop.md"]


def test_help_shows_the_syntax(tmp_path):
    shown = run_cli("search", "--help", data_dir=tmp_path / "d").stdout
    for example in (
        "type:pdf",
        "in:reports",
        "modified:2024-03",
        "after:2024-03-01",
        "name:invoice",
        "--sort",
    ):
        assert example in shown
    assert run_cli("search", "x", "--sort", "size", data_dir=tmp_path / "d", check=False).returncode == 2
