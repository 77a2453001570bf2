"""Live folders: changes reach the index in seconds, and a burst is one batch."""

from __future__ import annotations

import queue
import shutil
import time

import pytest

from desktop_search.core.watcher import FolderWatcher
from tests.conftest import RUST_BOOK, copy_files


@pytest.fixture
def watched(tmp_path):
    batches: queue.Queue[set[str]] = queue.Queue()
    folder = tmp_path / "docs"
    folder.mkdir()
    watcher = FolderWatcher(batches.put, quiet=0.5, longest=5)
    watcher.start()
    watcher.watch([str(folder)])
    yield folder, batches, watcher
    watcher.stop()


def test_each_kind_of_change_is_reported(watched):
    folder, batches, _ = watched
    source = RUST_BOOK / "ch01-00-getting-started.md"
    steps = [
        lambda: shutil.copy(source, folder / "new.md"),
        lambda: (folder / "new.md").write_text("edited", encoding="utf-8"),
        lambda: (folder / "new.md").rename(folder / "renamed.md"),
        lambda: (folder / "sub" / "deeper").mkdir(parents=True),
        lambda: shutil.copy(source, folder / "sub" / "deeper" / "inside.md"),
        lambda: (folder / "renamed.md").unlink(),
    ]
    for step in steps:
        step()
        assert batches.get(timeout=5) == {str(folder)}


def test_a_burst_of_changes_is_one_batch(watched):
    folder, batches, _ = watched
    for i in range(2000):
        (folder / f"note-{i}.md").write_text(f"note {i}", encoding="utf-8")
    first = batches.get(timeout=10)
    assert first == {str(folder)}
    time.sleep(1.5)
    assert batches.qsize() <= 1, "2,000 writes must not become thousands of rescans"


def test_hidden_and_temporary_files_are_ignored(watched):
    folder, batches, _ = watched
    (folder / ".swapfile.swp").write_text("x")
    (folder / "draft.md~").write_text("x")
    (folder / ".git").mkdir()
    (folder / ".git" / "index").write_text("x")
    with pytest.raises(queue.Empty):
        batches.get(timeout=1.5)
    copy_files([RUST_BOOK / "ch01-00-getting-started.md"], folder)
    assert batches.get(timeout=5) == {str(folder)}
