"""Counting the catalog for the window: per folder, failures, and which folder a path is under."""

from __future__ import annotations

from desktop_search.core.catalog import FileRecord
from desktop_search.core.library_status import folder_of, summarize


def record(
    path: str, folder: str, status: str = "indexed", passages: int = 3, synced: bool = True
) -> FileRecord:
    return FileRecord(
        "k",
        path,
        folder,
        "text",
        1,
        1.0,
        "h",
        status,
        None if status == "indexed" else "why",
        passages,
        passages,
        synced,
    )


def test_summarize_counts_per_folder() -> None:
    stats = summarize(
        ["/a", "/b"],
        [
            record("/a/1.md", "/a"),
            record("/a/2.md", "/a", synced=False),
            record("/a/3.pdf", "/a", "password", 0),
            record("/b/4.md", "/b"),
            record("/gone/5.md", "/gone"),
        ],
        passages=12,
    )
    a, b = stats.folders
    assert (a.files, a.indexed, a.failed, a.waiting, a.passages) == (3, 2, 1, 1, 6)
    assert (b.files, b.indexed) == (1, 1)
    assert (stats.files, stats.indexed, stats.waiting, stats.passages) == (4, 3, 1, 12)
    assert [(f.path, f.status) for f in stats.failures] == [("/a/3.pdf", "password")]


def test_folder_of_picks_the_longest_containing_folder() -> None:
    folders = ["/home/me", "/home/me/Books", "/home/me/Books2", "/home/me/file.pdf"]
    assert folder_of("/home/me/Books/x.pdf", folders) == "/home/me/Books"
    assert folder_of("/home/me/Books2/x.pdf", folders) == "/home/me/Books2"
    assert folder_of("/home/me/file.pdf", folders) == "/home/me/file.pdf"
    assert folder_of("/home/you/x.pdf", folders) is None
