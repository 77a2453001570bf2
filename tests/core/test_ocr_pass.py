"""The OCR pass on real scans and photos: it comes after every text file is searchable, reads each
page once (a stopped run resumes at the next page), and its text is found like any other."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_search.core.indexer import FileIndexed, Progress, Summary
from tests.helpers import CORPUS, RUST_BOOK, copy_files

PHOTOTEST = CORPUS / "images" / "scanned" / "tesseract__phototest.tif"
UPSIDE_DOWN = CORPUS / "images" / "scanned" / "tesseract__phototest-rotated-180.png"
LETTER = CORPUS / "images" / "scanned" / "tesseract__8087_054.3B.tif"
FLOWER = CORPUS / "images" / "notext" / "pillow__flower.jpg"
SCAN_5_PAGES = CORPUS / "pdf" / "scanned" / "pymupdf__test_4090.pdf"
CHAPTER = RUST_BOOK / "ch01-00-getting-started.md"


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """A folder of a text file, two scans, an upside-down scan and a photo, indexed with OCR on;
    the run's events and the services, for the tests below to look at."""
    from desktop_search.services import Services
    from desktop_search.settings import Settings

    root = tmp_path_factory.mktemp("ocr")
    copy_files([CHAPTER, PHOTOTEST, UPSIDE_DOWN, LETTER, FLOWER], root / "docs")
    services = Services.open(Settings.resolve(data_dir=root / "data", ocr=True))
    events = []
    catalog = services.store.catalog
    text_synced_at_first_ocr_page = None
    for event in services.indexer().run([str(root / "docs")]):
        if (
            isinstance(event, Progress)
            and event.phase == "recognising"
            and text_synced_at_first_ocr_page is None
        ):
            text_synced_at_first_ocr_page = catalog.file(str(root / "docs" / CHAPTER.name)).synced
        events.append(event)
    yield root / "docs", services, events, text_synced_at_first_ocr_page
    services.close()


def test_ocr_comes_after_text_files_are_searchable_and_shows_its_pages(indexed):
    _folder, _services, events, text_synced = indexed
    assert text_synced is True  # the chapter was embedded before the first page was recognised
    phases = [e.phase for e in events if isinstance(e, Progress)]
    first_ocr = phases.index("recognising")
    assert "reading" not in phases[first_ocr:]
    pages = [e for e in events if isinstance(e, Progress) and e.phase == "recognising" and e.done]
    assert [e.done for e in pages] == [1, 2, 3, 4] and {e.total for e in pages} == {4}
    assert all(e.rate and e.rate > 0 for e in pages)
    summary = events[-1]
    assert isinstance(summary, Summary) and summary.recognised == 4 and summary.waiting_for_ocr == 0


def test_images_wait_for_ocr_then_get_their_status(indexed):
    _folder, services, events, _ = indexed
    read = {Path(e.path).name: e for e in events if isinstance(e, FileIndexed)}
    assert read[PHOTOTEST.name].status == "indexed" and "waiting for OCR" in read[PHOTOTEST.name].reason
    records = {Path(r.path).name: r for r in services.store.catalog.files()}
    assert records[PHOTOTEST.name].status == "indexed" and records[PHOTOTEST.name].reason is None
    assert records[PHOTOTEST.name].passages >= 1 and records[PHOTOTEST.name].synced
    assert (records[FLOWER.name].status, records[FLOWER.name].reason) == ("no text", "no text found by OCR")


def test_a_paraphrase_of_a_scanned_page_finds_it_marked_as_ocr(indexed):
    folder, services, _, _ = indexed
    hits = services.searcher().search("a page of twelve point type to check that text recognition works", 3)
    assert str(folder / PHOTOTEST.name) in [hit.path for hit in hits[:3]]
    hit = next(hit for hit in hits if hit.path.endswith(PHOTOTEST.name))
    assert hit.best.ocr and hit.best.where == ""  # a single picture has no page to name


def test_a_word_of_an_upside_down_scan_finds_it(indexed):
    folder, services, _, _ = indexed
    hits = services.searcher().search("lazy fox", 5, mode="keyword")
    assert str(folder / UPSIDE_DOWN.name) in [hit.path for hit in hits]


def test_the_preview_boxes_the_matched_words_on_the_scan(indexed):
    from desktop_search.core.preview_reader import PageImage, PreviewReader, PreviewRequest

    _folder, services, _, _ = indexed
    hit = next(
        h
        for h in services.searcher().search("lazy fox", 5, mode="keyword")
        if h.path.endswith(PHOTOTEST.name)
    )
    reader = PreviewReader(services.store.catalog)
    try:
        request = PreviewRequest(
            hit.path,
            hit.kind,
            hit.best.page,
            hit.best.start,
            hit.best.end,
            hit.best.text,
            ("lazy", "fox"),
            800,
            ocr=True,
        )
        preview = reader(request)
    finally:
        reader.close()
    assert isinstance(preview, PageImage) and preview.passage and preview.terms
    for left, top, right, bottom in preview.terms:
        assert 0 <= left < right <= preview.width and 0 <= top < bottom <= preview.height


def test_a_stopped_run_resumes_at_the_next_page(tmp_path, services_factory):
    copy_files([SCAN_5_PAGES], tmp_path / "scans")
    services = services_factory(ocr=True)
    events = services.indexer().run([str(tmp_path / "scans")])
    for event in events:
        if isinstance(event, Progress) and event.phase == "recognising" and event.done == 2:
            events.close()  # as Stop does, or a kill after the page was saved
            break
    assert services.store.catalog.ocr.pending_pages() == 3
    summary = list(services.indexer().run())[-1]
    assert summary.recognised == 3 and summary.waiting_for_ocr == 0
    record = services.store.catalog.file(str(tmp_path / "scans" / SCAN_5_PAGES.name))
    pages = {p.page for p in services.store.catalog.passages_of(record.key)}
    assert record.status == "indexed" and pages == {1, 2, 3, 4, 5}


def test_with_ocr_off_scans_and_pictures_say_so(tmp_path, services_factory):
    copy_files([SCAN_5_PAGES, PHOTOTEST], tmp_path / "scans")
    services = services_factory(ocr=False)
    summary = list(services.indexer().run([str(tmp_path / "scans")]))[-1]
    assert summary.recognised == 0
    records = {Path(r.path).name: r for r in services.store.catalog.files()}
    assert (records[SCAN_5_PAGES.name].status, records[SCAN_5_PAGES.name].reason) == (
        "no text",
        "scanned: no text layer (OCR is off)",
    )
    assert (records[PHOTOTEST.name].status, records[PHOTOTEST.name].reason) == (
        "no text",
        "an image (OCR is off)",
    )


def test_a_photo_without_words_is_still_found_by_its_name(indexed):
    folder, services, _, _ = indexed
    hits = services.searcher().search("flower", 5)
    photo = [hit for hit in hits[:3] if hit.path == str(folder / FLOWER.name)]
    assert photo and photo[0].best.snippet == "no text found by OCR" and not photo[0].best.ocr
    assert services.searcher().search("flower", 5, mode="keyword") == []  # its name is all there is
