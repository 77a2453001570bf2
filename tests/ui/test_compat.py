"""The singleton work-around: applied only where Qt calls take references from None or True, and
then enough that a long session of painting and signalling never brings them to zero."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from desktop_search.ui.compat import BALLAST, calls_drop_singletons, keep_singletons_alive


class Emitter(QObject):
    happened = Signal()


def test_singletons_survive_a_long_session_of_calls() -> None:
    applied = keep_singletons_alive()  # the conftest applied it already; applying twice adds nothing
    if sys.version_info < (3, 12) and calls_drop_singletons():
        assert applied and sys.getrefcount(None) > BALLAST // 2 and sys.getrefcount(True) > BALLAST // 2
    else:
        assert not applied
    probe = Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(100_000):  # more calls than None and True had references before the work-around
        probe.setObjectName("x")
        probe.happened.emit()
    assert sys.getrefcount(None) >= none_before - 100_000
    assert sys.getrefcount(True) >= true_before - 100_000
