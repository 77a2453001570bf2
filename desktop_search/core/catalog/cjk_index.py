"""Writes to the CJK keyword index (passages_cjk, see core/cjk.py): the passages holding Chinese,
Japanese or Korean text, spaced out. A trigger on passages removes them; these add them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from desktop_search.core.catalog.transaction import Transaction
from desktop_search.core.cjk import has_cjk, spaced

_INSERT = "INSERT INTO passages_cjk(rowid, text) VALUES (?, ?)"


def index_cjk(db: sqlite3.Connection, key: str, texts: Iterable[str], first_seq: int = 0) -> None:
    """Add the file's passages from first_seq on that hold CJK text (just inserted with these
    texts), inside the caller's transaction."""
    if not any(has_cjk(text) for text in texts):
        return
    rows = db.execute("SELECT id, text FROM passages WHERE file_key = ? AND seq >= ?", (key, first_seq))
    db.executemany(_INSERT, [(passage_id, spaced(text)) for passage_id, text in rows if has_cjk(text)])


def backfill_cjk(db: sqlite3.Connection) -> None:
    """Fill the CJK index of a catalog made before it existed (once), with the passages holding
    CJK text. Python's regex picks them: SQLite's GLOB with a character class is many times
    slower."""
    done = "SELECT 1 FROM settings WHERE name = 'cjk_indexed'"
    if db.execute(done).fetchone():
        return
    with Transaction(db):
        if db.execute(done).fetchone():  # another connection was first
            return
        db.execute("DELETE FROM passages_cjk")
        rows = db.execute("SELECT id, text FROM passages")
        db.executemany(_INSERT, ((passage_id, spaced(text)) for passage_id, text in rows if has_cjk(text)))
        db.execute("INSERT OR REPLACE INTO settings VALUES ('cjk_indexed', '1')")
