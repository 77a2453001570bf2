"""Recent and saved searches, in the catalog beside the index they search (never anywhere else)."""

from __future__ import annotations

import sqlite3
import time

from desktop_search.core.catalog.transaction import Transaction

# Recent searches are ordered by rowid: a search asked again is deleted and inserted anew, so it
# takes the highest rowid (the clock could give two searches the same time).
SEARCHES_SCHEMA = """
CREATE TABLE IF NOT EXISTS recent_searches (query TEXT NOT NULL UNIQUE, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS saved_searches (
    name TEXT PRIMARY KEY, query TEXT NOT NULL, saved REAL NOT NULL
) WITHOUT ROWID;
"""


class SearchLog:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.executescript(SEARCHES_SCHEMA)

    def record(self, query: str, keep: int) -> None:
        """query becomes the newest recent search; only the newest `keep` stay."""
        with Transaction(self.db):
            self.db.execute("DELETE FROM recent_searches WHERE query = ?", (query,))
            self.db.execute("INSERT INTO recent_searches(query, at) VALUES (?, ?)", (query, time.time()))
            self.db.execute(
                "DELETE FROM recent_searches WHERE rowid NOT IN"
                " (SELECT rowid FROM recent_searches ORDER BY rowid DESC LIMIT ?)",
                (keep,),
            )

    def recent(self, limit: int) -> list[tuple[str, float]]:
        """(query, when) of the newest searches, newest first."""
        rows = self.db.execute("SELECT query, at FROM recent_searches ORDER BY rowid DESC LIMIT ?", (limit,))
        return [(query, at) for query, at in rows]

    def clear_recent(self) -> None:
        self.db.execute("DELETE FROM recent_searches")

    def save(self, name: str, query: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO saved_searches(name, query, saved) VALUES (?, ?, ?)",
            (name, query, time.time()),
        )

    def saved(self) -> list[tuple[str, str]]:
        """(name, query) of every saved search, by name."""
        rows = self.db.execute("SELECT name, query FROM saved_searches ORDER BY name COLLATE NOCASE, name")
        return [(name, query) for name, query in rows]

    def unsave(self, name: str) -> bool:
        """Forget a saved search; False if there was none of that name."""
        return self.db.execute("DELETE FROM saved_searches WHERE name = ?", (name,)).rowcount > 0
