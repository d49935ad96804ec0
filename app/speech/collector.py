"""Python's cyclic garbage collector runs on the GUI thread only, once the speech threads start.

Left to itself, the collector runs in whichever thread happens to allocate when a count passes its
threshold: the capture thread, Whisper's, the speech engine's, a background job's. The Qt objects in
the garbage it frees (a widget, a timer, a player left in a reference cycle) are then destroyed in that
thread while the GUI thread is using them. A reproducer (a worker thread allocating while the GUI
thread makes and drops cycles holding timers) printed "Timers cannot be stopped from another thread"
and segfaulted in Qt's event loop; so did the test suite in one process, with audio playing or Whisper
listening. Here automatic collection is off and the same generational policy runs from a GUI-thread
timer, between events, where destroying Qt objects is safe.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QTimer

CHECK_MS = 250  # how often the GUI thread looks at the collector's counts

_timer: QTimer | None = None


def _collect() -> None:
    """What the automatic collector would have done by now: the oldest generation whose count has
    passed its threshold (CPython's own rule), on this (the GUI) thread."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    generation = -1
    for g in range(3):
        if counts[g] > thresholds[g]:
            generation = g
    if generation >= 0:
        gc.collect(generation)


def collect_on_gui_thread() -> bool:
    """Turns automatic collection off and collects from a timer on the GUI thread. Call it from the GUI
    thread once a QCoreApplication exists (before starting threads that run Python); later calls do
    nothing. False when it could not be installed (no application, or not on its thread)."""
    global _timer
    app = QCoreApplication.instance()
    if _timer is not None:
        return True
    if app is None or not app.thread().isCurrentThread():
        return False
    timer = QTimer(app)
    timer.setInterval(CHECK_MS)
    timer.timeout.connect(_collect)
    timer.start()
    _timer = timer
    gc.disable()
    return True
