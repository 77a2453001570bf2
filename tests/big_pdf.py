"""A real 1,000+ page PDF, built in a moment from the corpus's Rust book: its text, in order, a
short paragraph a page (a passage each, so embedding them all takes seconds, not minutes)."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from tests import helpers

PAGES = 1_040
WORDS_PER_PAGE = 40


def build_big_pdf(target: Path, pages: int = PAGES) -> Path:
    words = [
        word
        for chapter in sorted(helpers.RUST_BOOK.glob("ch*.md"))
        for word in chapter.read_text(encoding="utf-8").split()
        if word.isascii() and not word.startswith(("#", "`", "|", "<"))
    ]
    assert len(words) >= pages * WORDS_PER_PAGE, "the Rust book is shorter than expected"
    target.parent.mkdir(parents=True, exist_ok=True)
    with pymupdf.open() as document:
        for number in range(pages):
            page = document.new_page()
            text = " ".join(words[number * WORDS_PER_PAGE : (number + 1) * WORDS_PER_PAGE])
            page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), f"{text}.", fontsize=11)
        document.save(target)
    return target
