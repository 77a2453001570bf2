"""What the latency sections type and index: the queries (questions a person would ask, then
runs of words from the index's own passages) and the new files written while searching.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

# Questions a person would type about what the shared corpus holds (plus identifiers and syntax).
QUESTIONS = [
    "how does ownership and borrowing work",
    "handle errors with Result",
    "lifetimes of references",
    "closures that capture their environment",
    "create a new project with cargo",
    "Box smart pointer",
    "mutable reference rules",
    "pattern matching on enums",
    "threads and message passing",
    "install a package with apt",
    "copyright and license terms",
    "GNU General Public License version 2",
    "list files sorted by size",
    "extract a tar archive",
    "find files by name",
    "git rebase interactively",
    "compress a directory",
    "show disk usage",
    "set logscale",
    "R_LIBS_USER",
    "ERR_CONNECTION_RESET",
    "plot a function with gnuplot",
    "thesis template",
    "arabic typesetting with LaTeX",
    "multiple choice exam",
    "how to write a table of contents",
    "font encoding for Cyrillic",
    "Chinese characters in documents",
    "matrix multiplication",
    "solve linear equations",
    "a man who falls in love",
    "the captain of the ship",
    "letters written during the war",
    '"exact phrase" search',
    "memory safety -unsafe",
    '"standard library" collections',
    "convert a document to PDF",
    "keyboard shortcuts",
    "network configuration",
    "environment variables",
]


def make_queries(catalog_path: str, count: int, seed: int = 11) -> list[str]:
    """The QUESTIONS, then 2-6 consecutive words from random passages, until `count`."""
    import sqlite3

    queries = list(QUESTIONS[:count])
    db = sqlite3.connect(f"file:{catalog_path}?mode=ro", uri=True)
    highest = db.execute("SELECT MAX(id) FROM passages").fetchone()[0] or 0
    rng = random.Random(seed)
    word = re.compile(r"[^\W\d_]{3,}")
    attempts = 0
    while len(queries) < count and attempts < count * 50:
        attempts += 1
        row = db.execute(
            "SELECT text FROM passages WHERE id >= ? LIMIT 1", (rng.randint(1, highest),)
        ).fetchone()
        words = word.findall(row[0]) if row else []
        if len(words) < 6:
            continue
        length = rng.randint(2, 6)
        start = rng.randrange(0, len(words) - length)
        queries.append(" ".join(words[start : start + length]))
    db.close()
    return queries


def write_abstracts(target: Path, count: int) -> int:
    """SciFact abstracts as text files: new text the base index has never embedded."""
    from common import SHARED

    target.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(SHARED / "eval" / "scifact" / "corpus.jsonl", encoding="utf-8") as stream:
        for line in stream:
            if written >= count:
                break
            document = json.loads(line)
            (target / f"scifact-{document['_id']}.txt").write_text(
                f"{document['title']}\n\n{document['text']}\n", encoding="utf-8"
            )
            written += 1
    return written
