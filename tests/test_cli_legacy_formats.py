"""E-books, RTF, legacy Office and source files end to end: indexed by the command line with the
real model, then found by a phrase they hold and by a paraphrase, with the right chapter, sheet or
slide named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import CORPUS, ROOT, copy_files, run_cli

LEGACY = CORPUS / "office" / "legacy" / "good"
FILES = [
    CORPUS / "ebook" / "epub" / "good" / "epubjs__alice.epub",
    CORPUS / "rtf" / "tika__testRTFHyperlink.rtf",
    LEGACY / "poi__20-Force-on-a-current-S00.doc",
    LEGACY / "poi__39634.xls",
    LEGACY / "poi__41246-1.ppt",
    ROOT / "desktop_search" / "core" / "extract" / "rtf.py",
    ROOT / "Makefile",
]

KINDS = {
    "epubjs__alice.epub": "epub",
    "tika__testRTFHyperlink.rtf": "rtf",
    "poi__20-Force-on-a-current-S00.doc": "doc",
    "poi__39634.xls": "xls",
    "poi__41246-1.ppt": "ppt",
    "rtf.py": "code",
    "Makefile": "code",
}
# query -> (file name, where the best passage of that file must be: chapter, sheet, slide or "")
QUERIES = {
    # a phrase from each file (the manifest's sample where there is one)
    # (a chapter's title, so its chapter or the contents page that lists it)
    "Down The Rabbit-Hole": ("epubjs__alice.epub", {"Down The Rabbit-Hole", "Contents"}),
    "Thank you for using Microsoft®": ("tika__testRTFHyperlink.rtf", {""}),
    "CURRENT IN A MAGNETIC FIELD": ("poi__20-Force-on-a-current-S00.doc", {""}),
    "BATTERY BACKUP DATA SHEET": ("poi__39634.xls", {"sheet 5. BBU Data"}),
    "Java and Profiling": ("poi__41246-1.ppt", {"slide 2"}),
    "Hex dumps of pictures and embedded objects": ("rtf.py", {""}),
    "package-test": ("Makefile", {""}),
    # the same files, asked for in other words
    "the caterpillar asks Alice who she is and tells her to keep her temper": (
        "epubjs__alice.epub",
        {"Advice From A Caterpillar"},
    ),
    "how to stop spam messages from reaching my mailbox": ("tika__testRTFHyperlink.rtf", {""}),
    "lab experiment on the push a magnet exerts on a wire carrying electricity": (
        "poi__20-Force-on-a-current-S00.doc",
        {""},
    ),
    "which telecom vendor made the equipment cabinets": ("poi__39634.xls", {"sheet 14. EQUIPMENT Data"}),
    "compile with a flag that adds a stopwatch to every function": ("poi__41246-1.ppt", {"slide 6"}),
    "convert rich text documents to plain text with the right code page": ("rtf.py", {""}),
    "build the app and run the whole test suite": ("Makefile", {""}),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory holding the files above, indexed once for the module."""
    folder = tmp_path_factory.mktemp("formats")
    copy_files(FILES, folder)
    data = tmp_path_factory.mktemp("formats-index")
    run_cli("index", str(folder), data_dir=data)
    return data


def test_every_file_is_indexed(index):
    files = json.loads(run_cli("status", "--json", data_dir=index).stdout)["files"]
    assert {Path(f["path"]).name for f in files} == set(KINDS)
    assert all(f["status"] == "indexed" and f["passages"] > 0 for f in files)


@pytest.mark.parametrize("query, expected", QUERIES.items(), ids=list(QUERIES))
def test_found_in_the_top_three_at_the_right_place(index, query, expected):
    name, places = expected
    hits = json.loads(run_cli("search", query, "--json", "--limit", "3", data_dir=index).stdout)
    found = {Path(hit["path"]).name: hit for hit in hits}
    assert name in found, [Path(hit["path"]).name for hit in hits]
    assert found[name]["where"] in places, found[name]["where"]
    assert found[name]["type"] == KINDS[name]
