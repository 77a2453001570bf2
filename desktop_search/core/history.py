"""Search history: the recent searches (newest first, each once) and the searches saved by name.

Both live in the index's catalog, in the data directory, and never leave the machine. The window
and the command line record and read them through this one API; what counts as a search worth
remembering is theirs to say (the window: see ui/search_history.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_search.core.catalog import Catalog
from desktop_search.core.catalog.searches import SearchLog

KEEP = 100  # recent searches kept; the oldest go first


class HistoryError(ValueError):
    """A saved search cannot be made or found (the message says why, for the user)."""


@dataclass(frozen=True)
class RecentSearch:
    query: str
    at: float  # when it was last searched (seconds since the epoch)


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str  # the text as typed, filter words and all: replayed against the index as it is then


class History:
    def __init__(self, catalog: Catalog, *, owns_catalog: bool = False) -> None:
        """owns_catalog: close the catalog connection with the history (one opened for it)."""
        self._catalog = catalog
        self._owns = owns_catalog
        self._log = SearchLog(catalog.db)

    def close(self) -> None:
        if self._owns:
            self._catalog.close()

    def record(self, query: str) -> None:
        """Remember a search: it moves to the top if it was there already; blank text is ignored."""
        query = normal(query)
        if query:
            self._log.record(query, KEEP)

    def recent(self, limit: int = KEEP) -> list[RecentSearch]:
        return [RecentSearch(query, at) for query, at in self._log.recent(limit)]

    def clear(self) -> None:
        """Forget the recent searches (the saved ones stay)."""
        self._log.clear_recent()

    def save(self, name: str, query: str) -> SavedSearch:
        """Save query under name, replacing a saved search of the same name."""
        name, query = " ".join(name.split()), normal(query)
        if not query:
            raise HistoryError("nothing to save: the search is empty")
        if not name:
            raise HistoryError("a saved search needs a name")
        self._log.save(name, query)
        return SavedSearch(name, query)

    def saved(self) -> list[SavedSearch]:
        """The saved searches, by name."""
        return [SavedSearch(name, query) for name, query in self._log.saved()]

    def unsave(self, name: str) -> None:
        if not self._log.unsave(" ".join(name.split())):
            raise HistoryError(f"no saved search named “{name}”")


def normal(query: str) -> str:
    """The query as remembered: runs of spaces are one space, so "a  b" and "a b" are one search."""
    return " ".join(query.split())
