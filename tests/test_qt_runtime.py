"""Guards against Qt binding bugs that would crash the app mid-practice."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    value = Signal(float)


def test_emitting_signals_does_not_leak_references_to_true() -> None:
    """PySide6 6.12.0 dropped a reference to True on every emit: Python 3.11 aborted after ~1,400.

    The level meter alone emits ten times a second, so this was a crash two minutes into an answer.
    """
    emitter = _Emitter()
    received: list[float] = []
    emitter.value.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(2000):
        emitter.value.emit(float(i))
    assert len(received) == 2000
    assert abs(sys.getrefcount(True) - before) < 50
