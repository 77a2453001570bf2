"""Work-arounds for the Qt binding in use, each checked before it is applied.

PySide6 6.12.0 returns None from every void method without adding a reference to it. From
Python 3.12 on None is immortal and nothing happens; on Python 3.11 each call such as
`label.setText()` or `painter.drawText()` takes one reference away, and after some tens of
thousands of calls (minutes of painting) Python aborts with "Fatal Python error: none_dealloc:
deallocating None". Until the binding or the interpreter changes, None is given references
enough for years of calls, which is what 3.12 does by design (an immortal None).
"""

from __future__ import annotations

import ctypes
import sys

PROBE_CALLS = 200
BALLAST = 1 << 48  # references added to None: ~10^14 void calls


def void_calls_drop_none() -> bool:
    """Whether a void Qt call takes a reference from None (measured, not assumed)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")
    return sys.getrefcount(None) <= before - PROBE_CALLS // 2


def keep_none_alive() -> bool:
    """Apply the work-around if this interpreter and binding need it; True if applied."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or not void_calls_drop_none():
        return False
    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt, the first field of every object
    if refcount.value < BALLAST:  # once per process
        refcount.value += BALLAST
    return True
