"""When to say "no close matches", on a real index: gibberish and off-topic queries are not
close; a file's own phrase, or its subject in other words, is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from desktop_search.core.filters import Filters
from desktop_search.core.match_confidence import CLOSE_COVERAGE, CLOSE_SIMILARITY, coverage_terms, is_close
from desktop_search.core.query import parse
from desktop_search.core.rescoring import Coverage
from desktop_search.core.search import CANDIDATES
from tests.helpers import CORPUS, RUST_BOOK, copy_files, run

FILES = [
    RUST_BOOK / "ch04-01-what-is-ownership.md",
    RUST_BOOK / "ch16-02-message-passing.md",
    CORPUS / "text" / "tldr" / "pages" / "linux" / "lsblk.md",
    CORPUS / "docx" / "good" / "poi__52288.docx",
    CORPUS / "office" / "xlsx" / "good" / "poi__simple-monthly-budget.xlsx",
    CORPUS / "rtf" / "pandoc__footnote.rtf",
    CORPUS / "text" / "gutenberg" / "pg11.txt",  # Alice in Wonderland
    CORPUS / "pdf" / "good" / "pymupdf__test_natural.pdf",  # a restaurant's menu, in Spanish
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from desktop_search.services import Services

    root = tmp_path_factory.mktemp("match-confidence")
    copy_files(FILES, root / "files")
    services = Services.open(str(root / "data"))
    run(services, [str(root / "files")])
    yield services.searcher()
    services.close()


def closeness(searcher: Any, text: str) -> tuple[float, float]:
    """(best cosine, word coverage) of a query, from the lists a search ranks."""
    query = parse(text)
    vector = searcher.embedder.embed([query.semantic_text])[0]
    hits = searcher.vector_store.query(vector, CANDIDATES)
    ranked = searcher.ranked_lists(query, Filters(), CANDIDATES)
    candidates = [passage_id for ids in ranked.values() for passage_id in ids]
    return hits[0].similarity, word_coverage(searcher, coverage_terms(query), candidates)


def word_coverage(searcher: Any, terms: list[str], ids: list[int]) -> float:
    """The largest share of the terms one of these passages holds."""
    held = Coverage(terms)
    return max((held(row.text) for row in searcher.retrieval.passage_rows(ids)), default=0.0)


@pytest.mark.parametrize(
    "text",
    [
        "asdkjh qwpoe",  # keyboard mash
        "blorf zangle mip",  # random syllables
        "wrod tpyo misplled sentnce heer",  # typo soup
        "chocolate chip cookie recipe",  # off-topic; the menu has a chocolate cake
        "how to train a puppy to sit",  # off-topic; Alice meets a puppy
        "Wimbledon tennis champion",  # off-topic
    ],
)
def test_gibberish_and_off_topic_queries_are_not_close(searcher: Any, text: str) -> None:
    similarity, coverage = closeness(searcher, text)
    hits = searcher.search(text)
    assert hits, "the index still lists its nearest passages"
    assert not is_close(similarity, coverage), (text, similarity, coverage)
    assert not any(hit.close for hit in hits)  # what the window and the CLI see


@pytest.mark.parametrize(
    "text",
    [
        "Certain infectious and parasitic diseases",  # the docx's sample phrase
        "SIMPLE MONTHLY BUDGET",  # the workbook's
        "how do I list the disks and block devices on linux",  # lsblk, in a user's words
        "send values between threads over a channel",  # the Rust book chapter
        "ownership",  # one word
        "Mad Hatter tea party",  # Alice
        "restaurant menu with prices",  # the menu, in other words and language
    ],
)
def test_queries_with_an_answer_are_close(searcher: Any, text: str) -> None:
    similarity, coverage = closeness(searcher, text)
    assert is_close(similarity, coverage), (text, similarity, coverage)
    assert searcher.search(text)[0].close


def test_coverage_is_the_share_of_words_one_passage_holds(searcher: Any) -> None:
    query = parse("lsblk ownership zorgulon")  # two words of different files, one of none
    ids = [i for ids in searcher.ranked_lists(query, Filters(), CANDIDATES).values() for i in ids]
    assert word_coverage(searcher, query.content_words(), ids) == pytest.approx(1 / 3)
    assert word_coverage(searcher, ["ownership", "owner"], ids) == 1.0  # stemmed alike
    assert word_coverage(searcher, ["zorgulon"], ids) == 0.0
    assert word_coverage(searcher, query.content_words(), []) == 0.0


def test_phrases_count_as_one_term(searcher: Any) -> None:
    query = parse('"parasitic diseases" certain')
    assert coverage_terms(query) == ["certain", "parasitic diseases"]
    ids = [i for ids in searcher.ranked_lists(query, Filters(), CANDIDATES).values() for i in ids]
    assert word_coverage(searcher, coverage_terms(query), ids) == 1.0
    assert word_coverage(searcher, ["diseases parasitic"], ids) == 0.0  # not in that order


def test_without_a_vector_search_only_the_words_decide() -> None:
    assert is_close(None, 1.0)
    assert is_close(None, CLOSE_COVERAGE) and not is_close(None, 0.4)
    assert is_close(CLOSE_SIMILARITY, 0.0)
    assert not is_close(CLOSE_SIMILARITY - 0.01, 0.4)
