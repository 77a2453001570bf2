"""`desktop-search search` with filters alone lists the files passing them, on real files dated
with os.utime."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.helpers import RUST_BOOK, dated_copies, run_cli

CHAPTERS = {  # name -> (corpus file, folder below the added one, date)
    "box.md": (RUST_BOOK / "ch15-01-box.md", "", datetime(2023, 6, 10, 12)),
    "drop.md": (RUST_BOOK / "ch15-03-drop.md", "reports", datetime(2024, 3, 5, 12)),
    "threads.md": (RUST_BOOK / "ch16-01-threads.md", "reports", datetime.now()),
}


@pytest.fixture(scope="module")
def dated_index(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cli-listing")
    lib = root / "lib"
    dated_copies(CHAPTERS, lib)
    run_cli("index", str(lib), data_dir=root / "data")
    return lib, root / "data"


def listed(data: Path, *args: str) -> list[str]:
    hits = json.loads(run_cli("search", *args, "--json", data_dir=data).stdout)
    return [Path(hit["path"]).name for hit in hits]


def test_filters_alone_list_the_files_newest_first(dated_index):
    lib, data = dated_index
    assert listed(data, "modified:today") == ["threads.md"]
    assert listed(data, "modified:lastyear") == ["threads.md"]
    assert listed(data, "after:2024-01-01") == ["threads.md", "drop.md"]
    assert listed(data, "in:reports", "--sort", "name") == ["drop.md", "threads.md"]
    assert listed(data, "name:md", "--limit", "2") == ["threads.md", "drop.md"]
    assert listed(data, "name:md -trait", "--folder", str(lib / "reports")) == ["threads.md"]
    printed = run_cli("search", "modified:2023", data_dir=data).stdout
    assert "box.md" in printed and "Using `Box<T>` to Point to Data on the Heap" in printed
    assert "no close matches" not in printed
