"""The workers: latest-wins jobs, and the indexer's generator driven from a thread (with a fake
indexer here, whose files the test lets through one by one, so pause, cancel and restarts are
checked event by event)."""

from __future__ import annotations

import threading

import pytest

from desktop_search.core.indexer import FileIndexed, Progress, Summary
from desktop_search.core.library import Library
from desktop_search.ui.workers import IndexWorker, LatestWorker


class FakeCatalog:
    def __init__(self) -> None:
        self.added: list[str] = []
        self.removed: list[str] = []
        self.invalidated: list[str] = []

    def add_folder(self, path: str) -> None:
        if path not in self.added:
            self.added.append(path)

    def remove_folder(self, path: str) -> int:
        self.added.remove(path)
        self.removed.append(path)
        return 0

    def invalidate(self, paths) -> None:  # type: ignore[no-untyped-def]
        self.invalidated.extend(paths)

    def folders(self) -> list[str]:
        return sorted(self.added)


class FakeIndexer:
    """Yields `files` reading events per run; records what it was asked. With `let_through`
    called, each file waits until the test lets it through (else they all go at once)."""

    def __init__(self, files: int = 5) -> None:
        self.files = files
        self.runs: list[tuple[object, bool]] = []
        self.pulled = 0
        self.closed = 0
        self._tickets: threading.Semaphore | None = None

    def hold(self) -> None:
        """From now on each file waits for let_through."""
        self._tickets = threading.Semaphore(0)

    def let_through(self, files: int = 1000) -> None:
        assert self._tickets is not None
        self._tickets.release(files)

    def run(self, roots=None, *, rescan: bool = True):  # type: ignore[no-untyped-def]
        self.runs.append((list(roots) if roots else None, rescan))
        try:
            for done in range(self.files):
                if self._tickets is not None:
                    assert self._tickets.acquire(timeout=60), "the test never let this file through"
                self.pulled += 1
                yield Progress("reading", done, self.files, f"/f/{done}.txt")
                yield FileIndexed(f"/f/{done}.txt", "indexed", None, 3)
        except GeneratorExit:
            self.closed += 1  # stopped before its end
            raise
        yield Summary(indexed=self.files)


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    return FakeIndexer(), FakeCatalog()


@pytest.fixture
def worker(fake):  # type: ignore[no-untyped-def]
    indexer, catalog = fake
    built = IndexWorker(Library(catalog, lambda: indexer))
    yield built
    built.stop()


def test_latest_worker_runs_only_the_newest_waiting_job(qtbot) -> None:
    worker = LatestWorker("test")
    ran: list[int] = []
    release, started = threading.Event(), threading.Event()

    def job(value: int) -> int:
        if value == 0:
            started.set()
            release.wait(5)
        ran.append(value)
        return value * 10

    try:
        first = worker.submit(job, 0)  # runs, and blocks until released
        assert started.wait(5)
        for value in range(1, 6):
            last = worker.submit(job, value)  # each replaces the one waiting before it
        with qtbot.waitSignal(
            worker.job_finished, check_params_cb=lambda t, r: t == last, timeout=5000
        ) as done:
            release.set()
        assert done.args == [last, 50]
        assert ran == [0, 5]
        assert worker.is_latest(last) and not worker.is_latest(first)
    finally:
        worker.stop()


def test_latest_worker_reports_errors_and_discards(qtbot) -> None:
    worker = LatestWorker("test")
    try:
        with qtbot.waitSignal(worker.job_failed, timeout=5000) as failed:
            ticket = worker.submit(lambda: 1 / 0)
        assert failed.args[0] == ticket and "ZeroDivisionError" in failed.args[1]
        worker.discard()
        assert not worker.is_latest(ticket)
    finally:
        worker.stop()


def test_index_worker_runs_to_the_summary_with_signals_in_order(qtbot, worker, fake) -> None:
    indexer, catalog = fake
    files: list = []
    summaries: list = []
    worker.files_indexed.connect(files.extend)
    worker.indexing_finished.connect(summaries.append)
    with qtbot.waitSignals(
        [worker.indexing_started, worker.catalog_changed, worker.indexing_finished],
        order="strict",
        timeout=5000,
    ):
        worker.index(["/new"])
    (summary,) = summaries
    assert isinstance(summary, Summary) and summary.indexed == 5
    assert catalog.added == ["/new"]
    assert indexer.runs == [(["/new"], True)]
    assert [event.path for event in files] == [f"/f/{n}.txt" for n in range(5)]
    assert not worker.is_busy()


def test_new_folders_go_first_and_restart_the_run(qtbot, worker, fake) -> None:
    indexer, catalog = fake
    catalog.added = ["/a", "/b"]
    indexer.hold()
    with qtbot.waitSignal(worker.indexing_finished, timeout=5000):
        worker.index()
        qtbot.waitUntil(lambda: len(indexer.runs) == 1)
        worker.index(["/c"])  # arrives while the first run waits for its first file
        indexer.let_through()
    assert indexer.runs == [(["/a", "/b"], True), (["/c", "/a", "/b"], True)]
    assert indexer.closed == 1


def test_pause_stops_pulling_and_resume_carries_on(qtbot, worker, fake) -> None:
    indexer, _ = fake
    indexer.hold()
    with qtbot.waitSignal(worker.paused_changed, check_params_cb=lambda paused: paused, timeout=5000):
        worker.index(["/a"])
        indexer.let_through(1)
        qtbot.waitUntil(lambda: indexer.pulled == 1)
        worker.pause()
    assert worker.is_paused()
    indexer.let_through()  # nothing holds the files back now but the pause
    # That nothing happens can only be watched for a while; the file the worker may already have
    # been waiting for when it was paused is the only one it may read.
    with qtbot.assertNotEmitted(worker.indexing_finished, wait=500):
        pass
    assert indexer.pulled <= 2, "files read while paused"
    with qtbot.waitSignal(worker.indexing_finished, timeout=5000) as finished:
        worker.resume()
    assert isinstance(finished.args[0], Summary)
    assert indexer.pulled == 5


def test_cancel_closes_the_generator_and_finishes_without_summary(qtbot, worker, fake) -> None:
    indexer, _ = fake
    indexer.hold()
    with qtbot.waitSignal(worker.indexing_finished, timeout=5000) as finished:
        worker.index(["/a"])
        indexer.let_through(1)
        qtbot.waitUntil(lambda: indexer.pulled == 1)
        worker.cancel()
        indexer.let_through()
    assert finished.args == [None]
    assert indexer.closed == 1 and indexer.pulled <= 2  # the one it waited for, if any
    with qtbot.waitSignal(worker.indexing_finished, timeout=5000) as again:  # and it runs again afterwards
        worker.index()
    assert isinstance(again.args[0], Summary)


def test_remove_and_retry_reach_the_catalog(qtbot, worker, fake) -> None:
    indexer, catalog = fake
    catalog.added = ["/a", "/b"]
    with qtbot.waitSignal(worker.indexing_finished, timeout=5000):
        worker.remove("/a")
    assert catalog.removed == ["/a"]
    assert indexer.runs[-1] == (None, False)  # only the vectors follow: no rescan
    with qtbot.waitSignal(worker.indexing_finished, timeout=5000):
        worker.retry(["/b/x.pdf"])
    assert catalog.invalidated == ["/b/x.pdf"]
    assert indexer.runs[-1] == (["/b"], True)


def test_an_indexer_error_is_reported_not_raised(qtbot, fake) -> None:
    _, catalog = fake

    class Broken:
        def run(self, roots=None, *, rescan=True):  # type: ignore[no-untyped-def]
            yield Progress("scanning", 0, 0, "/a")
            raise OSError("disk on fire")

    worker = IndexWorker(Library(catalog, Broken))
    seen: list = []
    worker.indexing_failed.connect(seen.append)
    worker.indexing_finished.connect(seen.append)
    try:
        with qtbot.waitSignals(
            [worker.indexing_failed, worker.indexing_finished], order="strict", timeout=5000
        ):
            worker.index(["/a"])
        assert len(seen) == 2 and "disk on fire" in seen[0] and seen[1] is None
    finally:
        worker.stop()
