"""Running headers, footers and page numbers leave PDF pages' text; body lines stay."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest

from desktop_search.core.extract.pdf import extract_pdf
from tests.helpers import CORPUS

MANUALS = CORPUS.parent / "eval" / "manuals" / "docs"


def raw_pages(path: Path) -> list[str]:
    """Each page's text as MuPDF gives it, furniture and all."""
    with pymupdf.open(path) as document:
        return [page.get_text("text").replace("\u00ad", "") for page in document]


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def bashref() -> tuple[list[str], list[str]]:
    path = MANUALS / "bashref.pdf"
    return raw_pages(path), [page.text for page in extract_pdf(path)]


def test_bashref_running_header_and_page_number_are_gone(bashref):
    raw, text = bashref
    assert lines(raw[30])[:3] == [
        "Chapter 3: Basic Shell Features",
        "25",
        "Brace expansions may be nested. The results of each expanded string are not sorted;",
    ]
    assert text[30].startswith("Brace expansions may be nested.")
    header = re.compile(r"(Chapter \d+|Appendix [A-Z]): .+|\d+|[ivx]+")
    stripped = 0
    for before, after in zip(raw, text, strict=True):
        assert before.endswith(after)  # the body, every line of it, is left as it was
        gone = lines(before[: len(before) - len(after)])
        assert all(header.fullmatch(line) for line in gone), gone
        stripped += bool(gone)
    assert stripped >= 0.95 * len(raw)


def test_section_title_beside_a_page_number_goes_with_it():
    raw = raw_pages(MANUALS / "Manual_MrBayes_v3.2.pdf")
    text = extract_pdf(MANUALS / "Manual_MrBayes_v3.2.pdf")[20].text
    assert {"2.2. THOROUGH VERSION", "13", "Parameter"} <= set(lines(raw[20]))
    assert "THOROUGH VERSION" not in text
    assert "13" not in lines(text)
    assert lines(text)[0] == "Parameter"


def test_roman_front_matter_numbers_are_page_numbers():
    pages = extract_pdf(MANUALS / "debian-reference.en.pdf")
    assert "xx" in lines(raw_pages(MANUALS / "debian-reference.en.pdf")[20])
    assert not {"xx", "Debian Reference"} & set(lines(pages[20].text))
    assert "9.10 List of ps command styles" in pages[20].text


def test_lines_repeating_in_the_body_are_kept():
    # "Tip" and "Note" open boxes on many pages, some at the very top of the text
    path = MANUALS / "debian-reference.en.pdf"
    raw, text = raw_pages(path), [page.text for page in extract_pdf(path)]
    for word in ("Tip", "Note", "Caution", "package"):
        before = sum(lines(page).count(word) for page in raw)
        assert before >= 30
        assert sum(lines(page).count(word) for page in text) == before, word


def test_numbered_headings_at_the_top_of_pages_are_kept():
    # glpk has no running header: its pages often start with "2.3.12 glp_set_mat_row — …"
    text = extract_pdf(MANUALS / "glpk.pdf")[21].text
    assert lines(text)[:2] == ["2.3.12", "glp set mat row — set (replace) row of the constraint matrix"]
    assert lines(text)[-1] != "22"  # its page number, at the foot, is gone


def test_a_short_pdf_keeps_everything(tmp_path):
    with pymupdf.open(MANUALS / "bashref.pdf") as manual:
        for count in (3, 6):
            with pymupdf.open() as part:
                part.insert_pdf(manual, from_page=29, to_page=28 + count)
                part.save(tmp_path / f"{count}.pdf")
    raw = raw_pages(tmp_path / "3.pdf")
    assert all(lines(page)[0].startswith("Chapter 3") for page in raw)
    assert [page.text for page in extract_pdf(tmp_path / "3.pdf")] == raw
    longer = extract_pdf(tmp_path / "6.pdf")
    assert not any("Chapter 3: Basic Shell Features" in page.text for page in longer)


def test_corpus_pdf_loses_its_alternating_running_lines():
    path = CORPUS / "pdf" / "good" / "pdfjs__freeculture.pdf"
    raw, pages = raw_pages(path), extract_pdf(path)
    # left pages: "28 FREE CULTURE" and a link; right pages: the chapter and the number
    assert lines(raw[40])[-1] == "“PIRACY” 27"
    assert lines(raw[41])[-2:] == ["28 FREE CULTURE", "<http://free-culture.org/get-it>"]
    assert sum("<http://free-culture.org/get-it>" in lines(page) for page in raw) >= 150
    assert not any("<http://free-culture.org/get-it>" in lines(page.text) for page in pages)
    assert lines(pages[40].text)[-1] == "begged: Would Japan be better off with more lawyers? Would manga"
    assert lines(pages[41].text)[-1] == "valuable, our tradition does not treat those takings as wrong. Some"
    removed = sum(len(page) for page in raw) - sum(len(page.text) for page in pages)
    assert 0 < removed < 0.02 * sum(len(page) for page in raw)  # only the furniture went
