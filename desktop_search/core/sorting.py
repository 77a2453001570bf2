"""The orders results can be shown in: by relevance (as found), by date (newest first), by name.

Sorting reorders the files a search found, close matches first: it never brings the weakest of
the index to the top because they are new.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

SORTS = ("relevance", "date", "name")


class Sortable(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def mtime(self) -> float: ...  # the file's date: its document's own, else its modification time
    @property
    def close(self) -> bool: ...


Hit = TypeVar("Hit", bound=Sortable)

_KEYS: dict[str, Callable[[Any], Any]] = {
    "date": lambda hit: -hit.mtime,
    "name": lambda hit: (os.path.basename(hit.path).casefold(), hit.path),
}


def sorted_hits(hits: list[Hit], sort: str) -> list[Hit]:
    """The hits in this order ("relevance": as they are); close matches stay above the others."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; choose from {', '.join(SORTS)}")
    key = _KEYS.get(sort)
    if key is None:
        return hits
    return sorted(hits, key=lambda hit: (not hit.close, key(hit)))
