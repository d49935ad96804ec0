"""One-shot background jobs: run a function on Qt's thread pool, get its result or error back on the
thread that asked (the GUI thread), never in the worker."""

from __future__ import annotations

import logging
from collections.abc import Callable
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


class SpeechJob(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            try:
                value = self.fn()
            except Exception as e:  # every failure must reach the screen
                log.exception("background job failed")
                self.relay.failed.emit(str(e) or type(e).__name__)
                return
            self.relay.done.emit(value)
        except RuntimeError:  # the relay went with the closing app (Ctrl+Q, SIGTERM): nobody to tell
            log.info("a background job finished after the app had closed; its result was dropped")


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], Any],
    on_error: Callable[[str], Any],
    pool: QThreadPool | None = None,
) -> None:
    """Run `fn()` on `pool` (Qt's global thread pool by default); `on_done(result)` or
    `on_error(message)` follows on this thread."""
    relay = _Relay(on_done, on_error)
    _ALIVE.add(relay)
    (pool or QThreadPool.globalInstance()).start(SpeechJob(fn, relay))
