"""Live folders: changes reach the index in seconds, and a burst is one batch.

Whether something was left out is told by a change in a second watched folder, made after it:
once that change's batch has come, the earlier events have had their chance to make one.
"""

from __future__ import annotations

import queue
import shutil

import pytest

from desktop_search.core.watcher import FolderWatcher
from tests.helpers import RUST_BOOK, copy_files

SOURCE = RUST_BOOK / "ch01-00-getting-started.md"


def next_batch(batches: queue.Queue[set[str]]) -> set[str]:
    try:
        return batches.get(timeout=60)  # only turns a missed change into a failure
    except queue.Empty:
        raise AssertionError("the watcher reported no change") from None


def batches_until(batches: queue.Queue[set[str]], folder: str) -> list[set[str]]:
    """The batches that come, up to and including the first that names folder."""
    seen = [next_batch(batches)]
    while folder not in seen[-1]:
        seen.append(next_batch(batches))
    return seen


@pytest.fixture
def watched(tmp_path):
    """(folder, sentinel folder, the queue of batches): both folders watched."""
    batches: queue.Queue[set[str]] = queue.Queue()
    folder, sentinel = tmp_path / "docs", tmp_path / "sentinel"
    folder.mkdir()
    sentinel.mkdir()
    watcher = FolderWatcher(batches.put, quiet=0.5, longest=5)
    watcher.start()
    watcher.watch([str(folder), str(sentinel)])
    yield folder, sentinel, batches
    watcher.stop()


def test_each_kind_of_change_is_reported(watched):
    folder, _, batches = watched
    steps = [
        lambda: shutil.copy(SOURCE, folder / "new.md"),
        lambda: (folder / "new.md").write_text("edited", encoding="utf-8"),
        lambda: (folder / "new.md").rename(folder / "renamed.md"),
        lambda: (folder / "sub" / "deeper").mkdir(parents=True),
        lambda: shutil.copy(SOURCE, folder / "sub" / "deeper" / "inside.md"),
        lambda: (folder / "renamed.md").unlink(),
    ]
    for step in steps:
        step()
        assert next_batch(batches) == {str(folder)}


def test_a_burst_of_changes_is_one_batch(watched):
    folder, sentinel, batches = watched
    for i in range(2000):
        (folder / f"note-{i}.md").write_text(f"note {i}", encoding="utf-8")
    assert next_batch(batches) == {str(folder)}
    shutil.copy(SOURCE, sentinel)
    later = batches_until(batches, str(sentinel))
    assert sum(str(folder) in batch for batch in later) <= 1, (
        "2,000 writes must not become thousands of rescans"
    )


def test_hidden_and_temporary_files_are_ignored(watched):
    folder, sentinel, batches = watched
    (folder / ".swapfile.swp").write_text("x")
    (folder / "draft.md~").write_text("x")
    (folder / ".git").mkdir()
    (folder / ".git" / "index").write_text("x")
    shutil.copy(SOURCE, sentinel)
    assert batches_until(batches, str(sentinel)) == [{str(sentinel)}]
    copy_files([SOURCE], folder)
    assert next_batch(batches) == {str(folder)}
