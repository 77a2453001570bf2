"""E-books: every corpus EPUB's status against its manifest, chapters in reading order with the
names the book gives them, DRM and zip bombs refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desktop_search.core.extract import ERROR, INDEXED, PASSWORD, UNSUPPORTED, zipxml
from tests.helpers import CORPUS, manifest, outcome, pages_text, squashed

EPUB = CORPUS / "ebook" / "epub"

# Broken files that are something else by content, and get that thing's status.
NOT_EPUB = {
    "broken/epubcheck__ocf-container-not-ocf-error.epub": (INDEXED, "a Word .docx named .epub: read as one"),
    "broken/epubcheck__ocf-zip-unreadable-image-with-epub-extension-fatal.epub": (
        UNSUPPORTED,
        "a JPEG named .epub: refused as a binary file",
    ),
}


@pytest.mark.parametrize("row", manifest(EPUB), ids=lambda row: row["file"])
def test_epub_status_matches_manifest(row):
    status, detail, pages = outcome(EPUB / row["file"])
    if row["file"] in NOT_EPUB:
        assert status == NOT_EPUB[row["file"]][0], detail
    elif row["reference_outcome"] == "TEXT":  # good, and the damaged ones EbookLib still read
        assert status == INDEXED, detail
        assert detail == "epub"
        if row["sample"]:
            assert squashed(row["sample"]) in pages_text(pages)
        assert sum(len(page.text) for page in pages) >= 0.5 * int(row["reference_chars"])
        assert all(page.label for page in pages)
    else:
        assert status == ERROR, detail
        assert detail and len(detail) > 8


def test_chapters_come_in_spine_order_named_by_the_table_of_contents():
    _, _, pages = outcome(EPUB / "good" / "epubjs__alice.epub")
    labels = [page.label for page in pages]
    assert labels[labels.index("Down The Rabbit-Hole") :] == [
        "Down The Rabbit-Hole",
        "The Pool Of Tears",
        "A Caucus-Race And A Long Tale",
        "The Rabbit Sends In A Little Bill",
        "Advice From A Caterpillar",
        "Pig And Pepper",
        "A Mad Tea-Party",
        "The Queen's Croquet Ground",
        "Who Stole The Tarts?",
        "Alice's Evidence",
    ]
    numbers = [page.number for page in pages]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    chapter = pages[labels.index("Pig And Pepper")]
    assert "Cheshire" in chapter.text and "Cheshire" not in pages[labels.index("The Pool Of Tears")].text


def test_chapter_names_in_other_scripts_and_from_the_ncx():
    _, _, pages = outcome(EPUB / "good" / "packed_epub3samples__israelsailing.epub")
    assert "הפלגת קצרה עם רונית" in [page.label for page in pages]
    _, _, pages = outcome(EPUB / "good" / "packed_epub3samples__moby-dick.epub")
    labels = [page.label for page in pages]
    assert labels.index("Chapter 1. Loomings.") < labels.index("Chapter 2. The Carpet-Bag.")
    assert pages[labels.index("Chapter 1. Loomings.")].text.count("Call me Ishmael") == 1


def test_one_file_with_many_sections_is_named_by_its_heading():
    # The table of contents points into wasteland-content.xhtml five times (#ch1 … #ch5).
    _, _, pages = outcome(EPUB / "good" / "pandoc__wasteland.epub")
    assert [page.label for page in pages] == ["The Waste Land"]


def test_picture_pages_are_read_through_their_text_fallback():
    _, _, pages = outcome(EPUB / "good" / "packed_epub3samples__haruko-jpeg.epub")
    assert len(pages) == 1  # twelve pictures share one fallback document
    assert "ハルコさんの彼氏" in pages[0].text


def rewritten(source: Path, target: Path, extra: dict[str, str]) -> Path:
    """A copy of a real e-book with files added (the corpus has no DRM-protected book)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for member in original.infolist():
            copy.writestr(member, original.read(member))
        for name, content in extra.items():
            copy.writestr(name, content)
    return target


ENCRYPTION = """<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
    xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
    <enc:EncryptionMethod Algorithm="{algorithm}"/>
    <enc:CipherData><enc:CipherReference URI="EPUB/wasteland-content.xhtml"/></enc:CipherData>
    </enc:EncryptedData></encryption>"""


def test_drm_protected_book_is_a_password_failure(tmp_path):
    source = EPUB / "good" / "pandoc__wasteland.epub"
    locked = rewritten(
        source,
        tmp_path / "locked.epub",
        {
            "META-INF/encryption.xml": ENCRYPTION.format(
                algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"
            )
        },
    )
    assert outcome(locked)[:2] == (PASSWORD, "protected e-book (DRM)")
    obfuscated = rewritten(
        source,
        tmp_path / "obfuscated.epub",
        {"META-INF/encryption.xml": ENCRYPTION.format(algorithm="http://ns.adobe.com/pdf/enc#RC")},
    )
    assert outcome(obfuscated)[0] == INDEXED  # font obfuscation hides no text


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(zipxml, "MAX_UNPACKED", 16 << 10)  # the real budget is 512 MB: smaller book here
    status, reason, _ = outcome(EPUB / "good" / "epubjs__alice.epub")
    assert status == ERROR and "zip bomb" in reason
