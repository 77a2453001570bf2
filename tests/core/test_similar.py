"""Files like this one, on the real Rust book: siblings first, the file and its copies left out,
a file outside the index compared without being added, refusals with their reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop_search.core.similar import NotComparable
from desktop_search.services import Services
from tests.helpers import RUST_BOOK, copy_files, run


def _chapter(path: str) -> str:
    return Path(path).name[:4]  # "ch15"


@pytest.fixture
def book(rust_book_index: Path, tmp_path: Path):
    # One process owns a data directory: this test's copy of the session's index.
    data = tmp_path / "book"
    shutil.copytree(rust_book_index, data)
    services = Services.open(str(data))
    yield services
    services.close()


@pytest.mark.parametrize(
    "name",
    [
        "ch15-04-rc.md",
        "ch09-00-error-handling.md",
        "ch16-03-shared-state.md",
        "ch17-02-concurrency-with-async.md",
    ],
)
def test_a_chapters_siblings_come_first(book, name):
    hits = book.similar().similar(str(RUST_BOOK / name), limit=5)
    chapters = [_chapter(hit.path) for hit in hits]
    assert len(hits) == 5 and str(RUST_BOOK / name) not in [hit.path for hit in hits]
    # Most of the five are the chapter's own sections, one of them first or second (a chapter
    # on the same subject elsewhere in the book may come between).
    assert chapters.count(name[:4]) >= 3 and name[:4] in chapters[:2], chapters
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    for hit in hits:
        assert hit.close and hit.passages
        # Each passage shown is the neighbour's own text, best first.
        text = Path(hit.path).read_text(encoding="utf-8")
        assert all(p.text == text[p.start : p.end] for p in hit.passages)
        assert hit.best.snippet.split()[0] in hit.best.text
        assert [p.score for p in hit.passages] == sorted((p.score for p in hit.passages), reverse=True)


def test_the_file_and_its_exact_copies_are_left_out(services_factory, tmp_path):
    folder = tmp_path / "docs"
    names = ["ch09-00-error-handling.md", "ch09-01-unrecoverable-errors-with-panic.md"]
    names += ["ch09-02-recoverable-errors-with-result.md", "ch15-01-box.md", "ch03-05-control-flow.md"]
    copy_files([RUST_BOOK / name for name in names], folder)
    source = RUST_BOOK / "ch09-03-to-panic-or-not-to-panic.md"
    copies = [folder / "mine.md", folder / "copies" / "again.md"]
    for copy in copies:
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(source, copy)
    services = services_factory()
    run(services, [str(folder)])
    hits = services.similar().similar(str(copies[0]), limit=10)
    found = [Path(hit.path).name for hit in hits]
    assert "mine.md" not in found and "again.md" not in found
    assert len(found) == len(names)
    assert _chapter(found[0]) == "ch09" and _chapter(found[1]) == "ch09"

    # A neighbour's own copies are one result listing them all, as in search.
    shutil.copy(folder / names[1], folder / "copies" / "panic-again.md")
    run(services, [str(folder)])
    hits = services.similar().similar(str(copies[0]), limit=10)
    copied = [hit for hit in hits if Path(hit.path).name in (names[1], "panic-again.md")]
    assert len(hits) == len(names) and len(copied) == 1
    assert sorted(Path(path).name for path in copied[0].copies) == sorted([names[1], "panic-again.md"])


def test_a_file_outside_the_index_is_compared_but_not_added(book, tmp_path):
    catalog = book.store.catalog
    outside = tmp_path / "notes.md"  # the bytes of an indexed chapter: that copy is left out too
    shutil.copy(RUST_BOOK / "ch16-03-shared-state.md", outside)
    passages, vectors = catalog.passage_count(), book.store.vector_store.count()
    hits = book.similar().similar(str(outside), limit=3)
    found = [Path(hit.path).name for hit in hits]
    assert "ch16-03-shared-state.md" not in found
    assert [_chapter(name) for name in found[:2]] == ["ch16", "ch16"], found
    assert catalog.file(str(outside)) is None
    assert (catalog.passage_count(), book.store.vector_store.count()) == (passages, vectors)


def test_what_cannot_be_compared_is_refused_with_its_reason(book, tmp_path):
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    similar = book.similar()
    for path, reason in [
        (tmp_path / "gone.md", "no such file"),
        (tmp_path, "not a file"),
        (binary, "not a supported file type"),
    ]:
        with pytest.raises(NotComparable, match=reason):
            similar.similar(str(path))
