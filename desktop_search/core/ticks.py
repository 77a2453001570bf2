"""How far a long request has got, told by a sandbox's child to its parent: a big PDF's pages.

The child's handler calls tick() as it goes; in a sandbox's child (core/sandbox.py) that sends the
step to the parent and waits for its go-ahead, so a paused run pauses the child too, and a stopped
one leaves it waiting to be ended. Elsewhere (reading in-process, a test) tick() does nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

# Seconds between two ticks: a file read within it sends none. (The environment's value is for
# tests, which need ticks on a machine of any speed; the reading child inherits it.)
INTERVAL = float(os.environ.get("DESKTOP_SEARCH_TICK_SECONDS", "0.25"))

Tick = tuple[str, int, int]  # (step, done, total): ("reading", 340, 1158) for pages read
_report: Callable[[Tick], None] | None = None
_last = 0.0


def report_to(report: Callable[[Tick], None] | None) -> None:
    """Send the ticks of the requests that follow to report (None: drop them)."""
    global _report
    _report = report


def start() -> None:
    """A request begins: its first tick comes one interval later."""
    global _last
    _last = time.monotonic()


def tick(step: str, done: int, total: int) -> None:
    global _last
    if _report is None:
        return
    now = time.monotonic()
    if now - _last < INTERVAL:
        return
    _report((step, done, total))
    _last = time.monotonic()  # the parent's pause is not the child's work
