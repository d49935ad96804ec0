"""Practice history: every finished answer ("attempt") in one SQLite file, never half-saved.

The database lives in the data folder (`history.sqlite3`), in WAL mode with foreign keys on; its
schema is versioned with `PRAGMA user_version` and upgraded by `MIGRATIONS` in order. Recordings
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
command line use, salvages what can still be read into a new history (app.salvage). One that is
healthy but cannot be written (a read-only folder) is opened read-only, never set aside as damaged.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import filecmp
import json
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from app import paths, salvage
from app.analysis.model import LABELS, STAR
from app.analysis.timing import clock
from app.speech.transcript import Transcript
from app.speech.wavfile import PARTIAL_SUFFIX

if TYPE_CHECKING:
    from app.analysis.analyze import Analysis
    from app.practice import PracticeResult

DB_NAME = "history.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"
SECTION_NAMES: dict[str, str] = {label: label.title() for label in LABELS}

_INSERT_ATTEMPT = (
    "INSERT INTO attempts (question_id, started_at, status, engine, model, duration_s, total_s, "
    "target_s, wpm, fillers_per_min, long_pauses, i_count, we_count, quantified, missing, "
    "section_seconds, audio_path, audio_bytes, audio_source, transcript, analysis, origin, record) VALUES "
    "(:question_id, :started_at, :status, :engine, :model, :duration_s, :total_s, :target_s, "
    ":wpm, :fillers_per_min, :long_pauses, :i_count, :we_count, :quantified, :missing, "
    ":section_seconds, :audio_path, :audio_bytes, :audio_source, :transcript, :analysis, :origin, :record)"
)

# Each migration is a list of statements, run in one transaction with the new user_version.
MIGRATIONS: list[list[str]] = [
    [  # v1
        """CREATE TABLE questions (
            id TEXT PRIMARY KEY,
            text TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question_id TEXT NOT NULL REFERENCES questions(id),
            started_at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('saving', 'complete')),
            engine TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            duration_s REAL NOT NULL DEFAULT 0,
            total_s REAL NOT NULL DEFAULT 0,
            wpm REAL,
            fillers_per_min REAL,
            long_pauses INTEGER NOT NULL DEFAULT 0,
            i_count INTEGER NOT NULL DEFAULT 0,
            we_count INTEGER NOT NULL DEFAULT 0,
            quantified INTEGER NOT NULL DEFAULT 0,
            missing TEXT NOT NULL DEFAULT '[]',
            section_seconds TEXT NOT NULL DEFAULT '{}',
            audio_path TEXT,
            audio_bytes INTEGER NOT NULL DEFAULT 0,
            audio_source TEXT,
            transcript TEXT NOT NULL,
            analysis TEXT
        )""",
    ],
    [  # v2: the target length as a column (backfilled from the analysis), and per-question lookups
        "ALTER TABLE attempts ADD COLUMN target_s REAL",
        "UPDATE attempts SET target_s = json_extract(analysis, '$.metrics.timing.target_seconds')",
        "CREATE INDEX attempts_question_started ON attempts(question_id, started_at)",
        "CREATE INDEX attempts_started ON attempts(started_at)",
    ],
    [  # v3: where an attempt came from: a practice, or a recording recovered after a crash or a failure
        "ALTER TABLE attempts ADD COLUMN origin TEXT NOT NULL DEFAULT 'practice'",
    ],
    [  # v4: the analysis as a typed, versioned record (labels, the person's corrections, feedback)
        "ALTER TABLE attempts ADD COLUMN record TEXT",
    ],
]
PRACTICE, RECOVERED = "practice", "recovered"
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The history cannot be read or written; the message says what happened and what was kept."""

    def __init__(self, message: str, copy: Path | None = None) -> None:
        super().__init__(message)
        self.copy = copy


@dataclass(frozen=True)
class AttemptSummary:
    id: int
    question_id: str
    question_text: str
    started_at: str  # UTC, ISO 8601
    engine: str
    model: str
    duration_s: float  # the recording's length
    total_s: float  # the answer's length, first word to last
    target_s: float | None
    wpm: float | None
    fillers_per_min: float | None
    long_pauses: int
    i_count: int
    we_count: int
    quantified: bool
    missing: tuple[str, ...]
    section_seconds: dict[str, float]
    audio_path: str | None  # relative to the data folder
    audio_bytes: int
    origin: str = PRACTICE  # RECOVERED: transcribed later from a recording no attempt had

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["missing"] = list(self.missing)
        return data


@dataclass(frozen=True)
class AttemptRecord:
    summary: AttemptSummary
    transcript: Transcript
    analysis: dict[str, Any] | None
    audio: Path | None  # absolute; None when no recording was kept or it is gone
    record: dict[str, Any] | None = None  # app.analysis.analyze.to_record; None before schema 4

    @property
    def id(self) -> int:
        return self.summary.id


@dataclass(frozen=True)
class QuestionStats:
    question_id: str
    attempts: int
    last_at: str
    last_total_s: float
    last_missing: tuple[str, ...]
    mean_wpm: float | None


@dataclass(frozen=True)
class OverallStats:
    attempts: int
    questions: int
    total_s: float
    mean_wpm: float | None
    mean_fillers_per_min: float | None
    first_at: str | None
    last_at: str | None
    audio_bytes: int
    complete_answers: int  # attempts with no STAR section missing


_SUMMARY_COLUMNS = (
    "a.id, a.question_id, COALESCE(q.text, ''), a.started_at, a.engine, a.model, a.duration_s, a.total_s, "
    "a.target_s, a.wpm, a.fillers_per_min, a.long_pauses, a.i_count, a.we_count, a.quantified, a.missing, "
    "a.section_seconds, a.audio_path, a.audio_bytes, a.origin"
)
_FROM = "FROM attempts a LEFT JOIN questions q ON q.id = a.question_id"


def _summary(row: Sequence[Any]) -> AttemptSummary:
    return AttemptSummary(
        id=int(row[0]),
        question_id=str(row[1]),
        question_text=str(row[2]),
        started_at=str(row[3]),
        engine=str(row[4]),
        model=str(row[5]),
        duration_s=float(row[6]),
        total_s=float(row[7]),
        target_s=None if row[8] is None else float(row[8]),
        wpm=None if row[9] is None else float(row[9]),
        fillers_per_min=None if row[10] is None else float(row[10]),
        long_pauses=int(row[11]),
        i_count=int(row[12]),
        we_count=int(row[13]),
        quantified=bool(row[14]),
        missing=tuple(json.loads(row[15])),
        section_seconds={str(k): float(v) for k, v in json.loads(row[16]).items()},
        audio_path=None if row[17] is None else str(row[17]),
        audio_bytes=int(row[18]),
        origin=str(row[19]),
    )


def _is_disk_full(e: BaseException) -> bool:
    if isinstance(e, OSError):
        return e.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(e, sqlite3.OperationalError) and "full" in str(e).lower()


def _save_error(e: BaseException) -> StoreError:
    if _is_disk_full(e):
        return StoreError(
            "The disk is full, so this answer could not be saved to your history. Free some space "
            "and try again; nothing was half-saved and the recording was left where it was."
        )
    return StoreError(f"This answer could not be saved to your history ({e}). Nothing was half-saved.")


def _now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _companions(path: Path) -> list[Path]:
    """The database file and the WAL files SQLite keeps beside it."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _kept_copies(path: Path) -> list[Path]:
    stem = path.name.split(".", 1)[0]
    return sorted(path.parent.glob(f"{stem}.corrupt-*.sqlite3"))


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def _already_kept(path: Path) -> Path | None:
    """A copy of these very bytes kept earlier, so that each run on the same damaged file does not
    keep another one."""
    wal = _companions(path)[1]
    for copy in _kept_copies(path):
        copy_wal = _companions(copy)[1]
        if _same_bytes(path, copy) and (
            not wal.exists() or wal.stat().st_size == 0 or _same_bytes(wal, copy_wal)
        ):
            return copy
    return None


def _keep_copy(path: Path) -> Path:
    """Copy a damaged database (and its WAL) to `history.corrupt-YYYYmmdd-HHMMSS.sqlite3`, once: the
    copy of the same bytes kept earlier is returned instead of a new one."""
    kept = _already_kept(path)
    if kept is not None:
        return kept
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = path.name.split(".", 1)[0]
    copy = path.with_name(f"{stem}.corrupt-{stamp}.sqlite3")
    n = 1
    while copy.exists():
        copy = path.with_name(f"{stem}.corrupt-{stamp}-{n}.sqlite3")
        n += 1
    wal = _companions(path)[1]
    if wal.exists() and wal.stat().st_size > 0:  # the -shm is an index SQLite rebuilds from the WAL
        shutil.copy2(wal, _companions(copy)[1])
    shutil.copy2(path, copy)
    return copy


def _unwritable(path: Path) -> str | None:
    """Why the history at `path` cannot be written (a read-only folder or file), or None."""
    if not os.access(path.parent, os.W_OK):
        return f"its folder {path.parent} is read-only"
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    return None


def _refuse_unrepairable(path: Path, problem: str) -> None:
    """A damaged history in a folder that cannot be written is left as it is: no copy can be kept."""
    if not os.access(path.parent, os.W_OK):
        raise StoreError(
            f"Your practice history {path} is damaged ({problem}), and its folder {path.parent} cannot "
            "be written, so it was left as it is. Make the folder writable and start STAR Coach again."
        )


def _check(path: Path) -> str | None:
    """Why the file at `path` is damaged, or None; opens it read-only. A file that cannot be read for
    another reason (permissions, a lock, a failing disk) is not damage: StoreError says so, and nothing
    is copied or replaced."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as e:
        raise StoreError(f"Your practice history {path} cannot be read ({e.strerror}).") from None
    if not head:
        return None  # an empty file is an empty database
    if head != SQLITE_HEADER:
        return "it does not start as a SQLite database does"
    try:
        conn = salvage.connect_readonly(path)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        if not salvage.is_damage(e):
            raise StoreError(f"Your practice history {path} cannot be read ({e}).") from None
        return f"it is damaged ({e})"
    problems = [str(r[0]) for r in rows if r[0] != "ok"]
    return f"it is damaged ({'; '.join(problems[:3])})" if problems else None


def _move(src: Path, dst: Path) -> None:
    """Rename `src` to `dst`; across file systems, copy to a temporary file beside `dst` first."""
    try:
        os.replace(src, dst)
    except OSError as e:
        if e.errno != errno.EXDEV:
            raise
        part = dst.with_name(f".{dst.name}.part")
        try:
            shutil.copy2(src, part)
            os.replace(part, dst)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        src.unlink()


def _analysis_columns(analysis: Analysis) -> dict[str, Any]:
    """The record holds the whole analysis; the `analysis` column (the `analyze --json` shape, schema 1-3)
    is left empty for new attempts and made from the record when read: the two together doubled the
    size of an attempt (18.9 -> 36.5 KB)."""
    from app.analysis.analyze import to_record

    return {
        "missing": json.dumps(list(analysis.missing)),
        "section_seconds": json.dumps(
            {k: round(v.seconds, 2) for k, v in analysis.timing.sections.items() if v.present}
        ),
        "analysis": None,
        "record": json.dumps(to_record(analysis), ensure_ascii=False),
    }


def _analysis_json(record: dict[str, Any] | None) -> dict[str, Any] | None:
    from app.analysis.analyze import from_record

    analysis = from_record(record) if record else None
    if analysis is None:
        return None
    data: dict[str, Any] = json.loads(json.dumps(analysis.to_json()))  # as JSON gives it: lists, not tuples
    return data


def attempt_row(result: PracticeResult, started_at: datetime, origin: str = PRACTICE) -> dict[str, Any]:
    """The columns of one answer, without its recording: what is saved, and what the sample history
    generator stores so that its rows are the size of real ones."""
    transcript, analysis = result.transcript, result.analysis
    delivery = analysis.delivery if analysis is not None else None
    timing = analysis.timing if analysis is not None else None
    return {
        "question_id": result.question.id,
        "started_at": started_at.isoformat(),
        "engine": transcript.engine,
        "model": transcript.model,
        "duration_s": float(result.recording.seconds),
        "total_s": timing.total_seconds if timing else transcript.audio_seconds,
        "target_s": timing.target_seconds if timing else None,
        "wpm": delivery.wpm if delivery else None,
        "fillers_per_min": delivery.fillers_per_minute if delivery else None,
        "long_pauses": delivery.long_pause_count if delivery else 0,
        "i_count": delivery.i_count if delivery else 0,
        "we_count": delivery.we_count if delivery else 0,
        "quantified": int(delivery.quantified) if delivery else 0,
        **(
            _analysis_columns(analysis)
            if analysis is not None
            else {
                "missing": json.dumps(list(STAR)),
                "section_seconds": "{}",
                "analysis": None,
                "record": None,
            }
        ),
        "audio_path": None,
        "audio_bytes": 0,
        "audio_source": None,
        "transcript": json.dumps(transcript.to_json(), ensure_ascii=False),
        "question_text": result.question.question,
        "origin": origin,
    }


class Store:
    """The practice history. Use `Store.open()`; one Store per thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self.data_dir = path.parent
        self.recovery_messages: list[str] = []
        self.read_only = False  # a healthy history in a folder that cannot be written
        # Test hook, called while an attempt is saved: "inserting" and "completing" inside the
        # transactions, "inserted" and "moved" between them.
        self.on_stage: Callable[[str], None] | None = None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path | None = None) -> Store:
        """Open the history; a damaged one raises StoreError naming the copy kept of it (see `recover`)."""
        path = path or paths.data_dir() / DB_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            problem = _check(path)
            if problem:
                _refuse_unrepairable(path, problem)
                copy = _keep_copy(path)
                raise StoreError(
                    f"Your practice history {path} cannot be opened: {problem}. A copy was kept as "
                    f"{copy}. Start a new history to continue practising.",
                    copy=copy,
                )
        return cls._connect(path)

    @classmethod
    def _connect(cls, path: Path) -> Store:
        """Open a checked history: read-write, or read-only when it cannot be written."""
        why = _unwritable(path)
        if why is not None:
            return cls._connect_read_only(path, why)
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=5, check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreError(f"Your practice history {path} cannot be opened ({e}).") from None
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, path)
            store._migrate()
            store.recovery_messages = store.recover_interrupted()
        except sqlite3.Error as e:
            conn.close()
            if _is_disk_full(e):
                raise StoreError(
                    f"The disk is full: your practice history {path} cannot be opened."
                ) from None
            raise StoreError(f"Your practice history {path} cannot be opened ({e}).") from None
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def _connect_read_only(cls, path: Path, why: str) -> Store:
        """A healthy history that cannot be written is still shown; saving into it says it failed."""
        if not path.exists():
            raise StoreError(f"Your practice history {path} cannot be written: {why}.")
        try:
            conn = salvage.connect_readonly(path)
        except sqlite3.Error as e:
            raise StoreError(
                f"Your practice history {path} cannot be written ({why}) or read ({e})."
            ) from None
        store = cls(conn, path)
        store.read_only = True
        try:
            version = store.version
        except sqlite3.Error as e:
            conn.close()
            raise StoreError(f"Your practice history {path} cannot be read ({e}).") from None
        if version != SCHEMA_VERSION:
            conn.close()
            newer = "a newer" if version > SCHEMA_VERSION else "an older"
            raise StoreError(
                f"Your practice history {path} was written by {newer} STAR Coach and cannot be "
                f"written ({why}), so it cannot be brought up to date to be read."
            )
        store.recovery_messages = [
            f"Your practice history {path} cannot be written ({why}), so it was opened for reading "
            "only: new answers will not be saved to it."
        ]
        return store

    @classmethod
    def recover(cls, path: Path | None = None) -> Store:
        """Open the history, as the app and the command line do. A damaged one is salvaged: what can
        still be read goes into a new history, the damaged file is kept once, and the first message
        says how many attempts came back and where the damaged file is."""
        path = path or paths.data_dir() / DB_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            problem = _check(path)
            if problem:
                return cls._salvage(path, problem)
        return cls._connect(path)

    @classmethod
    def _salvage(cls, path: Path, problem: str) -> Store:
        """Build the new history beside the damaged one, then put it in its place in one rename; the
        damaged WAL goes first, so SQLite never applies it to the new file."""
        _refuse_unrepairable(path, problem)
        try:
            copy = _keep_copy(path)
            seen = path.stat()
        except OSError as e:
            raise StoreError(
                f"Your practice history {path} is damaged ({problem}), and no copy of it could be kept "
                f"({e.strerror}), so it was left as it is. Free some space and start STAR Coach again."
            ) from None
        fresh = path.with_name(f".{path.name}.salvage-{uuid.uuid4().hex[:8]}")
        try:
            new = cls._connect(fresh)
            try:
                result = salvage.salvage_into(copy, new._conn)
                new._conn.execute("PRAGMA journal_mode = DELETE")  # all of it in the one file
            finally:
                new.close()
            now = path.stat()
            if (now.st_ino, now.st_size, now.st_mtime_ns) == (seen.st_ino, seen.st_size, seen.st_mtime_ns):
                for companion in _companions(path)[1:]:
                    companion.unlink(missing_ok=True)
                os.replace(fresh, path)
            else:  # another STAR Coach replaced it meanwhile: open theirs
                return cls._connect(path)
        except (OSError, sqlite3.Error) as e:
            raise StoreError(
                f"Your practice history {path} is damaged ({problem}) and could not be repaired ({e}). "
                f"A copy was kept as {copy}.",
                copy=copy,
            ) from None
        finally:
            for leftover in _companions(fresh):
                leftover.unlink(missing_ok=True)
        store = cls._connect(path)
        store.recovery_messages.insert(0, salvage.message(path, problem, copy, result))
        return store

    def close(self) -> None:
        self._conn.close()

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

    def _migrate(self) -> None:
        current = self.version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"Your practice history {self.path} was written by a newer STAR Coach "
                f"(schema {current}, this one knows {SCHEMA_VERSION}). Update STAR Coach to open it."
            )
        if current == 0:
            tables = [
                r[0]
                for r in self._conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            if tables:  # never write our tables into another program's database
                raise StoreError(
                    f"{self.path} is not a STAR Coach history: it holds another program's tables "
                    f"({', '.join(sorted(tables)[:3])}). It was left as it is; move it elsewhere and "
                    "STAR Coach starts a new history there."
                )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self._tx() as c:
                for statement in MIGRATIONS[version - 1]:
                    c.execute(statement)
                c.execute(f"PRAGMA user_version = {version}")

    # ------------------------------------------------------------------ saving

    def _abs(self, rel: str) -> Path:
        return self.data_dir / rel

    def save_attempt(
        self,
        result: PracticeResult,
        keep_audio: bool,
        origin: str = PRACTICE,
        started_at: datetime | None = None,
    ) -> int:
        """Store one finished answer; moves its recording into recordings/ when `keep_audio`.
        `started_at` defaults to now less the recording's length."""
        src = result.recording.path
        keep = keep_audio and src.is_file()
        rec_dir = self.data_dir / "recordings"
        rel: str | None = None
        if keep:
            rec_dir.mkdir(parents=True, exist_ok=True)
            inside = src.resolve().parent == rec_dir.resolve()
            rel = f"recordings/{src.name}" if inside else f"recordings/{uuid.uuid4().hex}.wav"
        began = started_at or _now_utc() - timedelta(seconds=round(result.recording.seconds))
        row = attempt_row(result, began, origin)
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
            raise _save_error(e) from None
        moved = False
        try:
            self._stage("inserted")
            if rel is not None and row["audio_source"]:
                _move(src, self._abs(rel))
                moved = True
            self._stage("moved")
            with self._tx() as c:
                self._stage("completing")
                c.execute(
                    "UPDATE attempts SET status = 'complete', audio_source = NULL WHERE id = ?", (attempt_id,)
                )
        except (sqlite3.Error, OSError) as e:
            self._undo_save(attempt_id, src, rel if moved else None)
            raise _save_error(e) from None
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
            _INSERT_ATTEMPT,
            {**row, "status": status},
        )
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def _undo_save(self, attempt_id: int, src: Path, moved_to: str | None) -> None:
        """A save failed after its row was inserted: put the recording back and drop the row.
        If even that fails, the 'saving' row is finished at the next open, so nothing is lost."""
        try:
            if moved_to is not None:
                _move(self._abs(moved_to), src)
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
                        _move(Path(source), self._abs(rel))
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
        an answer the speech model could not transcribe. app.recovery turns them into attempts."""
        rec_dir = self.data_dir / "recordings"
        if not rec_dir.is_dir():
            return []
        known = {
            r[0] for r in self._conn.execute("SELECT audio_path FROM attempts WHERE audio_path IS NOT NULL")
        }
        return [
            f
            for f in sorted(rec_dir.glob("*.wav"))
            if not f.name.endswith(PARTIAL_SUFFIX) and f"recordings/{f.name}" not in known
        ]

    # ------------------------------------------------------------------ reading

    def attempts(
        self, question_id: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[AttemptSummary]:
        """Saved attempts, newest first; `limit` and `offset` give one page of them."""
        sql = f"SELECT {_SUMMARY_COLUMNS} {_FROM} WHERE a.status = 'complete'"
        args: list[Any] = []
        if question_id is not None:
            sql += " AND a.question_id = ?"
            args.append(question_id)
        sql += " ORDER BY a.started_at DESC, a.id DESC"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            args += [-1 if limit is None else limit, offset]
        return [_summary(r) for r in self._conn.execute(sql, args)]

    def count_attempts(self) -> int:
        """How many saved attempts there are, for "showing 200 of 5,000"."""
        row = self._conn.execute("SELECT COUNT(*) FROM attempts WHERE status = 'complete'").fetchone()
        return int(row[0])

    def attempt(self, attempt_id: int) -> AttemptRecord:
        row = self._conn.execute(
            f"SELECT {_SUMMARY_COLUMNS}, a.transcript, a.analysis, a.record {_FROM} "
            "WHERE a.id = ? AND a.status = 'complete'",
            (attempt_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"There is no saved attempt {attempt_id} (see `python main.py history`).")
        summary = _summary(row)
        audio = self._abs(summary.audio_path) if summary.audio_path else None
        record = None if row[22] is None else json.loads(row[22])
        return AttemptRecord(
            summary=summary,
            transcript=Transcript.from_json(json.loads(row[20])),
            analysis=json.loads(row[21]) if row[21] is not None else _analysis_json(record),
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
        for attempt_id, record in rows:
            sentences = json.loads(record)["analysis"]["sentences"]
            out.append((int(attempt_id), [(str(s["text"]), str(s["section"])) for s in sentences]))
        return out

    def save_analysis(self, attempt_id: int, analysis: Analysis) -> None:
        """Replace an attempt's analysis (after the person corrected a label, or the fillers were
        counted on a second listen): the record, the JSON and the columns History and Statistics read."""
        row = _analysis_columns(analysis)
        fillers = analysis.delivery.fillers_per_minute
        with self._tx() as c:
            changed = c.execute(
                "UPDATE attempts SET missing = ?, section_seconds = ?, analysis = ?, record = ?, "
                "fillers_per_min = ? WHERE id = ? AND status = 'complete'",
                (row["missing"], row["section_seconds"], row["analysis"], row["record"], fillers, attempt_id),
            ).rowcount
        if not changed:
            raise StoreError(f"There is no saved attempt {attempt_id} to correct.")

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
            str(r[0]): QuestionStats(
                question_id=str(r[0]),
                attempts=int(r[1]),
                last_at=str(r[2]),
                last_total_s=float(r[3]),
                last_missing=tuple(json.loads(r[4])),
                mean_wpm=None if r[5] is None else float(r[5]),
            )
            for r in rows
        }

    def overall_stats(self) -> OverallStats:
        r = self._conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT question_id), COALESCE(SUM(total_s), 0), AVG(wpm), "
            "AVG(fillers_per_min), MIN(started_at), MAX(started_at), COALESCE(SUM(audio_bytes), 0), "
            "COALESCE(SUM(missing = '[]'), 0) FROM attempts WHERE status = 'complete'"
        ).fetchone()
        return OverallStats(
            attempts=int(r[0]),
            questions=int(r[1]),
            total_s=float(r[2]),
            mean_wpm=None if r[3] is None else float(r[3]),
            mean_fillers_per_min=None if r[4] is None else float(r[4]),
            first_at=r[5],
            last_at=r[6],
            audio_bytes=int(r[7]),
            complete_answers=int(r[8]),
        )

    # ------------------------------------------------------------------ deleting

    def delete_attempt(self, attempt_id: int) -> None:
        with self._tx() as c:
            row = c.execute("SELECT audio_path FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
            if row is None:
                raise StoreError(f"There is no saved attempt {attempt_id}.")
            c.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
        if row[0]:
            self._unlink(row[0])

    def delete_all(self) -> int:
        """Delete every attempt and its recording; returns how many attempts were deleted."""
        with self._tx() as c:
            audio = [r[0] for r in c.execute("SELECT audio_path FROM attempts WHERE audio_path IS NOT NULL")]
            n = c.execute("DELETE FROM attempts").rowcount
            c.execute("DELETE FROM questions")
        for rel in audio:
            self._unlink(rel)
        for orphan in self.orphan_recordings():  # recordings no attempt had yet: everything means all
            with contextlib.suppress(OSError):
                orphan.unlink()
        return int(n)

    def _unlink(self, rel: str) -> None:
        with contextlib.suppress(OSError):  # a file we cannot delete is reported as an orphan later
            self._abs(rel).unlink(missing_ok=True)

    def insert_complete(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Finished attempts without audio, as rows of the attempts table, in one transaction (a generated
        history for tests and the benchmark); returns the new ids."""
        with self._tx() as c:
            c.executemany(
                "INSERT INTO questions (id) VALUES (?) ON CONFLICT(id) DO NOTHING",
                [(q,) for q in {r["question_id"] for r in rows}],
            )
            first = c.execute("SELECT COALESCE(MAX(id), 0) FROM attempts").fetchone()[0]
            c.executemany(_INSERT_ATTEMPT, rows)
            return [r[0] for r in c.execute("SELECT id FROM attempts WHERE id > ? ORDER BY id", (first,))]

    # ------------------------------------------------------------------ exporting

    def export_attempt_markdown(self, attempt_id: int) -> str:
        rec = self.attempt(attempt_id)
        s, a = rec.summary, rec.analysis or {}
        when = datetime.fromisoformat(s.started_at).astimezone().strftime("%Y-%m-%d %H:%M")
        target = f" (target {clock(s.target_s)})" if s.target_s else ""
        lines = [
            f"# {s.question_text or s.question_id}",
            "",
            f"- Question: {s.question_id}",
            f"- Date: {when}",
            f"- Length: {clock(s.total_s)}{target}",
            f"- Pace: {_num(s.wpm)} words per minute; fillers: {_num(s.fillers_per_min)} per minute",
            f"- Missing: {', '.join(SECTION_NAMES.get(m, m) for m in s.missing) or 'nothing'}",
            f"- Engine: {s.engine} {s.model}".rstrip(),
            "",
            "## Answer",
            "",
        ]
        sentences = a.get("sentences") or []
        if sentences:
            current = None
            for sent in sentences:
                label = str(sent.get("section", "other"))
                if label != current:
                    if current is not None:
                        lines.append("")
                    lines.append(f"**{SECTION_NAMES.get(label, label)}** ({clock(float(sent['start']))})")
                    current = label
                lines.append(str(sent["text"]))
        else:
            lines.append(rec.transcript.text or "(nothing heard)")
        lines += ["", "## Timeline", "", "| Section | Seconds | Share |", "|---|---:|---:|"]
        for label, t in (a.get("sections") or {}).items():
            if t.get("present"):
                lines.append(
                    f"| {SECTION_NAMES.get(label, label)} | {float(t['seconds']):.1f} | {float(t['share']):.0%} |"
                )
        lines += ["", "## Feedback", ""]
        for p in a.get("feedback") or []:
            at = f" (at {clock(float(p['at']))})" if p.get("at") is not None else ""
            lines.append(f"- {p['message']}{at}")
        went_well = (a.get("metrics") or {}).get("went_well") or []
        if went_well:
            lines += ["", "## Went well", ""] + [f"- {g}" for g in went_well]
        return "\n".join(lines) + "\n"

    def export_csv(self, path: Path) -> int:
        """Every attempt's summary and transcript as one CSV row, figures rounded for a spreadsheet
        (104.25999999999999 was written before); returns the number of rows."""
        rows = self.attempts()
        said = dict(
            self._conn.execute(
                "SELECT id, json_extract(transcript, '$.text') FROM attempts WHERE status = 'complete'"
            ).fetchall()
        )
        columns = [
            "id",
            "question_id",
            "question_text",
            "started_at",
            "engine",
            "model",
            "duration_s",
            "total_s",
            "target_s",
            "wpm",
            "fillers_per_min",
            "long_pauses",
            "i_count",
            "we_count",
            "quantified",
            "missing",
            *(f"{label}_s" for label in STAR),
            "audio_path",
            "transcript",
        ]

        def cell(value: Any) -> Any:
            return "" if value is None else round(value, 2) if isinstance(value, float) else value

        def write(f: IO[str]) -> None:
            w = csv.writer(f)
            w.writerow(columns)
            for s in rows:
                d = s.to_json()
                d["missing"] = " ".join(s.missing)
                d["quantified"] = int(s.quantified)
                for label in STAR:
                    d[f"{label}_s"] = s.section_seconds.get(label, 0.0)
                d["transcript"] = (said.get(s.id) or "").strip()
                w.writerow([cell(d[c]) for c in columns])

        _atomic_stream(path, write, newline="")
        return len(rows)

    def export_json(self, path: Path) -> int:
        """Every attempt with its transcript and analysis, oldest first; returns the number written."""
        ids = [
            r[0]
            for r in self._conn.execute(
                "SELECT id FROM attempts WHERE status = 'complete' ORDER BY started_at, id"
            )
        ]

        def write(f: IO[str]) -> None:
            f.write(f'{{"format": 1, "schema": {SCHEMA_VERSION}, "attempts": [\n')
            for i, attempt_id in enumerate(ids):
                rec = self.attempt(attempt_id)
                item = {
                    **rec.summary.to_json(),
                    "transcript": rec.transcript.to_json(),
                    "analysis": rec.analysis,
                }
                f.write(("" if i == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
            f.write("\n]}\n")

        _atomic_stream(path, write)
        return len(ids)


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.0f}"


def _atomic_stream(path: Path, write: Callable[[IO[str]], None], newline: str | None = None) -> None:
    """Like app.fileio.atomic_write_text, for output written piece by piece."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise StoreError(f"{path} cannot be written ({e.strerror or e}).") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = [
    "DB_NAME",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AttemptRecord",
    "AttemptSummary",
    "OverallStats",
    "QuestionStats",
    "Store",
    "StoreError",
]
