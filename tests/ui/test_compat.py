"""The Qt binding leaves None and True their references. PySide6 6.12.0 took one from None at every
void call and one from True at every emit on Python 3.11, and the interpreter aborted ("none_dealloc:
deallocating None") after minutes of painting and progress signals; pyproject.toml pins a binding
that does not. From Python 3.12 on both are immortal and their counts never move."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

MOST_CALLS = 5_000
NOISE = 20  # references the interpreter itself may take or give back meanwhile


class Emitter(QObject):
    happened = Signal()


def test_void_calls_and_emits_take_no_reference_from_none_or_true(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    emitter = Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    # As many calls as can be made without a faulty binding bringing a count to zero (which would
    # abort the test run instead of failing this test): thousands for None, hundreds for True.
    void_calls = min(MOST_CALLS, none_before // 4)  # two a round
    emits = min(MOST_CALLS, true_before // 2)
    assert void_calls > 10 * NOISE and emits > 10 * NOISE
    for _ in range(void_calls):
        label.setText("x")
        emitter.setObjectName("x")
    for _ in range(emits):
        emitter.happened.emit()
    assert sys.getrefcount(None) >= none_before - NOISE, f"{2 * void_calls} void calls"
    assert sys.getrefcount(True) >= true_before - NOISE, f"{emits} emits"
