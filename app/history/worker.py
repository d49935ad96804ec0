"""One serial worker for database work, as Anki's task manager has: saving an attempt (SQLite with
`synchronous=FULL`, then a file move) and saving a corrected analysis run off the GUI thread, one at a
time and in the order asked, on the worker's own connection; each result or error comes back on the
thread that asked. SQLite in WAL mode lets the screens keep reading on theirs meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.core.jobs import run_serially
from app.history.store import Store

if TYPE_CHECKING:
    from app.analysis.analyze import Analysis

T = TypeVar("T")


class HistoryWorker:
    def __init__(self, path: Path, grade_with: Callable[[Analysis], int] | None = None) -> None:
        self.path = path
        self.grade_with = grade_with  # how a corrected analysis is graded (Store.grade_with)
        # One thread: one job at a time, in order, so a save is never overtaken.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="star-coach-history")
        self._store: Store | None = None

    def submit(
        self, job: Callable[[Store], T], on_done: Callable[[T], Any], on_error: Callable[[str], Any]
    ) -> None:
        """Run `job(store)` on the worker; `on_done(result)` or `on_error(message)` follows here."""
        try:
            run_serially(self._pool, lambda: job(self._open()), on_done, on_error)
        except RuntimeError:  # closed: the app is quitting
            on_error("STAR Coach is closing, so this was not saved.")

    def _open(self) -> Store:
        """The worker's connection, opened by its first job (jobs never overlap, so one is enough)."""
        if self._store is None:  # checked (and repaired if need be) at start-up: not read whole again
            self._store = Store.connect(self.path)
            self._store.grade_with = self.grade_with
        return self._store

    def close(self) -> None:
        """After every job asked so far has run: a save under way is never cut off by quitting."""
        self._pool.shutdown(wait=True)
        if self._store is not None:
            self._store.close()
            self._store = None
