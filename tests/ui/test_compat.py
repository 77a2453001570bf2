"""The None work-around: applied only where void Qt calls take references from None, and then
enough that a long session of painting never brings None to zero."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject

from desktop_search.ui.compat import BALLAST, keep_none_alive, void_calls_drop_none


def test_none_survives_a_long_session_of_void_calls() -> None:
    applied = keep_none_alive()  # the conftest applied it already; applying twice adds nothing
    if sys.version_info < (3, 12) and void_calls_drop_none():
        assert applied and sys.getrefcount(None) > BALLAST // 2
    else:
        assert not applied
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(100_000):  # more void calls than None had references before the work-around
        probe.setObjectName("x")
    assert sys.getrefcount(None) >= before - 100_000
