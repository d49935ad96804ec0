"""Qt objects left in reference cycles are destroyed by Qt on the GUI thread, never by Python's
collector in a speech or worker thread that happened to allocate when a collection was due, and never
after the collector has emptied their Python side (app/core/collector.py). Either way the app
segfaulted in Qt's event loop, now and then, over a long session."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, Qt, QTimer
from pytestqt.qtbot import QtBot

from app.core import collector


def _wait_until(done: object, timeout_ms: int = 30_000) -> None:
    """An event loop that waits, as the app's does (qtbot.waitUntil never lets it block)."""
    loop = QEventLoop()
    check = QTimer()
    check.timeout.connect(lambda: done() and loop.quit())  # type: ignore[operator]
    check.start(20)
    QTimer.singleShot(timeout_ms, loop.quit)
    try:
        loop.exec()
    finally:
        check.stop()


class _Cycle:
    """A Qt object only a reference cycle keeps: what a closure over a widget leaves behind."""

    def __init__(self, freed_in: list[str]) -> None:
        self.self = self
        self.timer = QTimer()
        self.timer.start(1000)
        gui = threading.get_ident()
        self.timer.destroyed.connect(
            lambda *_: freed_in.append("GUI" if threading.get_ident() == gui else "worker"),
            Qt.ConnectionType.DirectConnection,
        )


def test_cycles_are_freed_on_the_gui_thread_while_a_worker_allocates(qtbot: QtBot) -> None:
    assert collector.collect_on_gui_thread()
    assert not gc.isenabled()
    freed_in: list[str] = []
    for _ in range(50):
        _Cycle(freed_in)
    stop = threading.Event()

    def allocate() -> None:  # as Whisper's thread does: many containers, kept a while
        kept: list[object] = []
        while not stop.is_set():
            kept.append([[i] for i in range(200)])
            if len(kept) > 50:
                kept = []

    worker = threading.Thread(target=allocate)
    worker.start()
    try:
        _wait_until(lambda: len(freed_in) == 50)
    finally:
        stop.set()
        worker.join()
    assert freed_in == ["GUI"] * 50


def test_the_feedback_screen_is_destroyed_with_its_python_side_intact(
    qtbot: QtBot, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """The feedback screen, dropped with its transcript focused and freed by the collector, called
    its relabelling filter on an object the collector had already emptied ("'RelabelFilter' object
    has no attribute 'browser'"); in the suite it then crashed in ~QWidget."""
    from tests.gui_utils import focused_feedback

    assert collector.collect_on_gui_thread()
    view = focused_feedback(qtbot, tmp_path / "take.wav")
    destroyed: list[bool] = []
    view.destroyed.connect(lambda *_: destroyed.append(True))
    view.me = view  # type: ignore[attr-defined]  # in a cycle, as a closure over it would leave it
    del view
    assert collector.collect() >= 1  # handed to Qt, not freed by Python
    _wait_until(lambda: bool(destroyed))
    assert "Error calling Python override" not in capfd.readouterr().err
