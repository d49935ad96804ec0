"""Practice history: every finished answer ("attempt") in one SQLite file, never half-saved.

The database lives in the data folder (`history.sqlite3`), in WAL mode with foreign keys on; its
schema is app.history.schema. Recordings
live in `recordings/` beside it and are referenced by a path relative to the data folder, so the
whole folder can be moved.

Saving an attempt is three steps, so that a crash at any point loses nothing:
1. the row is inserted with status 'saving' (one transaction), naming where its recording will go
   and where it is now;
2. the recording is moved there (`os.replace`, an atomic rename);
3. the row is marked 'complete' (one transaction).
At the next open, a 'saving' row is finished from whatever exists (`recover_interrupted`).

A database that is not SQLite or fails `PRAGMA quick_check` is copied aside once, untouched, before
anything else opens it, and `StoreError` says where the copy is; `Store.recover`, which the app and the
command line use, salvages what can still be read into a new history (app.history.salvage). One that is
healthy but cannot be written (a read-only folder) is opened read-only, never set aside as damaged.
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.history import files, opening
from app.history.loops import LoopStoring
from app.history.records import NewAttempt, StoreError, analysis_columns, attempt_row
from app.history.schema import INSERT_ATTEMPT, PRACTICE
from app.speech.wavfile import PARTIAL_SUFFIX

if TYPE_CHECKING:
    from app.analysis.analyze import Analysis


def _now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Store(LoopStoring):
    """The practice history. Use `Store.open()`; one Store per thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        conn.row_factory = sqlite3.Row  # columns are read by name
        self._conn = conn
        self.path = path
        self.data_dir = path.parent
        self.recovery_messages: list[str] = []
        self.read_only = False  # a healthy history in a folder that cannot be written
        # Test hook, called while an attempt is saved: "inserting" and "completing" inside the
        # transactions, "inserted" and "moved" between them.
        self.on_stage: Callable[[str], None] | None = None
        # How an analysis saved without its grade is graded: handed in by the layer that grades
        # (app.services gives app.schedule.grades.grade_of); None keeps the grade saved before.
        self.grade_with: Callable[[Analysis], int] | None = None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path | None = None) -> Store:
        """Open the history; a damaged one raises StoreError naming the copy kept of it (see `recover`)."""
        return opening.open_history(cls, path)

    @classmethod
    def recover(cls, path: Path | None = None) -> Store:
        """Open the history, as the app and the command line do: a damaged one is salvaged
        (app.history.opening)."""
        return opening.recover_history(cls, path)

    @classmethod
    def connect(cls, path: Path) -> Store:
        """Open a history already checked at start-up: read-write, or read-only when it cannot be written."""
        return opening.connect(cls, path)

    def close(self) -> None:
        self.closed = True
        self._conn.close()

    closed = False  # set by close(): start-up work still under way when the app quits skips the history

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            if self._conn.in_transaction:  # SQLite rolls back by itself after some errors (disk full)
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
            raise
        try:
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------ saving

    def save_attempt(
        self,
        new: NewAttempt,
        keep_audio: bool,
        origin: str = PRACTICE,
        started_at: datetime | None = None,
    ) -> int:
        """Store one finished answer; moves its recording into recordings/ when `keep_audio`.
        `started_at` defaults to now less the recording's length."""
        src = new.recording
        keep = keep_audio and src.is_file()
        rec_dir = self.data_dir / "recordings"
        rel: str | None = None
        if keep:
            rec_dir.mkdir(parents=True, exist_ok=True)
            inside = src.resolve().parent == rec_dir.resolve()
            rel = f"recordings/{src.name}" if inside else f"recordings/{uuid.uuid4().hex}.wav"
        began = started_at or _now_utc() - timedelta(seconds=round(new.recording_s))
        row = attempt_row(new, began, origin)
        row |= {
            "audio_path": rel,
            "audio_bytes": src.stat().st_size if keep else 0,
            "audio_source": str(src.resolve()) if keep and rel and self._abs(rel) != src else None,
        }
        try:
            with self._tx() as c:
                attempt_id = self._insert(c, row, status="saving")
                self._stage("inserting")
        except (sqlite3.Error, OSError) as e:
            raise files.save_error(e) from None
        moved = False
        try:
            self._stage("inserted")
            if rel is not None and row["audio_source"]:
                files.move(src, self._abs(rel))
                moved = True
            self._stage("moved")
            with self._tx() as c:
                self._stage("completing")
                c.execute(
                    "UPDATE attempts SET status = 'complete', audio_source = NULL WHERE id = ?", (attempt_id,)
                )
        except (sqlite3.Error, OSError) as e:
            self._undo_save(attempt_id, src, rel if moved else None)
            raise files.save_error(e) from None
        if not keep_audio and src.is_file() and src.resolve().parent == rec_dir.resolve():
            with contextlib.suppress(OSError):  # not kept: do not leave it as an orphan in recordings/
                src.unlink()
        return attempt_id

    def _stage(self, name: str) -> None:
        if self.on_stage is not None:
            self.on_stage(name)

    @staticmethod
    def _insert(c: sqlite3.Connection, row: dict[str, Any], status: str) -> int:
        c.execute(
            "INSERT INTO questions (id, text) VALUES (?, ?) "
            "ON CONFLICT(id) DO UPDATE SET text = excluded.text WHERE excluded.text != ''",
            (row["question_id"], row["question_text"]),
        )
        cur = c.execute(
            INSERT_ATTEMPT,
            {**row, "status": status},
        )
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def _undo_save(self, attempt_id: int, src: Path, moved_to: str | None) -> None:
        """A save failed after its row was inserted: put the recording back and drop the row.
        If even that fails, the 'saving' row is finished at the next open, so nothing is lost."""
        try:
            if moved_to is not None:
                files.move(self._abs(moved_to), src)
            with self._tx() as c:
                c.execute("DELETE FROM attempts WHERE id = ? AND status = 'saving'", (attempt_id,))
        except (sqlite3.Error, OSError):
            pass

    def recover_interrupted(self) -> list[str]:
        """Finish attempts a crash left in 'saving'; report recordings no attempt refers to."""
        messages: list[str] = []
        rows = self._conn.execute(
            "SELECT id, question_id, audio_path, audio_source FROM attempts WHERE status = 'saving'"
        ).fetchall()
        for attempt_id, qid, rel, source in rows:
            audio: str | None = rel
            note = ""
            if rel is not None and not self._abs(rel).exists():
                if source and Path(source).is_file():
                    try:
                        files.move(Path(source), self._abs(rel))
                    except OSError as e:
                        audio, note = None, f" Its recording stays at {source} ({e.strerror})."
                else:
                    audio, note = None, " Its recording was lost."
            size = self._abs(audio).stat().st_size if audio else 0
            with self._tx() as c:
                c.execute(
                    "UPDATE attempts SET status = 'complete', audio_path = ?, audio_bytes = ?, "
                    "audio_source = NULL WHERE id = ?",
                    (audio, size, attempt_id),
                )
            messages.append(
                f"Attempt {attempt_id} ({qid}) was being saved when STAR Coach stopped; it is now saved.{note}"
            )
        return messages

    def orphan_recordings(self) -> list[Path]:
        """Finished recordings in recordings/ that no attempt refers to: a crash just after Stop, or
        an answer the speech model could not transcribe. app.practice.recovery turns them into attempts."""
        rec_dir = self.data_dir / "recordings"
        if not rec_dir.is_dir():
            return []
        known = {
            r["audio_path"]
            for r in self._conn.execute("SELECT audio_path FROM attempts WHERE audio_path IS NOT NULL")
        }
        return [
            f
            for f in sorted(rec_dir.glob("*.wav"))
            if not f.name.endswith(PARTIAL_SUFFIX) and f"recordings/{f.name}" not in known
        ]

    def save_analysis(self, attempt_id: int, analysis: Analysis, grade: int | None = None) -> None:
        """Replace an attempt's analysis (after the person corrected a label, or the fillers were
        counted on a second listen): the record, the JSON and the columns History and Statistics read.
        `grade`: the app's grade of the new analysis (app.schedule.grades); None: `grade_with`'s."""
        if grade is None and self.grade_with is not None:
            grade = self.grade_with(analysis)
        row = analysis_columns(analysis, grade)
        fillers = analysis.delivery.fillers_per_minute
        with self._tx() as c:
            changed = c.execute(
                "UPDATE attempts SET missing = ?, section_seconds = ?, analysis = ?, record = ?, "
                "fillers_per_min = ?, grade = COALESCE(?, grade) WHERE id = ? AND status = 'complete'",
                (
                    row["missing"],
                    row["section_seconds"],
                    row["analysis"],
                    row["record"],
                    fillers,
                    row["grade"],
                    attempt_id,
                ),
            ).rowcount
        if not changed:
            raise StoreError(f"There is no saved attempt {attempt_id} to correct.")

    def set_grade(self, attempt_id: int, grade: int | None) -> None:
        """The person's grade for an attempt (1 Again … 4 Easy), or None to go back to the app's."""
        if grade is not None and grade not in (1, 2, 3, 4):
            raise StoreError(f"A grade is 1 (Again) to 4 (Easy), not {grade}.")
        with self._tx() as c:
            changed = c.execute(
                "UPDATE attempts SET grade_set = ? WHERE id = ? AND status = 'complete'", (grade, attempt_id)
            ).rowcount
        if not changed:
            raise StoreError(f"There is no saved attempt {attempt_id}.")

    # ------------------------------------------------------------------ deleting

    def delete_attempt(self, attempt_id: int) -> None:
        replies = self._follow_up_audio(attempt_id)
        with self._tx() as c:
            row = c.execute("SELECT audio_path FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
            if row is None:
                raise StoreError(f"There is no saved attempt {attempt_id}.")
            c.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
        for rel in [row["audio_path"], *replies]:
            if rel:
                self._unlink(rel)

    def delete_all(self) -> int:
        """Delete every attempt and its recording; returns how many attempts were deleted."""
        with self._tx() as c:
            audio = [
                r["audio_path"]
                for r in c.execute("SELECT audio_path FROM attempts WHERE audio_path IS NOT NULL")
            ] + self._follow_up_audio(None)
            n = c.execute("DELETE FROM attempts").rowcount
            c.execute("DELETE FROM questions")
        for rel in audio:
            self._unlink(rel)
        for orphan in self.orphan_recordings():  # recordings no attempt had yet: everything means all
            with contextlib.suppress(OSError):
                orphan.unlink()
        return int(n)

    def insert_complete(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Finished attempts without audio, as rows of the attempts table, in one transaction (a generated
        history for tests and the benchmark); returns the new ids."""
        with self._tx() as c:
            c.executemany(
                "INSERT INTO questions (id) VALUES (?) ON CONFLICT(id) DO NOTHING",
                [(q,) for q in {r["question_id"] for r in rows}],
            )
            first = c.execute("SELECT COALESCE(MAX(id), 0) FROM attempts").fetchone()[0]
            c.executemany(INSERT_ATTEMPT, rows)
            return [r["id"] for r in c.execute("SELECT id FROM attempts WHERE id > ? ORDER BY id", (first,))]
