"""The sandboxed reader: a file that hangs, bombs or bloats costs only itself."""

from __future__ import annotations

import os
import zipfile

import pytest

from desktop_search.core.extract import ERROR, Skipped
from desktop_search.core.reader import SandboxedReader
from tests.helpers import CORPUS, RUST_BOOK, pdf_pages


@pytest.fixture
def reader(model_dir):
    sandboxed = SandboxedReader(model_dir, time_budget=3)
    yield sandboxed
    sandboxed.close()


def test_reads_real_files_like_in_process(reader):
    path = CORPUS / "pdf" / "good" / "samplefiles__pdflatex-4-pages.pdf"
    read = reader(path, "pdf")
    kind, passages = read.kind, read.passages
    assert kind == "pdf" and sorted({p.page for p in passages}) == pdf_pages(path)


def test_a_file_that_never_ends_is_cut_off_and_the_next_one_works(reader, tmp_path):
    fifo = tmp_path / "endless.txt"
    os.mkfifo(fifo)  # opening it blocks forever: a stand-in for a PDF that loops
    with pytest.raises(Skipped) as skipped:
        reader(fifo, "text")
    assert skipped.value.status == ERROR and "longer than 3 s" in skipped.value.reason
    read = reader(RUST_BOOK / "ch01-00-getting-started.md", "text")
    kind, passages = read.kind, read.passages
    assert kind == "text" and passages


def test_zip_bomb_docx_is_refused(reader, tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"<w:t>" + b"A" * (1 << 20) + b"</w:t>"
            for _ in range(600):
                member.write(block)
    assert bomb.stat().st_size < 5 << 20
    with pytest.raises(Skipped) as skipped:
        reader(bomb, "docx")
    assert "zip bomb" in skipped.value.reason


def test_huge_text_file_is_refused_without_reading_it(reader, tmp_path):
    huge = tmp_path / "huge.log.txt"
    with open(huge, "wb") as stream:
        stream.truncate(1 << 30)  # 1 GB, sparse: read, it would be zeros and refused as binary
    with pytest.raises(Skipped) as skipped:
        reader(huge, "text")
    assert "too large" in skipped.value.reason and "1024 MB" in skipped.value.reason
