"""Reading the history: pages of attempts, one attempt whole, the corrected answers the labeller
learns from, and the figures the question list and Statistics show. Rows are read by column name."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from app.history.records import (
    AttemptRecord,
    AttemptSummary,
    GradedAnswer,
    OverallStats,
    QuestionStats,
    StoreError,
    analysis_json,
    summary,
)
from app.history.schema import FROM_ATTEMPTS, SUMMARY_COLUMNS, UNCLEAR_SECTIONS
from app.speech.transcript import Transcript

# A complete STAR answer has every section present: none missing and none unclear. Unclear is in the
# saved analysis only; counting no missing alone showed 80 % complete where 60 % were (issue 27). Written
# as schema v10's index has it, so SQLite answers from the index.
COMPLETE = f"(status = 'complete' AND missing = '[]' AND {UNCLEAR_SECTIONS} = 0)"


class Reading:
    """The queries of `Store` (app.history.store), which owns the connection."""

    _conn: sqlite3.Connection
    data_dir: Path

    def _abs(self, rel: str) -> Path:
        return self.data_dir / rel

    def reviews(self) -> dict[str, list[GradedAnswer]]:
        """Every complete attempt as a graded review, per question, oldest first: what the practice
        schedule (app.schedule.due) replays. The person's grade wins over the app's."""
        out: dict[str, list[GradedAnswer]] = {}
        for r in self._conn.execute(
            "SELECT question_id, started_at, COALESCE(grade_set, grade, 3) AS g FROM attempts "
            "WHERE status = 'complete' ORDER BY started_at, id"
        ):
            out.setdefault(r["question_id"], []).append(
                GradedAnswer(datetime.fromisoformat(r["started_at"]), r["g"])
            )
        return out

    def attempts(
        self, question_id: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[AttemptSummary]:
        """Saved attempts, newest first; `limit` and `offset` give one page of them."""
        sql = f"SELECT {SUMMARY_COLUMNS} {FROM_ATTEMPTS} WHERE a.status = 'complete'"
        args: list[Any] = []
        if question_id is not None:
            sql += " AND a.question_id = ?"
            args.append(question_id)
        sql += " ORDER BY a.started_at DESC, a.id DESC"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            args += [-1 if limit is None else limit, offset]
        return [summary(r) for r in self._conn.execute(sql, args)]

    def count_attempts(self) -> int:
        """How many saved attempts there are, for "showing 200 of 5,000"."""
        row = self._conn.execute("SELECT COUNT(*) AS n FROM attempts WHERE status = 'complete'").fetchone()
        return int(row["n"])

    def attempt(self, attempt_id: int) -> AttemptRecord:
        row = self._conn.execute(
            f"SELECT {SUMMARY_COLUMNS}, a.transcript, a.analysis, a.record {FROM_ATTEMPTS} "
            "WHERE a.id = ? AND a.status = 'complete'",
            (attempt_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"There is no saved attempt {attempt_id} (see `python main.py history`).")
        found = summary(row)
        audio = self._abs(found.audio_path) if found.audio_path else None
        record = None if row["record"] is None else json.loads(row["record"])
        return AttemptRecord(
            summary=found,
            transcript=Transcript.from_json(json.loads(row["transcript"])),
            analysis=json.loads(row["analysis"]) if row["analysis"] is not None else analysis_json(record),
            audio=audio if audio is not None and audio.exists() else None,
            record=record,
        )

    def corrected_answers(self) -> list[tuple[int, list[tuple[str, str]]]]:
        """(attempt id, [(sentence, section)…]) for every attempt whose labels the person corrected:
        the answers their own labeller learns from."""
        rows = self._conn.execute(
            "SELECT id, record FROM attempts WHERE status = 'complete' AND record IS NOT NULL AND "
            "json_valid(record) AND json_array_length(record, '$.analysis.corrections') > 0 ORDER BY id"
        ).fetchall()
        out = []
        for row in rows:
            sentences = json.loads(row["record"])["analysis"]["sentences"]
            out.append((int(row["id"]), [(str(s["text"]), str(s["section"])) for s in sentences]))
        return out

    def question_stats(self) -> dict[str, QuestionStats]:
        rows = self._conn.execute(
            "SELECT question_id, n, started_at, total_s, missing, mean_wpm FROM ("
            " SELECT question_id, started_at, total_s, missing,"
            "  ROW_NUMBER() OVER (PARTITION BY question_id ORDER BY started_at DESC, id DESC) AS rn,"
            "  COUNT(*) OVER (PARTITION BY question_id) AS n,"
            "  AVG(wpm) OVER (PARTITION BY question_id) AS mean_wpm"
            " FROM attempts WHERE status = 'complete') WHERE rn = 1"
        ).fetchall()
        return {
            str(r["question_id"]): QuestionStats(
                question_id=str(r["question_id"]),
                attempts=int(r["n"]),
                last_at=str(r["started_at"]),
                last_total_s=float(r["total_s"]),
                last_missing=tuple(json.loads(r["missing"])),
                mean_wpm=None if r["mean_wpm"] is None else float(r["mean_wpm"]),
            )
            for r in rows
        }

    def complete_ids(self) -> set[int]:
        """The attempts that are complete STAR answers, every section present (Statistics)."""
        sql = f"SELECT id FROM attempts WHERE {COMPLETE}"
        return {int(r["id"]) for r in self._conn.execute(sql)}

    def overall_stats(self) -> OverallStats:
        r = self._conn.execute(
            "SELECT COUNT(*) AS attempts, COUNT(DISTINCT question_id) AS questions, "
            "COALESCE(SUM(total_s), 0) AS total_s, AVG(wpm) AS wpm, AVG(fillers_per_min) AS fillers, "
            "MIN(started_at) AS first_at, MAX(started_at) AS last_at, "
            "COALESCE(SUM(audio_bytes), 0) AS audio_bytes, "
            f"(SELECT COUNT(*) FROM attempts WHERE {COMPLETE}) AS complete "
            "FROM attempts WHERE status = 'complete'"
        ).fetchone()
        return OverallStats(
            attempts=int(r["attempts"]),
            questions=int(r["questions"]),
            total_s=float(r["total_s"]),
            mean_wpm=None if r["wpm"] is None else float(r["wpm"]),
            mean_fillers_per_min=None if r["fillers"] is None else float(r["fillers"]),
            first_at=r["first_at"],
            last_at=r["last_at"],
            audio_bytes=int(r["audio_bytes"]),
            complete_answers=int(r["complete"]),
        )
