"""OCR of real scans from the shared corpus: words found, orientation and skew undone, word boxes
where the words are on the page as given, pictures without text left quiet."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pymupdf
import pytest

from desktop_search.core import ocr
from desktop_search.core.extract import ERROR, UNSUPPORTED, Skipped
from desktop_search.core.extract.image import read_frame
from tests.helpers import CORPUS

SCANS = CORPUS / "images" / "scanned"
PHOTOTEST = "This is a lot of 12 point text to test the"


def latin_words(text: str) -> list[str]:
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).casefold())
    return [word for word in words if all(c.isdigit() or "LATIN" in unicodedata.name(c, "") for c in word)]


def recall(truth: str, found: str) -> float:
    expected = Counter(latin_words(truth))
    return sum((expected & Counter(latin_words(found))).values()) / sum(expected.values())


@pytest.fixture(scope="module")
def phototest() -> dict[str, ocr.Recognised]:
    """The same page upright, turned a quarter and upside down."""
    names = {
        0: "tesseract__phototest.tif",
        90: "tesseract__phototestrot.tif",
        180: "tesseract__phototest-rotated-180.png",
    }
    return {turn: ocr.recognise_page(SCANS / name, "image", 1) for turn, name in names.items()}


def test_scanned_pdf_page_finds_its_words():
    path = CORPUS / "pdf" / "scanned" / "derived_scan__zhs-man.pdf"
    truth = (CORPUS / "pdf" / "scan_groundtruth" / f"{path.name}.txt").read_text(encoding="utf-8")
    page = ocr.recognise_page(path, "pdf", 3)
    assert recall(truth.split("\f")[2], page.text) >= 0.85  # 0.93 measured (benchmarks/ocr_engines.py)
    assert "which combines" in page.text and "\n\n1 Introduction\n\n" in page.text
    assert page.rotation == 0 and page.seconds > 0


def test_turned_scans_come_out_readable(phototest):
    truth = (CORPUS / "images" / "groundtruth" / "tesseract__phototest.tif.txt").read_text(encoding="utf-8")
    for turn, page in phototest.items():
        assert page.rotation == turn
        assert page.text.startswith(PHOTOTEST)
        assert recall(truth, page.text) >= 0.95


def test_text_keeps_lines_and_paragraphs(phototest):
    text = phototest[0].text
    assert text.splitlines()[:3] == [
        PHOTOTEST,
        "ocr code and see if it works on all types",
        "of file format.",
    ]
    assert "of file format.\n\nThe quick brown dog jumped over the\n" in text


def test_every_word_occurs_in_the_text_in_order(phototest):
    for page in phototest.values():
        cursor = 0
        for word in page.words:
            found = page.text.find(word.text, cursor)
            assert found >= cursor, word
            cursor = found + len(word.text)
        assert len(page.words) == len(page.text.split())


def test_word_boxes_lie_where_the_words_are_on_the_page_as_given(phototest):
    upright = phototest[0].words
    for page in phototest.values():
        assert all(0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1 for x0, y0, x1, y1 in (w.box for w in page.words))
        assert [w.text for w in page.words] == [w.text for w in upright]
    first = upright[0]  # "This", the first word of the first line: top left
    assert first.text == "This" and first.box[0] < 0.1 and first.box[1] < 0.25
    for word, quarter, half in zip(upright, phototest[90].words, phototest[180].words):
        x0, y0, x1, y1 = word.box
        # Turned a quarter counter-clockwise, then upside down: where each word must be.
        assert quarter.box == pytest.approx((y0, 1 - x1, y1, 1 - x0), abs=0.02)
        assert half.box == pytest.approx((1 - x1, 1 - y1, 1 - x0, 1 - y0), abs=0.02)


def test_skewed_scan_is_levelled():
    path = SCANS / "tika__testRotated+10.png"
    assert ocr.skew_angle(read_frame(path, 1)) == pytest.approx(10, abs=0.5)
    page = ocr.recognise_page(path, "image", 1)
    assert "Its had resolving otherwise she contented therefore" in page.text
    assert page.rotation == 0
    # The first words run downhill to the right on the tilted page as given.
    assert page.words[0].box[1] < page.words[3].box[1]


def test_upright_page_is_not_turned():
    assert ocr.skew_angle(read_frame(SCANS / "tesseract__phototest.tif", 1)) == 0.0


def test_photo_without_text_gives_little_or_none():
    page = ocr.recognise_page(CORPUS / "images" / "notext" / "pillow__flower.jpg", "image", 1)
    assert sum(c.isalnum() for c in page.text) < 10
    assert page.rotation == 0


def test_multipage_tiff_pages():
    path = SCANS / "tika__testTIFF_multipage.tif"
    assert ocr.page_count(path, "image") == 2
    assert "Page 2" in ocr.recognise_page(path, "image", 2).text
    assert ocr.page_count(CORPUS / "pdf" / "scanned" / "pymupdf__test_4090.pdf", "pdf") == 5


def test_damaged_image_is_an_error(tmp_path):
    truncated = tmp_path / "scan.png"
    truncated.write_bytes((SCANS / "ocrmypdf__linn.png").read_bytes()[:20_000])
    with pytest.raises(Skipped) as raised:
        ocr.recognise_page(truncated, "image", 1)
    assert raised.value.status == ERROR and raised.value.reason.startswith("damaged image")


def test_languages_are_tesseracts_own():
    languages = ocr.installed_languages()
    assert "eng" in languages and "osd" not in languages
    with pytest.raises(Skipped) as raised:
        ocr.recognise_page(SCANS / "tesseract__phototest.tif", "image", 1, languages="eng+xyz")
    assert raised.value.status == UNSUPPORTED and "xyz" in raised.value.reason


def test_without_tesseract_ocr_is_unsupported(monkeypatch, tmp_path):
    monkeypatch.setattr(ocr, "TESSERACT", str(tmp_path / "no-tesseract"))
    assert ocr.installed_languages() == []
    with pytest.raises(Skipped) as raised:
        ocr.recognise_page(SCANS / "tesseract__phototest.tif", "image", 1)
    assert raised.value.status == UNSUPPORTED and "tesseract-ocr" in raised.value.reason


def test_huge_page_is_rendered_within_the_pixel_budget(tmp_path):
    poster = tmp_path / "poster.pdf"
    with pymupdf.open() as document:
        page = document.new_page(width=5000, height=5000)  # 69 inches square: 2.2 gigapixels at 300 dpi
        page.insert_text((200, 800), "Gigantic poster headline", fontsize=300)
        document.save(poster)
    page = ocr.recognise_page(poster, "pdf", 1)
    assert page.text == "Gigantic poster headline"
    x0, y0, _, y1 = page.words[0].box
    assert x0 == pytest.approx(200 / 5000, abs=0.01) and y0 < 800 / 5000 < y1
