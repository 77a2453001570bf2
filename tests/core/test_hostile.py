"""Odd trees and hostile files: the run finishes, each file gets a status, nothing hangs."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import zipfile

import pytest

from tests.helpers import RUST_BOOK, cli_command, copy_files, run_cli

SOURCE = RUST_BOOK / "ch01-00-getting-started.md"


def build_odd_tree(root):
    root.mkdir()
    shutil.copy(SOURCE, root / "plain.md")
    shutil.copy(SOURCE, root / "ünïcødé — 日本語 🚀.md")
    shutil.copy(SOURCE, root / ("long-name-" + "x" * 230 + ".md"))
    deep = root
    for level in range(60):
        deep = deep / f"level{level}"
    deep.mkdir(parents=True)
    shutil.copy(SOURCE, deep / "deep.md")
    (root / "loop").symlink_to(root, target_is_directory=True)  # a symlink loop
    (root / "link.md").symlink_to(root / "plain.md")
    os.mkfifo(root / "fifo.txt")  # opening it would block forever
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "socket.md"))
    with (
        zipfile.ZipFile(root / "bomb.docx", "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(600):
            member.write(b"\0" * (1 << 20))
    with open(root / "huge.txt", "wb") as stream:
        stream.truncate(1 << 30)
    (root / "binary.txt").write_bytes(bytes(range(256)) * 64)
    return server


def test_odd_tree_is_indexed_without_hanging(tmp_path):
    root = tmp_path / "odd"
    server = build_odd_tree(root)
    try:
        result = subprocess.run(
            [*cli_command(tmp_path / "data"), "index", str(root)], capture_output=True, text=True, timeout=600
        )
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    files = {
        os.path.relpath(f["path"], root): f
        for f in json.loads(run_cli("status", "--json", data_dir=tmp_path / "data").stdout)["files"]
    }
    indexed = {name for name, f in files.items() if f["status"] == "indexed"}
    assert "plain.md" in indexed and "ünïcødé — 日本語 🚀.md" in indexed
    assert any(name.startswith("long-name-") for name in indexed)
    assert any(name.endswith("deep.md") for name in indexed)
    assert not any(name.startswith("loop") for name in files), "symlinks are not followed"
    assert "fifo.txt" not in files and "socket.md" not in files and "link.md" not in files
    assert "zip bomb" in files["bomb.docx"]["reason"]
    assert "too large" in files["huge.txt"]["reason"]
    assert files["binary.txt"]["status"] == "unsupported"


@pytest.mark.needs_unshare
def test_index_and_search_work_with_no_network_at_all(tmp_path):
    """The same run inside a network namespace (`unshare -n`: no interface but a down loopback)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SOURCE, docs)
    index = subprocess.run(
        ["unshare", "-n", *cli_command(tmp_path / "data"), "index", str(docs)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert index.returncode == 0, index.stderr
    search = subprocess.run(
        ["unshare", "-n", *cli_command(tmp_path / "data"), "search", "install rust", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert search.returncode == 0, search.stderr
    assert json_paths(search.stdout) == [str(docs / SOURCE.name)]


def json_paths(text: str) -> list[str]:
    return [hit["path"] for hit in json.loads(text)]


@pytest.mark.needs_root
def test_disk_full_is_reported_and_the_index_survives(tmp_path):
    mount = tmp_path / "small-disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4M", "tmpfs", str(mount)], check=True)
    try:
        docs = tmp_path / "docs"
        docs.mkdir()
        copies = copy_files(sorted(RUST_BOOK.glob("ch0*.md"))[:25], docs)
        data = mount / "data"
        full = run_cli("index", str(docs), data_dir=data, check=False)
        assert full.returncode == 3 and "full" in full.stderr.splitlines()[-1]
        assert "Traceback" not in full.stderr
        subprocess.run(["mount", "-o", "remount,size=512M", str(mount)], check=True)  # space freed
        run_cli("index", data_dir=data)
        files = json.loads(run_cli("status", "--json", data_dir=data).stdout)["files"]
        assert len(files) == len(copies) and all(f["status"] == "indexed" for f in files)
        assert json_paths(run_cli("search", "installation", "--json", data_dir=data).stdout)
    finally:
        subprocess.run(["umount", str(mount)], check=False)
