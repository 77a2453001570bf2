"""RTF: every corpus file's status against its manifest, code pages and \\u escapes decoded, and
RTF told apart from Word files whatever their names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop_search.core.extract import INDEXED, NO_TEXT
from tests.helpers import CORPUS, manifest, outcome, pages_text, squashed

RTF = CORPUS / "rtf"

# Files striprtf alone could not open (the reference), with what we get and why.
REFERENCE_FAILED = {
    "pandoc__image.rtf": (NO_TEXT, "a picture only; its malformed \\bin word no longer stops the reader"),
    "tika__testRTFListLibreOffice.rtf": (INDEXED, "A short ordered list"),
}


@pytest.mark.parametrize("row", manifest(RTF), ids=lambda row: row["file"])
def test_rtf_status_matches_manifest(row):
    status, detail, pages = outcome(RTF / row["file"])
    if row["file"] in REFERENCE_FAILED:
        expected, words = REFERENCE_FAILED[row["file"]]
        assert status == expected, detail
        if status == INDEXED:
            assert words in pages_text(pages)
        return
    # Good and malformed files alike: the reference read them, so must we.
    assert row["reference_outcome"] == "TEXT"
    assert status == INDEXED, detail
    assert detail == "rtf" and [page.number for page in pages] == [None]
    if row["sample"]:
        assert squashed(row["sample"]) in pages_text(pages)
    utf16_units = sum(len(page.text.encode("utf-16-le")) // 2 for page in pages)  # as the reference counts
    assert utf16_units >= 0.9 * int(row["reference_chars"])


@pytest.mark.parametrize(
    "name, words",
    [
        ("tika__testRTF-ms932.rtf", "こんにちは"),  # \ansicpg932
        ("tika__testRTFWindowsCodepage1250.rtf", "ZAŻÓŁĆ GĘŚLĄ JAŹŃ"),  # \ansicpg1250
        ("tika__testRTFWordPadCzechCharacters.rtf", "Mrtvého moře"),  # \'xx in a Central European font
        ("tika__testRTFJapanese.rtf", "ゾルゲと尾崎"),  # \uN escapes
        ("tika__testRTFUnicodeGothic.rtf", "𐌲𐌿𐍄𐌹𐍃𐌺"),  # \uN pairs beyond the BMP
    ],
)
def test_code_pages_and_unicode_escapes(name, words):
    _, _, pages = outcome(RTF / name)
    assert words in pages_text(pages)


def test_unpaired_unicode_halves_become_replacement_characters():
    _, _, pages = outcome(RTF / "tika__testRTFInvalidUnicode.rtf")
    text = pages_text(pages)
    assert "Unpaired hi \ufffd here" in text
    text.encode("utf-8")  # no lone surrogate left to break the catalog


def test_rtf_and_word_files_are_read_as_what_they_are_whatever_their_names(tmp_path):
    rtf_as_doc = shutil.copy(RTF / "tika__testRTF.rtf", tmp_path / "saved-by-word.doc")
    status, kind, pages = outcome(Path(rtf_as_doc))
    assert (status, kind) == (INDEXED, "rtf") and "Test d’indexation Word" in pages_text(pages)
    doc_as_rtf = shutil.copy(CORPUS / "office" / "legacy" / "good" / "poi__60279.doc", tmp_path / "x.rtf")
    status, kind, pages = outcome(Path(doc_as_rtf))
    assert (status, kind) == (INDEXED, "doc") and "GENERAL TYPE STANDARD" in pages_text(pages)
