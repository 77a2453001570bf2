"""PowerPoint, Excel and OpenDocument extraction against the corpus manifests: every file's status,
its sample phrase, its slide or sheet count; then what a slide and a sheet page holds."""

from __future__ import annotations

import pytest

from desktop_search.core.extract import (
    ERROR,
    EXTRACTORS,
    INDEXED,
    NO_TEXT,
    PASSWORD,
    UNSUPPORTED,
)
from desktop_search.core.extract.sheet_rows import Budget, sheet_text
from tests.helpers import CORPUS, manifest, outcome, squashed

OFFICE = CORPUS / "office"
FAMILIES = ("pptx", "xlsx", "odf")

# Where our status differs from the reference tool's outcome, and why.
DIFFERENT = {
    "pptx/good/poi__bug59273.potx": (NO_TEXT, "a template whose one slide is a background picture"),
    "pptx/good/poi__testPPT.ppsx": (INDEXED, "python-pptx refuses slide shows by content type; we read"),
    "xlsx/good/poi__sample.xlsb": (UNSUPPORTED, "binary workbooks are not read: no maintained reader"),
    "xlsx/good/poi__style-alternate-content.xlsx": (INDEXED, "openpyxl fails on its styles; we skip them"),
    "xlsx/good/poi__123233_charts.xlsx": (INDEXED, "its stated size (A1) is wrong; we read every row"),
    "xlsx/good/tika__testEXCEL.strict.xlsx": (INDEXED, "strict OOXML namespaces are read too"),
    "xlsx/broken/poi__poc-shared-strings.xlsx": (ERROR, "a 1 MB shared string, repeated in every cell"),
    "xlsx/broken/poi__invalid.xlsx": (UNSUPPORTED, "22 bytes of binary, not a zip"),
    "odf/good/tika__testODFwithOOo3.odt": (INDEXED, "odfpy refuses its external DTD; we ignore DTDs"),
}
# Files whose manifest sample is laid out differently in our text.
SAMPLE_DIFFERS = {
    "odf/good/pandoc__footnote.odt": "the reference puts the footnote's text right after its mark; "
    "we put notes after the body, as for .docx",
}
COUNT_DIFFERS = {
    "xlsx/good/tika__testEXCEL.strict.xlsx": "openpyxl sees no sheet in strict OOXML; we see 3",
    "xlsx/broken/poi__poc-shared-strings.xlsx": "refused as a decompression bomb",
}
COUNT_COLUMNS = {"pptx": ("pptx", "slides"), "xlsx": ("xlsx", "sheets")}


def rows() -> list[tuple[str, dict[str, str]]]:
    return [(family, row) for family in FAMILIES for row in manifest(OFFICE / family)]


def expected(key: str, row: dict[str, str]) -> set[str]:
    if key in DIFFERENT:
        return {DIFFERENT[key][0]}
    if row["category"] == "encrypted":
        return {PASSWORD}
    if row["category"] == "broken":
        # Damaged: a clear failure, or readable after all (a text file named .odt is a text).
        return {ERROR, INDEXED} if row["reference_outcome"] == "OPEN_FAIL" else {INDEXED}
    return {NO_TEXT} if row["reference_outcome"] == "NO_TEXT" else {INDEXED}


@pytest.mark.parametrize("family, row", rows(), ids=[f"{family}/{row['file']}" for family, row in rows()])
def test_status_and_sample_match_the_manifest(family, row):
    key = f"{family}/{row['file']}"
    status, detail, pages = outcome(OFFICE / family / row["file"])
    assert status in expected(key, row), (status, detail)
    if status != INDEXED:
        assert detail and len(detail) > 8
        if status == PASSWORD:
            assert "password" in detail
        return
    text = squashed(" ".join(page.text for page in pages))
    if row["sample"] and key not in SAMPLE_DIFFERS:
        assert squashed(row["sample"]) in text
    if row["reference_outcome"] == "TEXT" and family != "odf":
        # Slides drop the slide-number placeholder; sheets add their column headers.
        assert len(text) >= 0.9 * int(row["reference_chars"])


@pytest.mark.parametrize("family", COUNT_COLUMNS)
def test_slide_and_sheet_counts_match_the_manifest(family):
    kind, column = COUNT_COLUMNS[family]
    checked = 0
    for row in manifest(OFFICE / family):
        key = f"{family}/{row['file']}"
        if not row[column] or key in COUNT_DIFFERS:
            continue
        pages = EXTRACTORS[kind](OFFICE / family / row["file"])  # empty parts included
        assert len(pages) == int(row[column]), key
        assert [page.number for page in pages] == list(range(1, len(pages) + 1))
        prefix = "slide" if family == "pptx" else "sheet"
        assert all(page.label and page.label.startswith(prefix) for page in pages)
        checked += 1
    assert checked >= 30


def page_texts(name: str) -> dict[str, str]:
    _, _, pages = outcome(OFFICE / name)
    assert pages, name
    return {page.label or "": page.text for page in pages}


def test_a_slide_holds_its_title_tables_groups_hidden_text_and_notes():
    slides = page_texts("pptx/good/tika__testPPT_various2.pptx")
    second = slides["slide 2: Slide2Header"]
    assert second.startswith("Slide2Header\nFirstBullet")
    assert "R1c1 | R1c2 | r1c3" in second  # a table row
    assert second.rstrip().endswith("\n\nNotes:\nNotesForSlide2")
    assert "This slide is hidden" in slides["slide 9"]
    grouped = page_texts("pptx/good/tika__testPPT_groups.pptx")["slide 2: MyTitle"]
    assert "Text box5 tika link" in grouped and "Ungrouped text box" in grouped


def test_smartart_text_is_read():
    smart = page_texts("pptx/good/pandoc__basic.pptx")["slide 4: Smart Art"]
    assert "yet more" in smart and "and yet again" in smart


def test_a_sheet_labels_values_with_their_column_headers():
    sheets = page_texts("xlsx/good/pandoc__basic.xlsx")
    assert "Person: Anton Antich; Age: 23; Location: Switzerland" in sheets["sheet Main"]
    ods = page_texts("odf/good/odfpy__countrystatistics.ods")
    assert "Country: Austria; Population in millions: 8.3" in ods["sheet Population"]
    assert "HDI Rank: 1; Country: Iceland; 2005: 968" in ods["sheet HDI"]  # years head columns


def test_a_form_is_not_mistaken_for_a_table():
    form = page_texts("xlsx/good/poi__45540_form_Header.xlsx")["sheet Application Form (CEP)"]
    assert "Business Telephone: | Fax:" in form


def test_dates_read_as_dates():
    formats = page_texts("xlsx/good/tika__testEXCEL-formats.xlsx")["sheet Format Examples"]
    assert "Date Format: m/d/yy | 2009-10-03" in formats


def test_sheet_layout_stays_within_its_budget():
    rows = ([f"item {n}", str(n)] for n in range(10**9))  # as long as anyone likes
    budget = Budget(cells=1000)
    text = sheet_text(rows, budget)
    assert budget.spent() and text.count("\n") < 500
    assert sheet_text([["a", "b"]], budget) == ""  # nothing is left for the next sheet


def test_an_odt_reads_notes_and_not_deleted_text():
    (tracked,) = page_texts("odf/good/pandoc__trackedChanges.odt").values()
    assert squashed(tracked) == "Some text with and inserted text."  # "deleted" was deleted
    (footnote,) = page_texts("odf/good/pandoc__footnote.odt").values()
    assert footnote.splitlines()[-1] == "1 Footnote text"


def test_odp_slides_have_titles_footers_and_labels():
    slides = page_texts("odf/good/tika__testODP_NPE.odp")
    third = slides["slide 3: Culture, Society, and Health: Definitions"]
    assert "Culture-bound syndrome" in third
    assert "© Copyright 2009 Tme McGraw Hill Companies All Rights Reserved" in third


@pytest.mark.parametrize(
    "name, status, words",
    [
        ("odf/encrypted/tika__testODTEncrypted.odt", PASSWORD, "password-protected OpenDocument file"),
        ("odf/broken/odfpy__nasty.odt", ERROR, "entities"),
        ("xlsx/broken/poi__54764.xlsx", ERROR, "entities"),
        ("xlsx/broken/poi__poc-xmlbomb.xlsx", ERROR, "entity"),
        ("xlsx/broken/poi__poc-shared-strings.xlsx", ERROR, "more text than Excel allows"),
        ("xlsx/good/poi__sample.xlsb", UNSUPPORTED, "binary Excel workbook (.xlsb): save as .xlsx"),
        ("pptx/broken/derived_truncated_60pct__SampleShow.pptx", ERROR, "damaged presentation"),
        ("pptx/encrypted/oletools__encrypted.pptx", PASSWORD, "password"),
    ],
)
def test_bad_files_get_a_clear_reason(name, status, words):
    got, reason, _ = outcome(OFFICE / name)
    assert got == status
    assert words in (reason or "")
