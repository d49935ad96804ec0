"""The follow-up replies of an attempt: saved beside it, read back by replay and the loop report,
deleted with it (the table cascades; the recordings are removed here). Their recordings live in
`recordings/follow-ups/`, out of reach of the orphan scan, which would take them for answers."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.history import files
from app.history.export import Exporting
from app.history.records import StoreError
from app.speech.transcript import Transcript

FOLLOW_UP_DIR = "recordings/follow-ups"


@dataclass(frozen=True)
class NewFollowUp:
    position: int  # 1 for the first follow-up of the attempt
    rule: str
    asked: str
    asks_for: str
    transcript: Transcript
    seconds: float  # the reply's length, first word to last
    gave: bool
    verdict: str
    recording: Path | None


@dataclass(frozen=True)
class FollowUpRecord:
    attempt_id: int
    position: int
    rule: str
    asked: str
    asks_for: str
    answered_at: str  # UTC, ISO 8601
    seconds: float
    text: str
    gave: bool
    verdict: str
    audio_path: str | None  # relative to the data folder

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class FollowUpStoring(Exporting):
    """Follow-up replies, a part of `Store` (app.history.store), which owns the transactions."""

    if TYPE_CHECKING:

        def _tx(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...

    def _unlink(self, rel: str) -> None:
        with contextlib.suppress(OSError):  # a file we cannot delete is reported as an orphan later
            self._abs(rel).unlink(missing_ok=True)

    def save_follow_up(self, attempt_id: int, new: NewFollowUp, keep_audio: bool) -> None:
        """Saved once; a second reply at the same position replaces the first (the person answered
        again). The recording is moved in after the row commits, and deleted when not kept."""
        rel: str | None = None
        src = new.recording
        if keep_audio and src is not None and src.is_file():
            rel = f"{FOLLOW_UP_DIR}/{src.name}"
        answered = datetime.now(UTC).replace(microsecond=0).isoformat()
        try:
            with self._tx() as c:
                if c.execute("SELECT 1 FROM attempts WHERE id = ?", (attempt_id,)).fetchone() is None:
                    raise StoreError(f"There is no saved attempt {attempt_id} for this follow-up.")
                old = c.execute(
                    "SELECT audio_path FROM follow_ups WHERE attempt_id = ? AND position = ?",
                    (attempt_id, new.position),
                ).fetchone()
                c.execute(
                    "INSERT OR REPLACE INTO follow_ups (attempt_id, position, rule, asked, asks_for, "
                    "answered_at, seconds, transcript, gave, verdict, audio_path) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        attempt_id,
                        new.position,
                        new.rule,
                        new.asked,
                        new.asks_for,
                        answered,
                        new.seconds,
                        json.dumps(new.transcript.to_json(probabilities=True), ensure_ascii=False),
                        int(new.gave),
                        new.verdict,
                        rel,
                    ),
                )
        except (sqlite3.Error, OSError) as e:
            raise files.save_error(e) from None
        if old is not None and old["audio_path"] and old["audio_path"] != rel:
            self._unlink(old["audio_path"])
        if src is None or not src.is_file():
            return
        if rel is None:
            with contextlib.suppress(OSError):
                src.unlink()
            return
        try:
            if self._abs(rel) != src:
                files.move(src, self._abs(rel))
        except OSError as e:  # the reply is saved; only its sound is not where History looks
            with self._tx() as c:
                c.execute(
                    "UPDATE follow_ups SET audio_path = NULL WHERE attempt_id = ? AND position = ?",
                    (attempt_id, new.position),
                )
            raise StoreError(f"The follow-up reply was saved, but not its recording: {e.strerror}.") from None

    def follow_ups(self, attempt_id: int) -> list[FollowUpRecord]:
        rows = self._conn.execute(
            "SELECT * FROM follow_ups WHERE attempt_id = ? ORDER BY position", (attempt_id,)
        ).fetchall()
        out = []
        for r in rows:
            try:
                text = Transcript.from_json(json.loads(r["transcript"])).text
            except (ValueError, KeyError, TypeError):
                text = ""
            out.append(
                FollowUpRecord(
                    attempt_id,
                    r["position"],
                    r["rule"],
                    r["asked"],
                    r["asks_for"],
                    r["answered_at"],
                    r["seconds"],
                    text,
                    bool(r["gave"]),
                    r["verdict"],
                    r["audio_path"],
                )
            )
        return out

    def _follow_up_audio(self, attempt_id: int | None) -> list[str]:
        """Recordings of one attempt's follow-ups (or of all, for None), read before a delete."""
        sql = "SELECT audio_path FROM follow_ups WHERE audio_path IS NOT NULL"
        args: tuple[Any, ...] = ()
        if attempt_id is not None:
            sql += " AND attempt_id = ?"
            args = (attempt_id,)
        return [r["audio_path"] for r in self._conn.execute(sql, args)]
