"""Every extractor on the shared corpus, and every corpus file's status against the manifests."""

from __future__ import annotations

import pytest

from desktop_search.core import extract
from desktop_search.core.extract import ERROR, INDEXED, NO_TEXT, PASSWORD, UNSUPPORTED
from tests.helpers import CORPUS, manifest, outcome, pages_text, pdf_pages

PDF = CORPUS / "pdf"
DOCX = CORPUS / "docx"


# What each manifest outcome allows us to report. Damaged files that MuPDF or our own sniffing
# can still read are better indexed than failed, so "broken" rows also accept "indexed".
PDF_EXPECTED = {
    "TEXT": {INDEXED},
    "TEXT(repaired)": {INDEXED},
    "NO_TEXT": {NO_TEXT},
    "NO_TEXT(repaired)": {NO_TEXT},
    "NEEDS_PASSWORD": {PASSWORD},
    "ZERO_PAGES": {ERROR},
    "OPEN_FAIL": {ERROR},
    "PAGE_ERRORS": {ERROR, INDEXED},
}


@pytest.mark.parametrize("row", manifest(PDF), ids=lambda row: row["file"])
def test_pdf_status_matches_manifest(row):
    status, detail, pages = outcome(PDF / row["file"])
    expected = PDF_EXPECTED[row["pymupdf_outcome"]]
    if row["file"] == "broken/derived_html_saved_as.pdf":
        expected = {INDEXED}  # judged by content: it is HTML
        assert detail == "html"
    if row["category"] == "scanned":
        expected = {INDEXED}  # their image pages are kept for the OCR pass
    assert status in expected, (status, detail)
    if status == INDEXED and row["pymupdf_outcome"].startswith("TEXT") and detail == "pdf":
        assert sum(len(p.text) for p in pages) >= 0.8 * int(row["text_chars"] or 0)
        assert all(1 <= page.number <= int(row["pages"] or 10**6) for page in pages)
    if status == INDEXED and row["pymupdf_outcome"].startswith("NO_TEXT"):
        assert pages and all(page.scanned and page.text == "" for page in pages)
    assert all(page.text == "" for page in pages if page.scanned)


@pytest.mark.parametrize("row", manifest(DOCX), ids=lambda row: row["file"])
def test_docx_status_matches_manifest(row):
    path = DOCX / row["file"]
    status, detail, pages = outcome(path)
    if row["category"] == "good":
        assert status == INDEXED
        body = int(row["body_chars"] or 0) + int(row["table_chars"] or 0)
        assert sum(len(p.text) for p in pages) >= 0.9 * min(
            body, int(row["raw_document_xml_wt_chars"] or body)
        )
        words = row["sample"].split()[:3]
        text = pages_text(pages)
        assert all(word in text for word in words), words
    elif row["category"] == "notext":
        assert status in {NO_TEXT, INDEXED}  # headers or fields may hold a few words
        if status == NO_TEXT:
            assert detail == "no text in the file"
    elif row["category"] == "encrypted":
        assert status == PASSWORD
    else:
        # Broken: a clear failure, or readable after all (macro-enabled .docm, text named .docx).
        assert status in {ERROR, UNSUPPORTED, NO_TEXT, INDEXED}
        if status != INDEXED:
            assert detail and len(detail) > 8


def test_pdf_keeps_page_numbers():
    path = PDF / "good" / "samplefiles__pdflatex-4-pages.pdf"
    kind, pages = extract.extract(path)
    assert kind == "pdf"
    assert [p.number for p in pages] == pdf_pages(path)


def test_pdf_with_empty_password_is_read_and_others_are_refused():
    status, _, pages = outcome(PDF / "encrypted" / "pypdf__r6-empty-password.pdf")
    assert status == INDEXED and pages
    status, reason, _ = outcome(PDF / "encrypted" / "pypdf__r6-user-password.pdf")
    assert status == PASSWORD and "password" in reason


def test_scanned_pdf_pages_wait_for_ocr():
    status, kind, pages = outcome(PDF / "scanned" / "pdfjs__issue7229.pdf")
    assert (status, kind) == (INDEXED, "pdf")
    assert [(p.number, p.text, p.scanned) for p in pages] == [(1, "", True), (2, "", True)]


def test_scanned_page_inside_a_text_pdf_is_marked():
    _, _, pages = outcome(PDF / "scanned" / "pdfjs__issue14814.pdf")
    assert [(p.number, p.scanned) for p in pages] == [(1, False), (2, True)]
    assert pages[0].text.strip()
    _, _, pages = outcome(PDF / "good" / "pdfjs__freeculture.pdf")
    assert pages[0].scanned and not any(p.scanned for p in pages[1:])  # only the cover is a picture


def test_pdf_without_text_or_images_is_no_text():
    status, reason, _ = outcome(PDF / "notext" / "pdfjs__issue19424.pdf")
    assert status == NO_TEXT
    assert "no text" in reason


def test_docx_reads_tables_headers_and_footers_in_order():
    _, _, pages = outcome(DOCX / "good" / "mammoth__tables.docx")
    text = pages[0].text
    assert text.index("Above") < text.index("Below")
    assert "Top left" in text  # a table cell
    _, _, pages = outcome(DOCX / "good" / "converted__header_image.docx")
    assert "Симфер" in pages[0].text


@pytest.mark.parametrize(
    "name, status, words",
    [
        ("broken/derived_zero_bytes.docx", ERROR, "empty"),
        ("encrypted/poi__bug53475-password-is-pass.docx", PASSWORD, "password"),
        ("broken/derived_truncated_60pct.docx", ERROR, "damaged"),
    ],
)
def test_bad_docx_get_a_clear_reason(name, status, words):
    got, reason, _ = outcome(DOCX / name)
    assert got == status
    assert words in reason


def test_text_encodings_are_detected(tmp_path):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Crème brûlée à la française, naïve façade.".encode("latin-1"))
    utf16 = tmp_path / "utf16.md"
    utf16.write_text("# Überschrift\n\nGrüße aus Köln", encoding="utf-16")
    assert "Crème brûlée" in outcome(latin)[2][0].text
    assert "Grüße aus Köln" in outcome(utf16)[2][0].text


def test_binary_named_txt_is_skipped(tmp_path):
    fake = tmp_path / "photo.txt"
    fake.write_bytes(
        (PDF / "scanned" / "pdfjs__issue7229.pdf").read_bytes()[:4096].replace(b"%PDF", b"\x00\x01")
    )
    status, reason, _ = outcome(fake)
    assert status == UNSUPPORTED
    assert "binary" in reason


def test_real_markdown_in_many_languages():
    for language in ("pages.ja", "pages.ru", "pages.ar"):
        files = sorted((CORPUS / "text" / "tldr" / language).rglob("*.md"))
        assert files
        status, kind, pages = outcome(files[0])
        assert status == INDEXED and kind == "text" and pages[0].text.strip()
