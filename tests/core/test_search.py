"""Hybrid search on real chapters: identifiers first, phrases exact, filters before top-k."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from desktop_search.core.filters import Filters
from desktop_search.core.snippets import snippet_of
from tests.helpers import CORPUS, RUST_BOOK, copy_files

IDENTIFIERS = {
    "ch16-03-shared-state.md": "If the peer hangs up, the read fails with ERR_CONNECTION_RESET and we retry.",
    "ch14-02-publishing-to-crates-io.md": "On R, point R_LIBS_USER at a private library before installing.",
    "ch12-02-reading-a-file.md": "To plot the timings, run gnuplot and type set logscale y first.",
}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    from desktop_search.services import Services

    root = tmp_path_factory.mktemp("search")
    book = root / "book"
    copy_files(sorted(RUST_BOOK.glob("ch1[2-4]-0*.md")), book)
    # Folders below the added one; the second's name starts with the first's.
    copy_files(sorted(RUST_BOOK.glob("ch16-0*.md")), book / "concurrency")
    copy_files(sorted(RUST_BOOK.glob("ch15-0*.md")), book / "concurrency-pointers")
    for name, sentence in IDENTIFIERS.items():
        path = next(book.rglob(name))
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")
        paragraphs.insert(len(paragraphs) // 2, sentence)  # buried mid-chapter
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    pdfs = root / "pdfs"
    copy_files(
        [
            CORPUS / "pdf" / "good" / "debian__liboctave.pdf",
            CORPUS / "pdf" / "good" / "samplefiles__pdflatex-4-pages.pdf",
        ],
        pdfs,
    )
    services = Services.open(str(root / "data"))
    for _ in services.indexer().run([str(book), str(pdfs)]):
        pass
    yield services, book, pdfs
    services.close()


@pytest.mark.parametrize(
    "query, name",
    [
        ("ERR_CONNECTION_RESET", "ch16-03-shared-state.md"),
        ("R_LIBS_USER", "ch14-02-publishing-to-crates-io.md"),
        ("set logscale", "ch12-02-reading-a-file.md"),
    ],
)
def test_identifiers_find_their_passage_first(indexed, query, name):
    services, _, _ = indexed
    best = services.searcher().search(query, 5)[0]
    assert best.path.endswith(name)
    assert query.split()[-1] in best.best.text
    assert best.best.highlights, "the matched words are marked"


def test_quoted_phrase_must_match_exactly(indexed):
    services, _, _ = indexed
    hits = services.searcher().search('"shared state concurrency"', 10)
    assert hits
    for hit in hits:
        for passage in hit.passages:  # as the keyword index sees words: no case, no punctuation
            assert "shared state concurrency" in " ".join(
                re.sub(r"[\W_]+", " ", passage.text.lower()).split()
            )


def test_filters_apply_before_top_k(indexed):
    services, book, _ = indexed
    searcher = services.searcher()
    only_pdf = searcher.search("how to read a file", 5, Filters(kinds=("pdf",)))
    assert only_pdf and all(hit.kind == "pdf" for hit in only_pdf)
    assert only_pdf[0].best.page is not None
    only_book = searcher.search("octave matrix", 5, Filters(folders=(str(book),)))
    assert only_book and all(hit.folder == str(book) for hit in only_book)
    future = searcher.search("threads", 5, Filters(modified_after=time.time() + 3600))
    assert future == []
    oldest = min(path.stat().st_mtime for path in book.rglob("*.md"))
    since = searcher.search("threads", 5, Filters(modified_after=oldest))
    assert since and all(hit.mtime >= oldest for hit in since)


@pytest.mark.parametrize("mode", ["hybrid", "vector", "keyword"])
def test_a_folder_below_an_added_folder_filters_to_its_files(indexed, mode):
    services, book, _ = indexed
    searcher = services.searcher()
    query = "reference counting with Rc and interior mutability with RefCell"
    unfiltered = searcher.search(query, 10, mode=mode)
    assert any(Path(hit.path).parent.name == "concurrency-pointers" for hit in unfiltered)
    sub = book / "concurrency"
    hits = searcher.search(query, 10, Filters(folders=(str(sub),)), mode)
    assert hits, "the chapter on shared state mentions Rc and RefCell"
    assert all(Path(hit.path).parent == sub for hit in hits)


def test_a_pdf_hit_carries_its_page(indexed):
    services, _, _ = indexed
    hit = services.searcher().search("liboctave array class dimension vector", 3, Filters(kinds=("pdf",)))[0]
    assert hit.path.endswith("debian__liboctave.pdf")
    assert 1 <= hit.best.page <= 57


def test_snippet_marks_and_trims():
    snippet, spans = snippet_of("First sentence here. The \x02borrow\x03 checker runs.\nThird line.")
    assert snippet.startswith("The borrow checker runs.")
    assert [snippet[s:e] for s, e in spans] == ["borrow"]
    long, _ = snippet_of("word " * 200)
    assert len(long) <= 281 and long.endswith("…")


def test_files_are_found_by_name_and_lose_it_when_renamed(tmp_path):
    """As in every desktop search: a file whose name has the words comes up, even when its text
    does not; after a rename only the new name finds it."""
    from desktop_search.services import Services

    pages = sorted((CORPUS / "text" / "tldr" / "pages" / "common").glob("a*.md"))[:12]
    folder = tmp_path / "notes"
    copy_files(pages, folder)
    (folder / "minutes").mkdir()
    renamed = folder / "minutes" / "quarterly-budget-meeting.md"
    (folder / pages[0].name).rename(renamed)
    assert "budget" not in renamed.read_text(encoding="utf-8").lower()
    services = Services.open(str(tmp_path / "data"))
    try:
        for _ in services.indexer().run([str(folder)]):
            pass
        searcher = services.searcher()
        assert searcher.search("quarterly budget", 3)[0].path == str(renamed)
        assert searcher.search("minutes", 3)[0].path == str(renamed)  # its folder below the added one

        moved = folder / "archived-notes.md"
        renamed.rename(moved)
        for _ in services.indexer().run():
            pass
        assert str(renamed) not in [hit.path for hit in searcher.search("quarterly budget", 10)]
        assert searcher.search("archived notes", 3)[0].path == str(moved)
    finally:
        services.close()


def test_past_the_ranking_budget_common_words_rank_only_beside_the_rare_ones(indexed, monkeypatch):
    """On a large library FTS5 would rank every passage holding a common word: past the budget
    the commonest words count only in passages holding every word, the rare word still ranks."""
    from desktop_search.core import first_stage
    from desktop_search.core.query import parse

    services, _, _ = indexed
    searcher = services.searcher()
    query = parse("gnuplot thread")
    rows = searcher.first.retrieval.passage_rows

    def texts(budget: int) -> list[str]:
        monkeypatch.setattr(first_stage, "RANK_BUDGET", budget)
        ids = [passage_id for passage_id, _ in searcher.first.content_keyword(query, Filters(), 100)]
        return [row.text.lower() for row in rows(ids)]

    everything = texts(1_000_000)
    assert any("gnuplot" not in text for text in everything), "within the budget, either word ranks"
    lean = texts(5)
    assert lean and all("gnuplot" in text for text in lean), "past it, only beside the rare word"
    assert searcher.search("gnuplot thread", 5)[0].path.endswith("ch12-02-reading-a-file.md")
