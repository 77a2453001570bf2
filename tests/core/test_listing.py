"""A query of filters alone (`modified:2024`, `type:pdf`, `name:o`) lists the files passing them,
newest first or by name, as a file finder does: on real files dated with os.utime."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from desktop_search.core.filters import Filters
from desktop_search.services import Services
from desktop_search.settings import Settings
from tests.helpers import CORPUS, RUST_BOOK, dated_copies

FILES = {  # name -> (corpus file, folder below the added one, modification time)
    "box.md": (RUST_BOOK / "ch15-01-box.md", "", datetime(2023, 6, 10, 12)),
    "drop.md": (RUST_BOOK / "ch15-03-drop.md", "reports", datetime(2024, 3, 5, 12)),
    "camlidl.pdf": (
        CORPUS / "pdf" / "good" / "debian__camlidl-1.04.doc.pdf",
        "reports",
        datetime(2024, 9, 1),
    ),
    "flower.jpg": (CORPUS / "images" / "notext" / "pillow__flower.jpg", "photos", datetime(2024, 11, 2)),
    "threads.md": (RUST_BOOK / "ch16-01-threads.md", "notes", datetime.now()),
    "basic.eml": (CORPUS / "email" / "mail__basic_email.eml", "mail", datetime(2024, 5, 1)),  # Date: 2008
}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("listing")
    lib = root / "lib"
    dated_copies(FILES, lib)
    services = Services.open(Settings.resolve(data_dir=root / "data"))
    list(services.indexer().run([str(lib)]))
    yield lib, services.searcher()
    services.close()


def names(hits) -> list[str]:
    return [Path(hit.path).name for hit in hits]


def test_a_date_alone_lists_the_files_of_that_date_newest_first(library):
    _, searcher = library
    hits = searcher.search("modified:2024", 20)
    # the mail's own date (its Date: header, 2008) counts, not its file's
    assert names(hits) == ["flower.jpg", "camlidl.pdf", "drop.md"]
    assert all(hit.close for hit in hits)
    flower, _, drop = hits
    assert flower.passages and flower.best.text  # no text: still listed, saying why
    assert drop.best.start == 0 and drop.best.snippet.startswith("## Running Code on Cleanup with the `Drop`")
    assert drop.best.highlights == ()
    assert names(searcher.search("modified:2024", 2)) == ["flower.jpg", "camlidl.pdf"]
    assert names(searcher.search("modified:lastyear", 1)) == ["threads.md"]
    assert names(searcher.search("modified:2008", 5, mode="keyword")) == ["basic.eml"]


def test_a_kind_or_a_name_alone_lists_only_those(library):
    _, searcher = library
    assert names(searcher.search("type:pdf", 20)) == ["camlidl.pdf"]
    assert names(searcher.search("type:image", 20)) == ["flower.jpg"]
    assert names(searcher.search("name:o", 20)) == ["flower.jpg", "drop.md", "box.md"]
    assert names(searcher.search("name:o", 20, sort="name")) == ["box.md", "drop.md", "flower.jpg"]
    assert names(searcher.search("in:reports", 20, sort="name")) == ["camlidl.pdf", "drop.md"]


def test_the_other_filters_and_exclusions_narrow_a_listing(library):
    lib, searcher = library
    reports = Filters(folders=(str(lib / "reports"),))
    assert names(searcher.search("modified:2024", 20, reports)) == ["camlidl.pdf", "drop.md"]
    assert names(searcher.search("modified:2024 -trait", 20)) == ["flower.jpg", "camlidl.pdf"]
    assert names(searcher.search("modified:2023 modified:2024", 20)) == []  # no date is both
    assert names(searcher.search("type:pdf", 0)) == []


def test_no_filter_and_no_words_lists_nothing(library):
    _, searcher = library
    assert searcher.search("", 20) == []
    assert searcher.search("  ", 20, Filters(kinds=("pdf",))) == []  # the window's menus alone
    # a -word alone, with no filter, is still a word looked for (an option someone looks up)
    assert "drop.md" in names(searcher.search("-trait", 20, mode="keyword"))
