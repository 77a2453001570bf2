"""`desktop-search history|save|unsave`: the recent and saved searches, as the window keeps them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import RUST_BOOK, copy_files, run_cli


def test_searches_join_the_history_and_saved_searches_come_and_go(tmp_path: Path) -> None:
    data = tmp_path / "data"
    copy_files([RUST_BOOK / "ch16-01-threads.md"], tmp_path / "docs")
    run_cli("index", str(tmp_path / "docs"), data_dir=data)
    for query in ("spawn a thread", "join handle", "spawn a thread"):
        run_cli("search", query, data_dir=data)
    run_cli("save", "Threads", "thread::spawn -async", data_dir=data)
    listed = json.loads(run_cli("history", "--json", data_dir=data).stdout)
    assert [r["query"] for r in listed["recent"]] == ["spawn a thread", "join handle"]
    assert listed["saved"] == [{"name": "Threads", "query": "thread::spawn -async"}]
    assert run_cli("history", data_dir=data).stdout.splitlines() == [
        "recent searches (newest first):",
        "  spawn a thread",
        "  join handle",
        "saved searches:",
        "  Threads  thread::spawn -async",
    ]

    run_cli("history", "--clear", data_dir=data)
    run_cli("unsave", "Threads", data_dir=data)
    assert json.loads(run_cli("history", "--json", data_dir=data).stdout) == {"recent": [], "saved": []}
    missing = run_cli("unsave", "Threads", data_dir=data, check=False)
    assert missing.returncode == 2 and "no saved search named “Threads”" in missing.stderr
    blank = run_cli("save", "Empty", " ", data_dir=data, check=False)
    assert blank.returncode == 2 and "the search is empty" in blank.stderr
