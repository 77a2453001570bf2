"""Work-arounds for the Qt binding in use, each checked before it is applied.

PySide6 6.12.0 hands back None and True without adding a reference to them: every void method
(`label.setText()`, `painter.drawText()`…) returns None that way, and every `signal.emit()`
returns True that way. From Python 3.12 on these objects are immortal and nothing happens; on
Python 3.11 each call takes one reference away, and after some tens of thousands of calls
(minutes of painting and progress signals) Python aborts with "Fatal Python error:
none_dealloc: deallocating None" (or bool_dealloc). Until the binding or the interpreter
changes, these singletons are given references enough for years of calls: what Python 3.12
does by design, where they are immortal.

Measured on Python 3.11: 6.12.0 (the newest on PyPI) drops one reference a call, 6.11.3 none; but
6.11 has no pyside6-pdf (QtPdf comes with the 175 MB add-ons) and differs in API (QDragEnterEvent
takes a QPoint). No Qt for Python (PYSIDE) report of it was found; the symptom is that of
CPython's gh-134989 (Py_RETURN_NONE/TRUE not counting a reference under the limited API 3.11).
"""

from __future__ import annotations

import ctypes
import sys

PROBE_CALLS = 200
BALLAST = 1 << 48  # references added to each singleton: ~10^14 calls
SINGLETONS = (None, True, False, Ellipsis, NotImplemented)


def calls_drop_singletons() -> bool:
    """Whether a void Qt call takes a reference from None, or an emit from True (measured)."""
    from PySide6.QtCore import QObject, Signal

    class Probe(QObject):
        happened = Signal()

    probe = Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")
        probe.happened.emit()
    dropped_none = sys.getrefcount(None) <= none_before - PROBE_CALLS // 2
    dropped_true = sys.getrefcount(True) <= true_before - PROBE_CALLS // 2
    return dropped_none or dropped_true


def keep_singletons_alive() -> bool:
    """Apply the work-around if this interpreter and binding need it; True if applied."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or not calls_drop_singletons():
        return False
    for singleton in SINGLETONS:
        refcount = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt, an object's first field
        if refcount.value < BALLAST:  # once per process
            refcount.value += BALLAST
    return True
