"""Typing while a folder indexes: the search box takes every key and results come. How long the
GUI thread is kept busy meanwhile is printed (a 10 ms timer measures how late it fires); it is a
measurement for `make bench`, not a limit a test can hold on a shared machine."""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

QUERIES = ("ownership", "borrowing rules", "closures capture their environment", "enum match")


@pytest.fixture
def book(tmp_path: Path, corpus: Path) -> Path:
    """A larger folder: ~20 chapters of the Rust book (~250 passages, tens of seconds to index)."""
    target = tmp_path / "book"
    target.mkdir()
    chapters = sorted((corpus / "text" / "rust-book").glob("ch0[4-6]*.md")) + sorted(
        (corpus / "text" / "rust-book").glob("ch13-0*.md")
    )
    for chapter in chapters:
        (target / chapter.name).write_bytes(chapter.read_bytes())
    return target


class LagProbe:
    """A timer that should fire every 10 ms; the gaps between its firings are the stalls.

    On a machine shared with other busy processes a gap also holds time the GUI thread was ready
    to run but had no CPU; Linux counts that per thread (schedstat), so `stalls` leave it out and
    measure only what this process did: work on the GUI thread, or waits for a lock or the GIL.
    """

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self.stalls: list[float] = []
        self._schedstat = f"/proc/self/task/{threading.get_native_id()}/schedstat"
        self._last = time.perf_counter()
        self._last_wait = self._cpu_wait()
        self._timer = QTimer(interval=10)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self._last, self._last_wait = time.perf_counter(), self._cpu_wait()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _cpu_wait(self) -> float:
        """Seconds this thread has spent ready to run but waiting for a CPU (0 where unknown)."""
        try:
            with open(self._schedstat) as stream:
                return int(stream.read().split()[1]) / 1e9
        except (OSError, IndexError, ValueError):
            return 0.0

    def _on_timer_timeout(self) -> None:
        now, wait = time.perf_counter(), self._cpu_wait()
        gap = now - self._last
        self.gaps.append(gap)
        self.stalls.append(max(gap - (wait - self._last_wait), 0.0))
        self._last, self._last_wait = now, wait


def test_typing_while_indexing_loses_no_key_and_answers(qtbot, window, book: Path, drop, capsys) -> None:
    probe = LagProbe()
    box = window.search_bar.box
    answered: list[str] = []
    window.results.answer_shown.connect(lambda answer: answered.append(answer.text))
    probe.start()
    with qtbot.waitSignal(window.index_worker.indexing_finished, timeout=600_000) as finished:
        assert drop(window.results, [book])
        qtbot.waitUntil(lambda: window.indexing_bar.isVisible())
        busy_answers = 0
        for query in QUERIES:
            box.clear()
            qtbot.keyClicks(box, query, delay=25)  # a fast typist, event loop running between keys
            assert box.text() == query  # no key was lost
            # Results come as soon as files are read (asked again while there are none yet).
            qtbot.waitUntil(
                lambda query=query: (
                    bool(answered) and answered[-1] == query and window.results.model.rowCount() > 0
                ),
                timeout=60_000,
            )
            busy_answers += window.index_worker.is_busy()
    probe.stop()
    summary = finished.args[0]
    assert summary is not None and summary.indexed == len(list(book.iterdir()))
    assert busy_answers >= 2  # most answers came while indexing was still going on
    longest, stall = max(probe.gaps), max(probe.stalls)
    with capsys.disabled():
        print(
            f"\n[lag probe] {len(probe.gaps)} ticks over {summary.seconds:.1f} s of indexing "
            f"({summary.passages} passages): longest gap {longest * 1000:.0f} ms "
            f"(median {statistics.median(probe.gaps) * 1000:.1f} ms); longest stall of this process "
            f"{stall * 1000:.0f} ms (the rest was waiting for a CPU other processes had)"
        )
