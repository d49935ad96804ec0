"""Qt objects left in reference cycles are freed on the GUI thread, never in a speech or worker thread
that happened to allocate when Python's collector was due (app/speech/collector.py): freed there, they
were destroyed under the GUI thread's feet and the app segfaulted in Qt's event loop."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from app.speech.collector import collect_on_gui_thread


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


def test_cycles_are_collected_on_the_gui_thread_while_a_worker_allocates(qtbot: QtBot) -> None:
    assert collect_on_gui_thread()
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
        qtbot.waitUntil(lambda: len(freed_in) == 50, timeout=30_000)
    finally:
        stop.set()
        worker.join()
    assert set(freed_in) == {"GUI"}
