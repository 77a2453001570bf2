"""The tree `make bench-scale` indexes: N files copied from the shared corpus, with varied content.

How it is made (RECIPE; the README repeats it):
- 49 files in 50 are copies of the corpus' text files (.md and .txt under 200 kB, taken in turn
  in a seeded shuffled order),
  each with one paragraph of VARIED_WORDS words drawn from the corpus' own vocabulary (a random
  generator seeded by the file's number) appended at its end. Passages are cut from the start, so
  only a copy's last passage differs from its source's: about one passage a file is new and must be
  embedded, every other passage repeats its source's text and reuses the stored vector (the indexer
  never embeds one text twice), and every file holds words no other file holds.
- 1 file in 50 is an unchanged copy of a small PDF or DOCX with a text layer (reading cost only).
The tree is cached at CACHE/tree-N with a stamp naming the recipe; a changed recipe rebuilds it.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import time
from pathlib import Path

from common import CACHE, CORPUS, log

RECIPE = "v2: shuffled text copies + one appended paragraph of 24 corpus words; 1 in 50 an unchanged PDF/DOCX"
VARIED_WORDS = 24
OTHER_FORMAT_EVERY = 50
SMALL = 200_000  # bytes


def text_sources(limit: int | None = None) -> list[Path]:
    """In a seeded random order, so a small tree draws from every part of the corpus."""
    sources = sorted(
        p
        for p in (CORPUS / "text").rglob("*")
        if p.is_file() and p.suffix in (".md", ".txt") and p.stat().st_size < SMALL
    )
    random.Random(0).shuffle(sources)
    return sources[:limit]


def other_sources() -> list[Path]:
    pdfs = [p for folder in ("tldr", "rust-book") for p in (CORPUS / "pdf" / folder).rglob("*.pdf")]
    docx = list((CORPUS / "docx" / "good").rglob("*.docx"))
    return sorted(p for p in pdfs + docx if p.stat().st_size < SMALL)


def vocabulary(sources: list[Path]) -> list[str]:
    words: set[str] = set()
    for source in sources:
        words.update(re.findall(r"[A-Za-z]{4,14}", source.read_text(errors="replace")))
    return sorted(words)


def build(root: Path, count: int, sources: int | None) -> dict[str, object]:
    texts, others = text_sources(sources), other_sources()
    if not texts:
        raise SystemExit(f"no text files under {CORPUS / 'text'} (set DESKTOP_SEARCH_SHARED)")
    words = vocabulary(texts)
    contents = {source: source.read_text(errors="replace") for source in texts}
    varied = copied = 0
    for i in range(count):
        folder = root / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        if i % OTHER_FORMAT_EVERY == OTHER_FORMAT_EVERY - 1 and others:
            source = others[(i // OTHER_FORMAT_EVERY) % len(others)]
            shutil.copyfile(source, folder / f"{i:06d}-{source.name}")
            copied += 1
            continue
        source = texts[i % len(texts)]
        extra = " ".join(random.Random(i).choices(words, k=VARIED_WORDS))
        text = contents[source].rstrip() + f"\n\nNote {i}: {extra}.\n"
        (folder / f"{i:06d}-{source.name}").write_text(text)
        varied += 1
    return {
        "files": count,
        "varied_text_files": varied,
        "unchanged_pdf_docx": copied,
        "text_sources": len(texts),
        "other_sources": len(others),
        "vocabulary": len(words),
        "recipe": RECIPE,
    }


def tree(count: int, sources: int | None = None) -> tuple[Path, dict[str, object]]:
    """The cached tree of `count` files (built if missing or made by another recipe); sources:
    copy only that many text files (a short test run with fewer passages to embed)."""
    root = CACHE / (f"tree-{count}" if sources is None else f"tree-{count}-of-{sources}")
    stamp = root / "stamp.json"
    if stamp.exists():
        made = json.loads(stamp.read_text())
        if made.get("recipe") == RECIPE:
            return root / "files", made
    shutil.rmtree(root, ignore_errors=True)
    log(f"building a tree of {count:,} files at {root}")
    started = time.monotonic()
    made = build(root / "files", count, sources)
    made["build_seconds"] = round(time.monotonic() - started, 1)
    stamp.write_text(json.dumps(made, indent=1))
    return root / "files", made
