"""A 1,000+ page PDF: progress inside the file while it is read and embedded, and a run stopped
halfway through it ends the reading child, or keeps the vectors made so far for the next run."""

from __future__ import annotations

import itertools
import multiprocessing
from pathlib import Path

import pytest

from desktop_search.core.embedding import BATCH_SIZE
from desktop_search.core.indexer import FileIndexed, Progress
from tests.big_pdf import PAGES, build_big_pdf
from tests.helpers import assert_consistent, run


@pytest.fixture(autouse=True)
def tick_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tick for every page, however fast this machine reads (the reading child inherits it)."""
    monkeypatch.setenv("DESKTOP_SEARCH_TICK_SECONDS", "0")


@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_big_pdf(tmp_path_factory.mktemp("big") / "manual" / "big manual.pdf")


def readers() -> list[multiprocessing.process.BaseProcess]:
    return [child for child in multiprocessing.active_children() if child.name == "desktop-search-reader"]


def test_reading_a_big_pdf_tells_its_pages_as_they_go(big_pdf, services_factory):
    services = services_factory()
    events = services.indexer().run([str(big_pdf.parent)])
    inside: list[tuple[str, int, int]] = []
    read: FileIndexed | None = None
    for event in events:
        if isinstance(event, Progress) and event.inside:
            assert event.phase == "reading" and event.path == str(big_pdf)
            inside.append(event.inside)
        if isinstance(event, FileIndexed):
            read = event
        if isinstance(event, Progress) and event.phase == "embedding":
            break
    events.close()
    assert read is not None and read.status == "indexed" and read.passages >= PAGES
    pages = [done for step, done, total in inside if step == "reading"]
    assert len(pages) >= 2, "a few ticks while its pages are read, not one jump at the end"
    assert pages == sorted(set(pages)) and pages[-1] <= PAGES
    assert {total for step, _, total in inside if step == "reading"} == {PAGES}
    cut = [done for step, done, _ in inside if step == "cutting"]
    assert cut == sorted(cut), "then its pages are cut into passages, in order"
    assert inside.index(next(t for t in inside if t[0] == "reading")) == 0


def test_stopping_while_a_big_pdf_is_read_ends_the_reading_child(big_pdf, services_factory):
    services = services_factory()
    events = services.indexer().run([str(big_pdf.parent)])
    for event in events:
        if isinstance(event, Progress) and event.inside:
            assert readers(), "the child reads it"
            break
    events.close()
    assert not readers(), "closing the run ended the child halfway through the file"
    assert services.store.catalog.file(str(big_pdf)) is None, "nothing half-read was saved"
    read = [event for event in services.indexer().run() if isinstance(event, FileIndexed)]
    assert [(event.path, event.status) for event in read] == [(str(big_pdf), "indexed")]


def test_stopped_embedding_keeps_its_vectors_and_the_next_run_embeds_only_the_rest(
    tmp_path, services_factory
):
    """A big file is one window of passages, stored at its end: a stop halfway keeps what was done."""
    pdf = build_big_pdf(tmp_path / "docs" / "long.pdf", pages=120)
    services = services_factory()
    events = services.indexer().run([str(pdf.parent)])
    embedded: list[Progress] = []
    for event in events:
        if isinstance(event, Progress) and event.phase == "embedding":
            embedded.append(event)
            if event.done >= 3 * BATCH_SIZE:
                break
    events.close()
    total = embedded[-1].total
    steps = [after.done - before.done for before, after in itertools.pairwise(embedded)]
    assert steps and max(steps) <= BATCH_SIZE, "steady progress inside the file, a batch at a time"
    assert all(event.path == str(pdf) for event in embedded[1:])
    kept = embedded[-1].done
    assert kept < total
    record = services.store.catalog.file(str(pdf))
    assert record is not None and not record.synced, "the file is not whole in the vector store yet"
    assert services.store.vector_store.count() == kept, "what was embedded is kept"

    summary = run(services)
    assert (summary.reused, summary.embedded) == (kept, total - kept)
    assert_consistent(services)
