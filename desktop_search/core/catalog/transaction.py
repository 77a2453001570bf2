"""One write transaction on the catalog, taken at once (BEGIN IMMEDIATE) so it never waits mid-way."""

from __future__ import annotations

import sqlite3
from types import TracebackType


class Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
