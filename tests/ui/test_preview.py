"""What the preview shows: the passage found on its PDF page (drawn in the preview's sandbox) and
painted over, or the passage in its text with the matched words marked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from desktop_search.core.highlight import locate, term_spans, terms_for
from desktop_search.core.preview_reader import (
    PreviewReader,
    PreviewRequest,
    TextCache,
    TextContext,
    build_preview,
)
from desktop_search.ui.preview import PdfPage
from desktop_search.ui.preview import build_preview as paint_preview

PAGE_2_START = "JS shell tests (J)\nTests specifically for the JavaScript engine."


def test_locate_ignores_spacing_line_breaks_and_ligatures() -> None:
    page = "Intro line.\r\nThe ﬁrst  passage runs\r\nover two lines and ends here. Then more."
    span = locate(page, "The first passage runs over two lines and ends here.")
    assert span is not None
    assert page[span[0] : span[1]].startswith("The ﬁrst") and page[span[0] : span[1]].endswith("ends here.")
    assert locate(page, "nothing like it at all") is None
    assert locate("", "x") is None


def test_term_spans_match_longer_forms_and_phrases_within_spans() -> None:
    text = "Owners own; ownership is owned. A web page, web pages."
    spans = term_spans(text, ["own", "web page"], [(0, len(text))])
    assert [text[s:e] for s, e in spans] == ["Owners", "own", "ownership", "owned", "web page", "web pages"]
    assert term_spans(text, ["own"], [(0, 10)]) == [(0, 6), (7, 10)]
    assert term_spans(text, [], [(0, len(text))]) == []


def test_terms_for_drops_stop_words_and_adds_matched_forms() -> None:
    assert terms_for("what is the ownership of a value", ["owned"]) == ("ownership", "value", "owned")
    assert terms_for('"web page" -draft', []) == ("web page",)


@pytest.fixture
def pdf(docs: Path) -> Path:
    return docs / "mozilla-testing.pdf"


@pytest.fixture(scope="module")
def reader() -> Iterator[PreviewReader]:
    sandboxed = PreviewReader()
    yield sandboxed
    sandboxed.close()


def test_pdf_page_is_drawn_with_the_passage_found(qtbot, pdf: Path, reader: PreviewReader) -> None:
    passage = PAGE_2_START + " They test every piece of the engine."
    request = PreviewRequest(str(pdf), "pdf", 2, 0, len(passage), passage, ("engine",), 600)
    page = paint_preview(reader, request)
    assert isinstance(page, PdfPage)
    assert (page.page, page.pages, page.found) == (2, 5, True)
    assert page.focus is not None and page.focus.top() < page.image.height() / 4  # near the top
    assert page.image.rect().toRectF().contains(page.focus)
    assert page.image.width() >= 600 * 0.9
    assert page.image.pixelColor(2, 2).lightness() > 240  # paper is white, not transparent
    marked = highlighted_points(page.image)
    assert marked and all(page.focus.contains(point) for point in marked)  # the passage, nothing else


def highlighted_points(image: QImage) -> list[QPointF]:
    """Sampled pixels that look like a yellow highlighter."""
    points = []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            if colour.red() > 200 and colour.green() > 170 and colour.blue() < colour.red() - 50:
                points.append(QPointF(x, y))
    return points


def test_pdf_page_that_cannot_be_drawn_falls_back_to_the_passage(
    qtbot, tmp_path: Path, reader: PreviewReader
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    request = PreviewRequest(str(broken), "pdf", 1, 0, 11, "some passage", ("passage",), 600)
    shown = reader(request)
    assert isinstance(shown, TextContext)
    assert shown.text == "some passage" and shown.note and "cannot be drawn" in shown.note


def test_text_shows_the_passage_in_context(docs: Path) -> None:
    path = docs / "drop.md"
    text = path.read_text()
    start = text.index("Rust automatically")  # a sentence from the middle
    end = start + 120
    request = PreviewRequest(str(path), "text", None, start, end, text[start:end], ("drop",), 600)
    shown = build_preview(request, TextCache())
    assert isinstance(shown, TextContext) and shown.note is None
    assert shown.passage is not None
    assert shown.text[shown.passage[0] : shown.passage[1]] == text[start:end]
    assert len(shown.text) > end - start  # with the text around it
    assert all(shown.text[s:e].lower().startswith("drop") for s, e in shown.terms)


def test_text_changed_since_indexing_is_said(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Completely different words now.")
    request = PreviewRequest(str(path), "text", None, 0, 20, "the indexed passage", ("indexed",), 600)
    shown = build_preview(request, TextCache())
    assert isinstance(shown, TextContext)
    assert shown.text == "the indexed passage" and "changed" in (shown.note or "")


def test_pane_marks_the_right_words_after_crlf_and_emoji(qtbot, tmp_path: Path) -> None:
    from desktop_search.core.search import FileHit, PassageHit
    from desktop_search.ui.preview_pane import PreviewPane
    from desktop_search.ui.workers import LatestWorker

    raw = "Intro 😀 line\r\nSecond line\r\nThe platypus lays eggs.\r\nLast line\r\n"
    path = tmp_path / "notes.txt"
    path.write_bytes(raw.encode("utf-8"))
    start = raw.index("The platypus")
    end = raw.index("eggs.") + len("eggs.")
    passage = PassageHit(1, None, start, end, 1.0, raw[start:end], (), raw[start:end])
    hit = FileHit(str(path), "text", str(tmp_path), 0.0, 1.0, (passage,))
    worker = LatestWorker("preview-test")
    reader = PreviewReader()
    pane = PreviewPane(worker, reader)
    qtbot.addWidget(pane)
    try:
        pane.resize(500, 400)
        pane.show()
        pane.show_result(hit, passage, "platypus")
        qtbot.waitUntil(lambda: pane.shown == (str(path), None), timeout=10_000)
        document = pane._text.document()
        marked = []
        block = document.begin()
        while block.isValid():
            fragment_iterator = block.begin()
            while not fragment_iterator.atEnd():
                fragment = fragment_iterator.fragment()
                if fragment.charFormat().fontWeight() > 500:
                    marked.append(fragment.text())
                fragment_iterator += 1
            block = block.next()
        assert marked == ["platypus"]
        assert pane._text.textCursor().block().text().startswith("The platypus")
    finally:
        worker.stop()
        reader.close()
