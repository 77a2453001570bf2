"""Source code and configuration files: which files are candidates (by suffix or by name), read
as text, binary refused; the project's own files are the real examples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop_search.core import extract
from desktop_search.core.extract import ERROR, INDEXED, UNSUPPORTED, code
from desktop_search.core.scanner import scan
from tests.helpers import CORPUS, ROOT, outcome


@pytest.mark.parametrize(
    "name, kind",
    [
        ("main.py", "code"),
        ("App.TSX", "code"),
        ("schema.xml", "code"),
        ("page.xhtml", "html"),  # XHTML stays a web page
        ("config.yaml", "code"),
        ("Makefile", "code"),
        ("Dockerfile", "code"),
        ("CMakeLists.txt", "code"),  # its name, before its suffix
        ("README", "text"),
        ("LICENSE", "text"),
        ("COPYING", "text"),
        ("notes.md", "text"),
        ("photo.jpg", "image"),
        ("song.mp3", None),
        ("mystery", None),
    ],
)
def test_kind_by_suffix_or_by_name(name, kind):
    assert extract.kind_for_suffix(Path("some/folder") / name) == kind


@pytest.mark.parametrize(
    "relative, words",
    [
        ("desktop_search/core/extract/code.py", "def extract_code"),
        ("pyproject.toml", "[tool.ruff]"),
        (".github/workflows/package.yml", "runs-on"),
        ("packaging/linux/build-deb.sh", "dpkg"),
        ("Makefile", "test:"),
    ],
)
def test_project_files_are_read_as_text(relative, words):
    status, kind, pages = outcome(ROOT / relative)
    assert status == INDEXED
    assert kind == extract.kind_for_suffix(ROOT / relative)
    assert words in pages[0].text and pages[0].number is None


def test_named_files_are_candidates_but_dotfiles_are_not(tmp_path):
    for name in ("Makefile", "README", ".env", ".eslintrc.json", "build.gradle"):
        shutil.copy(ROOT / "Makefile", tmp_path / name)
    assert sorted(Path(found.path).name for found in scan(str(tmp_path))) == [
        "Makefile",
        "README",
        "build.gradle",
    ]


def test_binary_under_a_source_name_is_refused(tmp_path):
    fake = Path(shutil.copy(CORPUS / "images" / "notext" / "pillow__hopper.png", tmp_path / "data.json"))
    status, reason, _ = outcome(fake)
    assert status == UNSUPPORTED and "binary" in reason


def test_huge_source_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(code, "MAX_BYTES", 1024)  # the real limit is 16 MB: a smaller file here
    status, reason, _ = outcome(ROOT / "desktop_search" / "core" / "extract" / "legacy.py")
    assert status == ERROR and "too large" in reason
