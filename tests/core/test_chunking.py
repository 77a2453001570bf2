"""Passages fit the model, cut at sentence ends, keep page and character span."""

from __future__ import annotations

import itertools

from desktop_search.core import extract
from desktop_search.core.chunking import MAX_TOKENS, chunk
from tests.helpers import CORPUS, RUST_BOOK, pdf_pages


def token_count(counter, text: str) -> int:
    return len(counter.encode(text).ids)  # with [CLS] and [SEP]


def test_real_files_give_passages_that_fit_and_point_back(counter):
    files = [
        RUST_BOOK / "ch04-01-what-is-ownership.md",
        CORPUS / "pdf" / "good" / "debian__liboctave.pdf",
        CORPUS / "docx" / "good" / "converted__Bug50955.docx",  # 517k characters of Cyrillic
        CORPUS / "text" / "gutenberg",
    ]
    paths = [p for f in files for p in (sorted(f.iterdir()) if f.is_dir() else [f])]
    for path in paths:
        _, pages = extract.extract(path)
        by_number = {page.number: page.text for page in pages}
        passages = chunk(pages, counter)
        assert passages, path
        assert [p.seq for p in passages] == list(range(len(passages)))
        for passage in passages:
            assert token_count(counter, passage.text) <= MAX_TOKENS
            assert by_number[passage.page][passage.start : passage.end] == passage.text
        covered = sum(len(p.text.split()) for p in passages)
        total = sum(len(page.text.split()) for page in pages)
        assert covered >= total, "no word may be lost between passages"


def test_pdf_passages_carry_their_page(counter):
    path = CORPUS / "pdf" / "good" / "samplefiles__pdflatex-4-pages.pdf"
    _, pages = extract.extract(path)
    assert sorted({p.page for p in chunk(pages, counter)}) == pdf_pages(path)


def test_cuts_fall_on_sentence_ends_with_modest_overlap(counter):
    sentences = [f"Sentence number {i} talks about topic {i} in a few plain words." for i in range(120)]
    text = " ".join(sentences)
    passages = chunk([extract.Page(None, text)], counter)
    assert len(passages) > 3
    for passage in passages:
        assert passage.text.startswith("Sentence number") and passage.text.endswith("words.")
    overlaps = [a.end - b.start for a, b in itertools.pairwise(passages)]
    assert all(0 < overlap <= 80 for overlap in overlaps), overlaps


def test_paragraphs_are_kept_whole_when_they_fit(counter):
    paragraph = "A short paragraph about gardening and the soil it needs. " * 6
    text = "\n\n".join(f"{i}. {paragraph.strip()}" for i in range(8))
    passages = chunk([extract.Page(None, text)], counter)
    for passage in passages:
        assert passage.text[0].isdigit(), "each passage starts at a paragraph"


def test_one_huge_word_is_cut_inside(counter):
    text = "x" * 5000 + " tail words"
    passages = chunk([extract.Page(None, text)], counter)
    assert all(token_count(counter, p.text) <= MAX_TOKENS for p in passages)
    assert "tail words" in passages[-1].text
