"""One-shot background jobs: run a function on Qt's thread pool, get its result or error back on the
thread that asked (the GUI thread), never in the worker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)
_ALIVE: set[_Relay] = set()  # relays live until their job has answered


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, on_done: Callable[[Any], Any], on_error: Callable[[str], Any]) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self.done.connect(self._deliver)
        self.failed.connect(self._fail)

    @Slot(object)
    def _deliver(self, value: object) -> None:
        _ALIVE.discard(self)
        self._on_done(value)

    @Slot(str)
    def _fail(self, message: str) -> None:
        _ALIVE.discard(self)
        self._on_error(message)


def _deliver(fn: Callable[[], Any], relay: _Relay) -> None:
    try:
        try:
            value = fn()
        except Exception as e:  # every failure must reach the screen
            log.exception("background job failed")
            relay.failed.emit(str(e) or type(e).__name__)
            return
        relay.done.emit(value)
    except RuntimeError:  # the relay went with the closing app (Ctrl+Q, SIGTERM): nobody to tell
        log.info("a background job finished after the app had closed; its result was dropped")


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        _deliver(self.fn, self.relay)


def run_task(fn: Callable[[], Any], on_done: Callable[[Any], Any], on_error: Callable[[str], Any]) -> None:
    """Run `fn()` on Qt's global thread pool; `on_done(result)` or `on_error(message)` follows on
    this thread."""
    relay = _Relay(on_done, on_error)
    _ALIVE.add(relay)
    QThreadPool.globalInstance().start(_Job(fn, relay))


def run_serially(
    executor: Executor, fn: Callable[[], Any], on_done: Callable[[Any], Any], on_error: Callable[[str], Any]
) -> None:
    """`run_task` on a Python executor (one thread: jobs in order). A Python thread, not a QThreadPool:
    a pool that Python's garbage collector destroys waits there for its threads while holding the GIL."""
    relay = _Relay(on_done, on_error)
    _ALIVE.add(relay)
    executor.submit(_deliver, fn, relay)
