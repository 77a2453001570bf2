"""The scanner on real trees in tmp_path: what it lists (with size and time), what the exclusions
leave out, and what it never follows or opens."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from desktop_search.core.scanner import Exclusions, FoundFile, scan


def write(path: Path, text: str = "some words") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def found(root: Path, exclusions: Exclusions | None = None) -> list[str]:
    """The scanned paths, relative to root."""
    return [os.path.relpath(f.path, root) for f in scan(str(root), exclusions)]


def test_lists_readable_kinds_with_size_and_modification_time(tmp_path):
    note = write(tmp_path / "note.md", "twelve bytes")
    os.utime(note, (1_600_000_000, 1_600_000_000.5))
    write(tmp_path / "sub" / "report.pdf", "%PDF-1.4")
    write(tmp_path / "sub" / "letter.docx")
    write(tmp_path / "sub" / "page.HTML")  # suffixes in any case
    write(tmp_path / "song.mp3")  # not a kind we read
    write(tmp_path / "program.exe")
    write(tmp_path / "README")  # no suffix at all

    files = {os.path.relpath(f.path, tmp_path): f for f in scan(str(tmp_path))}
    assert set(files) == {"note.md", "sub/report.pdf", "sub/letter.docx", "sub/page.HTML"}
    assert files["note.md"] == FoundFile(str(note), len("twelve bytes"), 1_600_000_000.5)
    assert files["sub/report.pdf"].size == len("%PDF-1.4")


def test_walks_in_name_order_depth_first(tmp_path):
    for name in ("b.md", "a/z.md", "a/b/y.md", "c.md", "a.md"):
        write(tmp_path / name)
    assert found(tmp_path) == ["a.md", "b.md", "c.md", "a/z.md", "a/b/y.md"]


def test_a_file_given_as_root_is_listed_itself(tmp_path):
    note = write(tmp_path / "note.md", "hello")
    assert list(scan(str(note))) == [FoundFile(str(note), 5, note.stat().st_mtime)]


def test_missing_root_gives_nothing(tmp_path):
    assert list(scan(str(tmp_path / "unplugged drive"))) == []


def test_hidden_files_and_folders_are_left_out(tmp_path):
    write(tmp_path / "visible.md")
    write(tmp_path / ".hidden.md")
    write(tmp_path / ".git" / "notes.md")
    write(tmp_path / "sub" / ".cache" / "page.html")
    write(tmp_path / "sub" / "kept.txt")
    assert found(tmp_path) == ["visible.md", "sub/kept.txt"]


def test_dependency_trees_caches_and_temporary_files_are_left_out(tmp_path):
    write(tmp_path / "node_modules" / "lib" / "README.md")
    write(tmp_path / "deep" / "node_modules" / "x.md")
    write(tmp_path / "__pycache__" / "notes.txt")
    write(tmp_path / "venv" / "LICENSE.txt")
    write(tmp_path / "~$draft.docx")  # Word's lock file
    write(tmp_path / "draft.md~")  # an editor's backup
    write(tmp_path / "upload.tmp")
    write(tmp_path / "film.pdf.part")
    write(tmp_path / "deep" / "kept.md")
    write(tmp_path / "node_modules.md")  # only the folder of that name is excluded
    assert found(tmp_path) == ["node_modules.md", "deep/kept.md"]


def test_user_patterns_use_gitignore_syntax(tmp_path):
    for name in (
        "drafts/one.md",
        "work/drafts/two.md",
        "work/report.pdf",
        "work/keep.pdf",
        "secret-plans.md",
        "work/secret-too.md",
        "top.txt",
        "work/top.txt",
        "work/build/out.txt",
        "kept.md",
    ):
        write(tmp_path / name)
    exclusions = Exclusions(["drafts/", "*.pdf", "!keep.pdf", "secret-*", "/top.txt", "build/"])
    assert sorted(found(tmp_path, exclusions)) == ["kept.md", "work/keep.pdf", "work/top.txt"]


def test_user_patterns_add_to_the_defaults(tmp_path):
    write(tmp_path / ".hidden.md")
    write(tmp_path / "node_modules" / "x.md")
    write(tmp_path / "a.log")
    write(tmp_path / "kept.md")
    assert found(tmp_path, Exclusions(["*.log"])) == ["kept.md"]


def test_symlinks_are_not_followed(tmp_path):
    root = tmp_path / "root"
    outside = write(tmp_path / "outside" / "elsewhere.md")
    write(root / "real.md")
    (root / "link-to-file.md").symlink_to(root / "real.md")
    (root / "link-to-outside.md").symlink_to(outside)
    (root / "link-to-folder").symlink_to(outside.parent, target_is_directory=True)
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "dangling.md").symlink_to(tmp_path / "gone.md")
    assert found(root) == ["real.md"]


def test_fifos_and_sockets_are_never_opened(tmp_path):
    write(tmp_path / "real.md")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block until someone writes
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "socket.md"))
    result: list[list[str]] = []
    try:
        scanning = threading.Thread(target=lambda: result.append(found(tmp_path)), daemon=True)
        scanning.start()
        scanning.join(60)  # only turns a hang (an opened FIFO) into a failure
        assert not scanning.is_alive(), "the scan is stuck: it opened the FIFO"
    finally:
        server.close()
    assert result == [["real.md"]]


@pytest.mark.parametrize(
    "relative, is_dir, excluded",
    [
        ("notes.md", False, False),
        (".notes.md", False, True),
        ("a/.b/c.md", False, True),
        ("node_modules", True, True),
        ("node_modules", False, False),  # a file of that name
        ("deep/venv", True, True),
        ("Thumbs.db.tmp", False, True),
        ("build", True, True),
        ("build", False, False),  # "build/" names only folders
        ("src/build", True, True),
    ],
)
def test_exclusions_match_relative_paths(relative, is_dir, excluded):
    assert Exclusions(["build/"]).excludes(relative, is_dir=is_dir) is excluded
