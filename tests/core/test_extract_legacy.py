"""Legacy Office (.doc, .xls, .ppt): every corpus file's status against its manifest, sheets as
named pages, password protection told apart, and a clear reason when a tool is not installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop_search.core import extract
from desktop_search.core.extract import ERROR, INDEXED, NO_TEXT, PASSWORD, UNSUPPORTED
from tests.helpers import CORPUS, manifest, outcome, squashed

LEGACY = CORPUS / "office" / "legacy"

STATUS = {"TEXT": INDEXED, "NO_TEXT": NO_TEXT, "NEEDS_PASSWORD": PASSWORD, "OPEN_FAIL": ERROR}
# Where we do better than the reference tool (antiword, xls2csv or catppt alone), and what we read.
BETTER_THAN_REFERENCE = {
    "good/poi__Word6.doc": ("doc", "The quick brown fox jumps over the lazy dog"),  # catdoc after antiword
    "good/poi__Word95.doc": ("doc", "Paragraph 3. Has some RED text"),  # catdoc after antiword
    "good/poi__PPT95.ppt": ("ppt", "XML, HTML and All That"),  # its Text_Content stream
    "broken/poi__TestRobert_Flaherty.doc": ("xls", "Jan Actual"),  # an Excel workbook named .doc
}
# Where the manifest's sample is text the last save deleted: catppt reads the stale copy that a
# fast save leaves in the file, we read the slides as they are now.
DELETED_SAMPLE = {"good/poi__41071.ppt": "Fundera, planera och involvera."}
NAMES = {
    "doc": "Word 97-2003 document",
    "xls": "Excel 97-2003 workbook",
    "ppt": "PowerPoint 97-2003 presentation",
}


def flat(pages: list[extract.Page]) -> str:
    return " ".join(" ".join(f"{page.label or ''} {page.text}".split()) for page in pages)


@pytest.mark.parametrize("row", manifest(LEGACY), ids=lambda row: row["file"])
def test_legacy_status_matches_manifest(row):
    path = LEGACY / row["file"]
    status, detail, pages = outcome(path)
    if row["file"] in BETTER_THAN_REFERENCE:
        kind, words = BETTER_THAN_REFERENCE[row["file"]]
        assert (status, detail) == (INDEXED, kind)
        assert words in flat(pages)
        return
    assert status == STATUS[row["reference_outcome"]], detail
    if status == INDEXED:
        assert detail == path.suffix[1:]
        if row["file"] in DELETED_SAMPLE:
            assert DELETED_SAMPLE[row["file"]] in flat(pages) and row["sample"] not in flat(pages)
        elif row["sample"]:
            assert squashed(row["sample"]) in flat(pages)
    elif status == PASSWORD:
        assert detail == f"password-protected {NAMES[path.suffix[1:]]}"
    elif status == ERROR:
        assert detail.startswith("damaged") and str(LEGACY) not in detail


def test_sheets_are_pages_named_by_the_workbook():
    _, kind, pages = outcome(LEGACY / "good" / "poi__45538_classic_Footer.xls")
    assert kind == "xls"
    assert [page.number for page in pages] == list(range(1, 8))
    assert [page.label for page in pages][:3] == [
        "sheet Profile of Class",
        "sheet Hires by Function",
        "sheet Top Six Functions",
    ]


def test_rows_under_a_header_name_their_values():
    _, _, pages = outcome(LEGACY / "good" / "poi__12561-1.xls")
    lines = pages[0].text.splitlines()
    assert lines[0].startswith("作業NO | Status | 分類")
    assert lines[1].startswith("作業NO: 1-1; Status: 完了; 分類: PC携帯")
    assert "作業終了日付: 2002-06-30" in lines[1]  # a date cell, as a date


def test_korean_cells_are_decoded():
    # xls2csv garbles these cells (the manifest's note); xlrd reads them.
    _, _, pages = outcome(LEGACY / "good" / "poi__15556.xls")
    assert "체결(TIGHTENING)" in flat(pages)


def test_slides_are_pages_with_their_text_and_notes_of_the_last_save():
    _, kind, pages = outcome(LEGACY / "good" / "poi__basic_test_ppt_file.ppt")
    assert kind == "ppt"
    assert [(page.number, page.label) for page in pages] == [(1, "slide 1"), (2, "slide 2")]
    assert pages[0].text.splitlines() == [
        "This is a test title",
        "This is a test subtitle",
        "This is on page 1",
        "These are the notes for page 1",
    ]
    assert pages[1].text.count("This is the title on page 2") == 1  # the file holds older copies
    _, _, pages = outcome(LEGACY / "good" / "poi__PictureTypeZero.ppt")
    assert len(pages) == 12
    assert pages[2].text.startswith("Public expectations and government responsibilities are significant")
    assert "Safe, high quality water, especially drinking water." in pages[2].text  # its notes


def test_presentation_with_empty_slides_falls_back_to_catppt():
    # Its one slide is empty; catppt also reads the footer fields and the design's name.
    _, _, pages = outcome(LEGACY / "good" / "poi__bug46441.ppt")
    assert [page.number for page in pages] == [None] and "2222" in pages[0].text


@pytest.mark.parametrize(
    "name, tool",
    [
        ("good/poi__60279.doc", "antiword"),
        ("broken/poi__clusterfuzz-testcase-minimized-POIHSLFFuzzer-6614960949821440.ppt", "catdoc"),
    ],
)
def test_missing_tools_are_named(name, tool, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without antiword and catdoc
    status, reason, _ = outcome(LEGACY / name)
    assert status == UNSUPPORTED
    assert f"install {tool}" in reason


def test_workbooks_and_sound_presentations_need_no_tool(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    status, _, pages = outcome(LEGACY / "good" / "poi__testEXCEL_95.xls")
    assert status == INDEXED and "Numbers and their Squares" in flat(pages)
    status, _, pages = outcome(LEGACY / "good" / "poi__41246-1.ppt")
    assert status == INDEXED and "Java and Profiling" in flat(pages)


def test_office_file_named_docx_is_read_as_what_it_is(tmp_path):
    renamed = Path(shutil.copy(LEGACY / "good" / "poi__Bug45473.doc", tmp_path / "report.docx"))
    status, kind, pages = outcome(renamed)
    assert (status, kind) == (INDEXED, "doc")
    assert "וינוגרד" in flat(pages)


def test_word_6_text_is_decoded_in_its_code_page():
    # A Russian Word 6 file (renamed .docx in the corpus): its bytes are cp1251, which it never says.
    status, kind, pages = outcome(CORPUS / "docx" / "broken" / "derived_legacy_doc_renamed.docx")
    assert (status, kind) == (INDEXED, "doc")
    assert "Установка Microsoft Word 6.0" in flat(pages)
