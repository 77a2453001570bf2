"""Filters typed in the query (type:, in:, name:, modified:, after:, before:) and the result
orders, on real files whose dates are set with os.utime."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from desktop_search.core.filters import Filters
from tests.helpers import CORPUS, RUST_BOOK, copy_files

MAIL = CORPUS / "email" / "mail__basic_email.eml"  # Date: 2008-11-22


def _dated(path: Path, when: datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


@pytest.fixture
def library(tmp_path, services_factory):
    """lib/box.md (2023-06-10), lib/reports/drop.md (2024-03-05),
    lib/reports/2024/concurrency.md (2024-03-20), lib/notes/threads.md (today),
    lib/notes/lorem.docx (2024-07-01), lib/mail/basic.eml (file 2024-05-01, Date: 2008)."""
    lib = tmp_path / "lib"
    files = {
        "box.md": (RUST_BOOK / "ch15-01-box.md", lib, datetime(2023, 6, 10, 12)),
        "drop.md": (RUST_BOOK / "ch15-03-drop.md", lib / "reports", datetime(2024, 3, 5, 12)),
        "concurrency.md": (
            RUST_BOOK / "ch16-00-concurrency.md",
            lib / "reports" / "2024",
            datetime(2024, 3, 20, 12),
        ),
        "threads.md": (RUST_BOOK / "ch16-01-threads.md", lib / "notes", datetime.now()),
        "lorem.docx": (
            CORPUS / "docx" / "good" / "poi__heading123.docx",
            lib / "notes",
            datetime(2024, 7, 1),
        ),
        "basic.eml": (MAIL, lib / "mail", datetime(2024, 5, 1, 12)),
    }
    for name, (source, folder, when) in files.items():
        folder.mkdir(parents=True, exist_ok=True)
        (copied,) = copy_files([source], folder)
        copied = copied.rename(folder / name)
        _dated(copied, when)
    services = services_factory()
    list(services.indexer().run([str(lib)]))
    return lib, services.searcher(), services


def names(hits) -> list[str]:
    return [Path(hit.path).name for hit in hits]


@pytest.mark.parametrize("mode", ["keyword", "hybrid"])
def test_modified_after_and_before_narrow_by_date(library, mode):
    _, searcher, _ = library

    def found(query: str) -> set[str]:  # the chapters (hybrid also lists far matches: the docx)
        return {name for name in names(searcher.search(query, 20, mode=mode)) if name.endswith(".md")}

    assert found("rust modified:2024-03") == {"drop.md", "concurrency.md"}
    assert found("rust modified:2024-03-20") == {"concurrency.md"}
    assert found("rust modified:2023") == {"box.md"}
    assert found("rust after:2024-03-06 before:2024-12-31") == {"concurrency.md"}
    assert found("rust before:2024-03-05") == {"box.md", "drop.md"}  # both days are included
    assert found("rust modified:today") == {"threads.md"}
    assert found("rust modified:lastweek") == {"threads.md"}
    assert found("rust modified:lastyear") >= {"threads.md"}
    assert found("rust modified:yesterday") == set()
    assert names(searcher.search("lorem modified:2024-07", 5, mode=mode))[:1] == ["lorem.docx"]
    assert "lorem.docx" not in names(searcher.search("lorem modified:2024-06", 5, mode=mode))


def test_a_mail_is_dated_by_its_date_header(library):
    _, searcher, _ = library
    assert names(searcher.search("email modified:2008", 5, mode="keyword")) == ["basic.eml"]
    assert searcher.search("email modified:2024-05", 5, mode="keyword") == []  # its file's date
    assert names(searcher.search("email before:2010-01-01", 5, mode="vector")) == ["basic.eml"]


def test_in_finds_a_folder_by_name_at_any_depth_or_by_path(library):
    lib, searcher, _ = library
    assert set(names(searcher.search("rust in:reports", 20))) == {"drop.md", "concurrency.md"}
    assert set(names(searcher.search("rust in:Reports", 20, mode="vector"))) == {"drop.md", "concurrency.md"}
    assert names(searcher.search("rust in:2024", 20)) == ["concurrency.md"]
    assert set(names(searcher.search("rust in:lib", 20))) >= {"box.md", "threads.md"}  # the added one
    assert names(searcher.search(f"rust in:{lib / 'notes'}", 20, mode="keyword")) == ["threads.md"]
    assert searcher.search("rust in:nowhere", 20) == []
    # typed and chosen filters both hold
    chosen = Filters(folders=(str(lib / "reports"),))
    assert names(searcher.search("rust in:2024", 20, chosen)) == ["concurrency.md"]
    assert searcher.search(f"rust in:{lib / 'notes'}", 20, chosen) == []


def test_type_and_name(library):
    _, searcher, _ = library
    assert names(searcher.search("lorem type:word", 5, mode="keyword")) == ["lorem.docx"]
    assert names(searcher.search("lorem type:docx", 5, mode="keyword")) == ["lorem.docx"]
    assert searcher.search("lorem type:text", 5, mode="keyword") == []
    assert "lorem.docx" not in names(searcher.search("rust type:text", 20))
    assert searcher.search("rust type:pdf", 20) == []
    assert searcher.search("lorem type:word", 5, Filters(kinds=("pdf",)), mode="keyword") == []
    assert names(searcher.search("rust name:concur", 20)) == ["concurrency.md"]
    assert names(searcher.search("rust name:CONCURRENCY", 20, mode="vector")) == ["concurrency.md"]


def test_unknown_keys_are_searched_as_text(library):
    _, searcher, _ = library
    # not filters: "note:x" and "type:nonsense" stay words of the query, and the others still find
    assert "threads.md" in names(searcher.search("note:x spawn", 5, mode="keyword"))
    assert "threads.md" in names(searcher.search("type:nonsense spawn", 5, mode="keyword"))
    assert "threads.md" in names(searcher.search("C:\\path spawn modified:2024-13", 5, mode="keyword"))


def test_sort_by_date_and_name_reorders_what_was_found(library):
    _, searcher, _ = library
    relevant = searcher.search("rust", 4)
    by_date = searcher.search("rust", 4, sort="date")
    by_name = searcher.search("rust", 4, sort="name")
    assert len(relevant) == 4 and all(hit.close for hit in relevant)
    assert set(names(by_date)) == set(names(relevant)) == set(names(by_name))  # the same files
    assert [h.mtime for h in by_date] == sorted((h.mtime for h in relevant), reverse=True)
    assert names(by_name) == sorted(names(relevant), key=str.casefold)
    assert names(by_date) != names(by_name)
    with pytest.raises(ValueError):
        searcher.search("rust", 4, sort="size")


def test_a_touched_file_is_found_by_its_new_date_in_every_index(library):
    lib, searcher, services = library
    _dated(lib / "box.md", datetime(2020, 2, 2, 12))  # same bytes, new date: not read again
    list(services.indexer().run([str(lib)]))
    for mode in ("keyword", "vector"):
        assert names(searcher.search("rust modified:2020", 5, mode=mode)) == ["box.md"], mode
        assert searcher.search("rust modified:2023 name:box", 5, mode=mode) == [], mode
