"""Mock loops in the history file: each loop's report, saved whole at its end, read back by History
and `python main.py loop-report`."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.history import files
from app.history.records import StoreError
from app.history.stories import StoryStoring


@dataclass(frozen=True)
class LoopSummary:
    id: int
    started_at: str  # UTC, ISO 8601
    questions: int
    used_seconds: float


class LoopStoring(StoryStoring):
    """Mock loops, a part of `Store` (app.history.store)."""

    if TYPE_CHECKING:

        def _tx(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...

    def save_loop(self, report: dict[str, Any]) -> int:
        try:
            with self._tx() as c:
                cur = c.execute(
                    "INSERT INTO loops (started_at, report) VALUES (?, ?)",
                    (report["started_at"], json.dumps(report, ensure_ascii=False)),
                )
        except (sqlite3.Error, OSError) as e:
            raise files.save_error(e) from None
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def loops(self) -> list[LoopSummary]:
        """Saved loops, newest first."""
        out = []
        for r in self._conn.execute(
            "SELECT id, started_at, report FROM loops ORDER BY started_at DESC, id DESC"
        ):
            with contextlib.suppress(ValueError, KeyError, TypeError):
                report = json.loads(r["report"])
                out.append(
                    LoopSummary(r["id"], r["started_at"], len(report["answers"]), report["used_seconds"])
                )
        return out

    def loop_report(self, loop_id: int) -> dict[str, Any]:
        row = self._conn.execute("SELECT report FROM loops WHERE id = ?", (loop_id,)).fetchone()
        if row is None:
            raise StoreError(f"There is no mock loop {loop_id} (see `python main.py loop-report --list`).")
        report: dict[str, Any] = json.loads(row["report"])
        return report
