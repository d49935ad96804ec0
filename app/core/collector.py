"""Python's cyclic garbage collector, run on the GUI thread, and never the one to destroy a live Qt object.

Left to itself, the collector runs in whichever thread happens to allocate when a count passes its
threshold: the capture thread, Whisper's, the speech engine's, a background job's. The Qt objects in
the garbage it frees (a widget, a timer, a player left in a reference cycle) were then destroyed in
that thread while the GUI thread was using them: reproducers segfaulted 10 runs of 10, and so did the
test suite in one process now and then, with audio playing or Whisper listening.

Collecting on the GUI thread is not enough by itself. To free a cycle the collector first empties the
Python side of each object in it; a Qt object destroyed after that still calls its Python overrides
(an event filter, a hide event) on the emptied object, and crashed in ~QWidget 3 runs of 3
(tests/test_collector.py has both). So automatic collection is off, and when the GUI thread's event
loop is about to wait it runs CPython's own generational rule with the garbage kept, not freed. Live
Qt objects that Python owns are handed to Qt (deleteLater: destroyed by Qt on their own thread, their
Python side intact); once none is left, the rest is freed.
"""

from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QAbstractEventDispatcher, QCoreApplication, QObject

log = logging.getLogger(__name__)
_installed = False
_pending: list[QObject] = []  # handed to Qt; kept alive here until Qt has destroyed them


@dataclass
class Stats:
    """What collecting on the GUI thread has cost so far: the benchmark reports it."""

    collections: int = 0
    longest_s: float = 0.0
    total_s: float = 0.0
    handed_to_qt: int = 0


stats = Stats()


def _live_owned(o: object) -> bool:
    """A Qt object whose C++ side is alive and which Python would destroy with its wrapper."""
    if not isinstance(o, QObject):
        return False
    try:
        return shiboken6.isValid(o) and shiboken6.ownedByPython(o)
    except (TypeError, RuntimeError):
        return False


def _due() -> int:
    """The generation the automatic collector would collect now (CPython's rule), or -1."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    generation = -1
    for g in range(3):
        if counts[g] > thresholds[g]:
            generation = g
    return generation


def collect(generation: int = 2) -> int:
    """One collection of `generation` on this thread; live Qt objects in the garbage go to Qt's
    deleteLater instead of being freed. Returns how many were handed to Qt."""
    t0 = time.perf_counter()
    try:
        return _collect(generation)
    finally:
        took = time.perf_counter() - t0
        stats.collections += 1
        stats.total_s += took
        stats.longest_s = max(stats.longest_s, took)


def _collect(generation: int) -> int:
    _pending[:] = [o for o in _pending if shiboken6.isValid(o)]  # Qt has destroyed the rest
    debug = gc.get_debug()
    gc.set_debug(debug | gc.DEBUG_SAVEALL)
    try:
        gc.collect(generation)
    finally:
        gc.set_debug(debug)
    found = list(gc.garbage)
    gc.garbage.clear()
    qt = [o for o in found if _live_owned(o)]
    any_garbage = bool(found)
    del found
    if qt:
        log.debug(
            "collector: %d Qt objects handed to Qt: %s", len(qt), sorted({type(o).__name__ for o in qt})
        )
        for o in qt:
            o.deleteLater()
        stats.handed_to_qt += len(qt)
        _pending.extend(qt)  # their cycles stay until Qt has destroyed them; a later pass frees them
        return len(qt)
    if any_garbage:
        gc.collect(min(generation + 1, 2))  # the garbage just kept moved one generation up: free it
    return 0


def settle() -> None:
    """What exists now is kept for the session, so later collections leave it out (gc.freeze): once
    the window shows (Qt, the app's modules), and again once the models are loaded. Without the first,
    full collections while the models loaded held the GUI thread 124-187 ms (`bench --only window`);
    with it, 19-40 ms. Not collected first: a full collection then held the GUI thread for ~0.5 s;
    the garbage frozen with it is what the idle moments before had not yet collected."""
    gc.freeze()


def collect_due() -> None:
    """The collection the automatic collector would have made by now, if any (CPython's rule)."""
    generation = _due()
    if generation >= 0:
        collect(generation)


def collect_on_gui_thread() -> bool:
    """Turns automatic collection off; the GUI thread collects when its event loop is about to wait.
    Call it from the GUI thread once a QCoreApplication exists, before threads that run Python start;
    later calls do nothing. False when it could not be installed (no application, not its thread)."""
    global _installed
    if _installed:
        return True
    app = QCoreApplication.instance()
    if app is None or not app.thread().isCurrentThread():
        return False
    dispatcher = QAbstractEventDispatcher.instance(app.thread())
    if dispatcher is None:
        return False
    dispatcher.aboutToBlock.connect(collect_due)
    _installed = True
    gc.disable()
    return True
