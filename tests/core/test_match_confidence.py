""" "No close matches" on a real index: gibberish and off-topic queries are not close, a phrase
from a file is."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_search.core.filters import Filters
from desktop_search.core.match_confidence import CLOSE_SIMILARITY, is_close, word_coverage
from desktop_search.core.query import parse
from desktop_search.core.search import CANDIDATES
from tests.helpers import CORPUS, RUST_BOOK, copy_files, run

FILES = [
    RUST_BOOK / "ch04-01-what-is-ownership.md",
    RUST_BOOK / "ch16-02-message-passing.md",
    CORPUS / "text" / "tldr" / "pages" / "linux" / "lsblk.md",
    CORPUS / "docx" / "good" / "poi__52288.docx",
    CORPUS / "office" / "xlsx" / "good" / "poi__simple-monthly-budget.xlsx",
    CORPUS / "rtf" / "pandoc__footnote.rtf",
]


@pytest.fixture
def searcher(services_factory: Any, tmp_path: Any) -> Any:
    copy_files(FILES, tmp_path / "files")
    services = services_factory()
    run(services, [str(tmp_path / "files")])
    return services.searcher()


def closeness(searcher: Any, text: str) -> tuple[float, float]:
    """(best cosine, word coverage) of a query, from the lists a search ranks."""
    query = parse(text)
    vector = searcher.embedder.embed([query.semantic_text])[0]
    hits = searcher.vector_store.query(vector, CANDIDATES)
    ranked = searcher.ranked_lists(query, Filters(), CANDIDATES)
    candidates = [passage_id for ids in ranked.values() for passage_id in ids]
    return hits[0].similarity, word_coverage(searcher.retrieval, query.content_words(), candidates)


@pytest.mark.parametrize(
    "text",
    [
        "asdkjh qwpoe",  # keyboard mash
        "blorf zangle mip",  # random syllables
        "wrod tpyo misplled sentnce heer",  # typo soup
        "chocolate chip cookie recipe",  # off-topic
        "Wimbledon tennis champion",  # off-topic
    ],
)
def test_gibberish_and_off_topic_queries_are_not_close(searcher: Any, text: str) -> None:
    similarity, coverage = closeness(searcher, text)
    assert searcher.search(text), "the index still lists its nearest passages"
    assert not is_close(similarity, coverage), (text, similarity, coverage)


@pytest.mark.parametrize(
    "text",
    [
        "Certain infectious and parasitic diseases",  # the docx's sample phrase
        "SIMPLE MONTHLY BUDGET",  # the workbook's
        "how do I list the disks and block devices on linux",  # lsblk, in a user's words
        "send values between threads over a channel",  # the Rust book chapter
        "ownership",  # one word
    ],
)
def test_queries_with_an_answer_are_close(searcher: Any, text: str) -> None:
    similarity, coverage = closeness(searcher, text)
    assert is_close(similarity, coverage), (text, similarity, coverage)


def test_coverage_is_the_share_of_words_one_passage_holds(searcher: Any) -> None:
    query = parse("lsblk ownership zorgulon")  # two words of different files, one of none
    ids = [i for ids in searcher.ranked_lists(query, Filters(), CANDIDATES).values() for i in ids]
    assert word_coverage(searcher.retrieval, query.content_words(), ids) == pytest.approx(1 / 3)
    assert word_coverage(searcher.retrieval, ["ownership", "owner"], ids) == 1.0  # stemmed alike
    assert word_coverage(searcher.retrieval, ["zorgulon"], ids) == 0.0
    assert word_coverage(searcher.retrieval, query.content_words(), []) == 0.0


def test_without_a_vector_index_only_the_words_decide() -> None:
    assert is_close(None, 1.0)
    assert not is_close(None, 0.0)
    assert is_close(CLOSE_SIMILARITY, 0.0)
