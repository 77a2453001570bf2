"""Pause and Stop from the window while a 1,000+ page PDF is read and embedded: the pause holds
halfway through the file (the reading child waits too), the bar says which page, and Stop keeps
the vectors made so far."""

from __future__ import annotations

from pathlib import Path

from desktop_search.core.indexer import Progress
from tests.big_pdf import PAGES, build_big_pdf


def test_pause_holds_and_stop_ends_a_big_pdf_halfway(qtbot, window, tmp_path: Path, drop) -> None:  # type: ignore[no-untyped-def]
    pdf = build_big_pdf(tmp_path / "manual" / "big manual.pdf")
    worker = window.index_worker
    seen: list[Progress] = []
    held: list[tuple[Progress | None, int]] = []
    worker.progressed.connect(seen.append)
    worker.held.connect(lambda at: held.append((at, len(seen))))
    bar = window.indexing_bar
    with qtbot.waitSignal(worker.indexing_finished, timeout=600_000) as finished:
        assert drop(window.results, [pdf.parent])
        qtbot.waitUntil(lambda: "big manual.pdf: page" in bar.current.text(), timeout=120_000)
        assert f" of {PAGES:,}" in bar.current.text()

        bar.pause_button.click()
        qtbot.waitUntil(lambda: bool(held), timeout=60_000)
        at, shown = held[0]
        assert at is not None and at.path == str(pdf)
        assert at.inside is not None or at.done < at.total, "held halfway through the file"
        record = window.services.store.catalog.file(str(pdf))
        assert record is None or not record.synced
        assert bar.phase.text() == "Paused"
        assert len(seen) == shown, "nothing moved while held"

        bar.pause_button.click()  # Resume
        qtbot.waitUntil(
            lambda: any(p.phase == "embedding" and p.path == str(pdf) for p in seen), timeout=300_000
        )
        bar.cancel_button.click()
    assert finished.args == [None]  # stopped: no summary
    record = window.services.store.catalog.file(str(pdf))
    assert record is not None and record.passages >= PAGES and not record.synced
    stopped_at = max(p.done for p in seen if p.phase == "embedding")
    assert window.services.store.vector_store.count() >= stopped_at, "what was embedded is kept"
