"""The command line on a real corpus: index, search (text, JSON, JSON Lines), status, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_search.core.indexer import Progress
from desktop_search.core.scanner import scan
from tests.helpers import CORPUS, RUST_BOOK, manifest, run_cli

QUERIES = {
    "what happens when the program panics": "ch09-01-unrecoverable-errors-with-panic.md",
    "sharing data between threads with a mutex": "ch16-03-shared-state.md",
    "installing the compiler on linux": "ch01-01-installation.md",
    "iterate over the items of a collection lazily": "ch13-02-iterators.md",
}


@pytest.mark.parametrize("query, expected", QUERIES.items())
def test_natural_language_queries_find_the_right_chapter(rust_book_index, query, expected):
    hits = json.loads(run_cli("search", query, "--json", data_dir=rust_book_index).stdout)
    assert Path(hits[0]["path"]).name == expected


def test_json_hits_have_the_documented_shape(rust_book_index):
    hits = json.loads(
        run_cli(
            "search", "how do I read a file into a string", "--json", "--limit", "4", data_dir=rust_book_index
        ).stdout
    )
    assert 1 <= len(hits) <= 4
    assert "ch12-02-reading-a-file.md" in [Path(h["path"]).name for h in hits[:2]]
    for hit in hits:
        assert Path(hit["path"]).is_absolute() and Path(hit["path"]).exists()
        assert hit["page"] is None  # Markdown has no pages
        assert isinstance(hit["score"], float) and hit["snippet"].strip()
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert len({h["path"] for h in hits}) == len(hits), "one row per file"


def test_identifiers_and_phrases_and_exclusions(rust_book_index):
    def names(*args):
        return [
            Path(h["path"]).name
            for h in json.loads(run_cli("search", *args, "--json", data_dir=rust_book_index).stdout)
        ]

    assert names("RefCell")[0] == "ch15-05-interior-mutability.md"
    with_phrase = json.loads(
        run_cli("search", '"interior mutability"', "--json", data_dir=rust_book_index).stdout
    )
    assert with_phrase and all("interior mutability" in h["snippet"].lower() for h in with_phrase)
    excluded = names("smart pointers -RefCell", "--limit", "20")
    assert len(excluded) >= 5 and "ch15-02-deref.md" in excluded
    for name in excluded:
        assert "refcell" not in (RUST_BOOK / name).read_text(encoding="utf-8").lower(), name


def test_gibberish_gets_no_close_matches_not_ten_random_files(rust_book_index):
    text = run_cli("search", "qwpoe asdkjh zxmvn", data_dir=rust_book_index).stdout
    assert text.startswith("no close matches")
    assert (
        json.loads(run_cli("search", "qwpoe asdkjh zxmvn", "--json", data_dir=rust_book_index).stdout) == []
    )
    nearest = json.loads(
        run_cli("search", "qwpoe asdkjh zxmvn", "--json", "--nearest", data_dir=rust_book_index).stdout
    )
    assert nearest and not any(hit["close"] for hit in nearest)
    found = json.loads(run_cli("search", "borrowing rules", "--json", data_dir=rust_book_index).stdout)
    assert found[0]["close"]


def test_queries_file_prints_json_lines(rust_book_index, tmp_path):
    queries = tmp_path / "queries.txt"
    queries.write_text("\n".join(QUERIES) + "\n", encoding="utf-8")
    lines = run_cli(
        "search", "--queries", str(queries), "--limit", "3", data_dir=rust_book_index
    ).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["query"] for r in records] == list(QUERIES)
    for record, expected in zip(records, QUERIES.values()):
        assert Path(record["hits"][0]["path"]).name == expected
    from_stdin = run_cli("search", "--queries", "-", data_dir=rust_book_index, input="RefCell\n").stdout
    assert json.loads(from_stdin)["hits"] and json.loads(from_stdin)["close"]


def test_status_lists_every_file(rust_book_index):
    files = json.loads(run_cli("status", "--json", data_dir=rust_book_index).stdout)["files"]
    assert len(files) == len(list(RUST_BOOK.glob("*.md")))
    assert all(f["status"] == "indexed" and f["passages"] > 0 and f["reason"] is None for f in files)
    assert all(f["vectors"] == "stored" for f in files)  # fully searchable by meaning
    totals = json.loads(run_cli("status", "--json", data_dir=rust_book_index).stdout)["totals"]
    assert totals["files"] == totals["indexed"] == len(files)
    assert totals["passages"] == sum(f["passages"] for f in files)
    assert totals["passages_waiting_for_vectors"] == 0 and totals["searchable_by_meaning"] is True
    text = run_cli("status", data_dir=rust_book_index).stdout
    assert f"indexed {len(files)}" in text and str(RUST_BOOK) in text


def test_second_index_run_changes_nothing(rust_book_index):
    chapters = len(list(RUST_BOOK.glob("*.md")))
    output = run_cli("index", data_dir=rust_book_index).stdout
    assert "indexed 0 files" in output and f"unchanged {chapters}" in output and "embedded 0" in output


def test_similar_lists_a_chapters_siblings_as_search_does(rust_book_index, tmp_path):
    chapter = RUST_BOOK / "ch15-04-rc.md"
    text = run_cli("similar", str(chapter), "--limit", "3", data_dir=rust_book_index).stdout
    lines = text.splitlines()
    assert len(lines) == 6 and lines[0].startswith(" 1. ") and " 3. " in lines[4]
    assert str(chapter) not in text
    assert "ch15-" in lines[0]
    hits = json.loads(
        run_cli("similar", str(chapter), "--json", "--passages", "2", data_dir=rust_book_index).stdout
    )
    assert len(hits) == 10 and all(Path(h["path"]).exists() and h["close"] for h in hits)
    assert Path(hits[0]["path"]).name.startswith("ch15-")
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert all(h["snippet"].strip() and 1 <= len(h["passages"]) <= 2 for h in hits)
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)) * 64)
    for path, reason in [(tmp_path / "gone.md", "no such file"), (blob, "not a supported file type")]:
        refused = run_cli("similar", str(path), data_dir=rust_book_index, check=False)
        assert refused.returncode == 2 and reason in refused.stderr and not refused.stdout


def test_unusable_arguments_and_data_dirs_exit_non_zero(tmp_path):
    assert run_cli("search", data_dir=tmp_path / "d", check=False).returncode == 2
    missing = run_cli("index", str(tmp_path / "nowhere"), data_dir=tmp_path / "d", check=False)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    unusable = run_cli("status", data_dir=blocker / "data", check=False)
    assert unusable.returncode == 3
    assert len(unusable.stderr.strip().splitlines()) == 1 and "data directory" in unusable.stderr


def expected_statuses() -> dict[str, set[str]]:
    """Manifest outcome -> the statuses we accept, for every PDF and DOCX in the corpus."""
    pdf = {
        "TEXT": {"indexed"},
        "TEXT(repaired)": {"indexed"},
        "NO_TEXT": {"no text"},
        "NO_TEXT(repaired)": {"no text"},
        "NEEDS_PASSWORD": {"password"},
        "ZERO_PAGES": {"error"},
        "OPEN_FAIL": {"error"},
        "PAGE_ERRORS": {"error", "indexed"},
    }
    docx = {
        "good": {"indexed"},
        "notext": {"no text", "indexed"},
        "encrypted": {"password"},
        "broken": {"error", "unsupported", "no text", "indexed"},
    }
    expected: dict[str, set[str]] = {}
    for row in manifest(CORPUS / "pdf"):
        expected[str(CORPUS / "pdf" / row["file"])] = pdf[row["pymupdf_outcome"]]
        if row["category"] == "scanned":  # image pages are read by OCR
            expected[str(CORPUS / "pdf" / row["file"])] = {"indexed", "no text"}
    for row in manifest(CORPUS / "docx"):
        expected[str(CORPUS / "docx" / row["file"])] = docx[row["category"]]
    expected[str(CORPUS / "pdf" / "broken" / "derived_html_saved_as.pdf")] = {"indexed"}
    for family in FAMILIES:
        for row in manifest(CORPUS / family):
            expected[str(CORPUS / family / row["file"])] = family_statuses(family, row)
    return expected


# The newer families' manifests: (category, the reference library's outcome) -> what fits. Our
# readers may read what the reference could not (a damaged file repaired, a misnamed file read by
# its content); the per-family tests (tests/core/test_extract_*.py) check each file more closely.
FAMILIES = (
    "office/pptx",
    "office/xlsx",
    "office/odf",
    "office/legacy",
    "ebook/epub",
    "rtf",
    "email",
    "images",
)
DAMAGED = {"error", "unsupported", "no text", "indexed", "password"}


def family_statuses(family: str, row: dict[str, str]) -> set[str]:
    category, outcome = row["category"], row["reference_outcome"]
    if family == "images":  # OCR is off in the tests: a picture is found by name only
        return {"no text"}
    if outcome == "NEEDS_PASSWORD":
        return {"password"}
    if category in ("broken", "malformed") or outcome == "OPEN_FAIL":
        return DAMAGED
    if outcome == "NO_TEXT":
        return {"no text", "indexed"}  # ours may find what the reference missed (notes, mail headers)
    return {"indexed"}


def test_whole_corpus_gets_a_status_for_every_file(services_factory):
    """The indexer's reading pass over all of ../shared/corpus; embedding is left for later."""
    services = services_factory()
    events = services.indexer().run([str(CORPUS)])
    for event in events:
        if isinstance(event, Progress) and event.phase == "embedding":
            events.close()
            break
    records = {f.path: f for f in services.store.catalog.files()}
    assert set(records) == {found.path for found in scan(str(CORPUS))}
    for path, accepted in expected_statuses().items():
        assert records[path].status in accepted, (path, records[path].status, records[path].reason)
        if records[path].status != "indexed":
            assert records[path].reason
    text_files = {found.path for found in scan(str(CORPUS / "text"))}
    assert text_files and all(records[p].status == "indexed" for p in text_files)
