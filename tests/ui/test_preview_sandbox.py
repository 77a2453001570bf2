"""Previews are read in a sandbox, not in the window's process: a page that would take MuPDF
minutes to draw costs only its own preview (a problem message once the budget runs out), the
window keeps running meanwhile, and the next preview works in a fresh child."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from PySide6.QtCore import QTimer

from desktop_search.core.preview_reader import PreviewReader
from desktop_search.ui.results_model import PathRole

SLOW_TEXT = "The platypus paints its burrow walls with ochre, again and again, all night long."
TIME_BUDGET = 4.0  # seconds; the slow page needs minutes


def write_slow_pdf(path: Path, fills: int = 100_000) -> None:
    """A page whose text reads in a blink but whose drawing takes MuPDF minutes: a page-sized fill,
    repeated (the indexer only reads text, so it indexes this file without trouble)."""
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 72), SLOW_TEXT, fontsize=11)
    xref = page.get_contents()[0]
    fills_stream = b"\nq 1 1 0.9 rg\n" + b"0 0 612 792 re f\n" * fills + b"Q\n"
    document.update_stream(xref, document.xref_stream(xref) + fills_stream)
    document.save(path, deflate=True)
    document.close()


def test_a_page_that_never_finishes_drawing_costs_only_its_preview(
    qtbot, window, docs: Path, index_by_drop, search
) -> None:
    slow, good = docs / "slow.pdf", docs / "mozilla-testing.pdf"
    write_slow_pdf(slow)
    reader = PreviewReader(time_budget=TIME_BUDGET)
    preview = window.preview
    preview.attach(reader)
    ticks = [0]
    timer = QTimer(window, interval=20)
    timer.timeout.connect(lambda: ticks.append(ticks.pop() + 1))
    try:
        summary = index_by_drop(docs)
        assert summary.indexed == 5 and not summary.failed

        model = search("platypus paints its burrow walls with ochre")
        assert model.index(0, 0).data(PathRole) == str(slow)
        qtbot.waitUntil(lambda: preview._message.title.text() == "Loading…", timeout=10_000)
        timer.start()
        before = ticks[0]
        qtbot.waitUntil(lambda: preview.shown is not None, timeout=60_000)
        assert ticks[0] - before >= 10  # the window's event loop ran all the while
        assert preview._stack.currentWidget() is preview._message
        assert preview._message.title.text() == "No preview"
        message = preview._message.body.text()
        assert message.startswith(f"could not show this file: took longer than {TIME_BUDGET:.0f} s")

        search("reftest verifies two web pages render identically")  # the next preview: a new child
        qtbot.waitUntil(lambda: preview.shown == (str(good), 2), timeout=30_000)
        assert preview._stack.currentWidget() is preview._page
        assert "Page 2 of 5" in preview._info.full_text()
        image = preview._page.image()
        assert not image.isNull() and image.width() > 100 and image.height() > 100
        focus = preview._page._focus  # the passage's highlight
        assert focus is not None and image.rect().toRectF().contains(focus)
    finally:
        timer.stop()
        window.close()  # stops the preview worker before its reader closes
        reader.close()
