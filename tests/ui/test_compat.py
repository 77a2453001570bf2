"""The singleton work-around: its probe tells a binding that takes references from None and True
from one that does not, and where one does, the work-around keeps them far from zero."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from desktop_search.ui.compat import BALLAST, calls_drop_singletons, keep_singletons_alive

NOISE = 20  # references the interpreter itself may take or give back meanwhile


class Emitter(QObject):
    happened = Signal()


def calls_and_losses(calls: int) -> tuple[int, int]:
    """References None and True lose over `calls` void calls and as many emits."""
    emitter = Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(calls):
        emitter.setObjectName("x")
        emitter.happened.emit()
    return none_before - sys.getrefcount(None), true_before - sys.getrefcount(True)


def test_the_probe_agrees_with_a_measurement() -> None:
    # Few enough calls that even a faulty binding without the work-around cannot bring True to zero.
    calls = min(200, sys.getrefcount(True) // 2)
    none_lost, true_lost = calls_and_losses(calls)
    measured = sys.version_info < (3, 12) and (none_lost >= calls - NOISE or true_lost >= calls - NOISE)
    assert calls_drop_singletons() == measured, (none_lost, true_lost, calls)


def test_singletons_survive_a_long_session_of_calls() -> None:
    applied = keep_singletons_alive()  # the conftest applied it already; applying twice adds nothing
    dropping = sys.version_info < (3, 12) and calls_drop_singletons()
    assert applied == dropping
    calls = 100_000  # more than None and True had references before the work-around
    none_lost, true_lost = calls_and_losses(calls)
    if dropping:
        assert none_lost >= calls - NOISE and true_lost >= calls - NOISE  # the binding's fault, still there
        assert sys.getrefcount(None) > BALLAST // 2 and sys.getrefcount(True) > BALLAST // 2
    else:
        assert none_lost <= NOISE and true_lost <= NOISE
