"""What the history holds, as plain records: what is saved (NewAttempt, from any layer above) and
what is read back (summaries, whole attempts, statistics). Rows are read by column name."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.analysis.types import STAR
from app.history.schema import PRACTICE
from app.speech.transcript import Transcript

if TYPE_CHECKING:  # the analysis is imported when first needed: the history opens at start-up
    from app.analysis.analyze import Analysis


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


def summary(row: sqlite3.Row) -> AttemptSummary:
    """One History line from a row of `schema.SUMMARY_COLUMNS`."""
    return AttemptSummary(
        id=int(row["id"]),
        question_id=str(row["question_id"]),
        question_text=str(row["question_text"]),
        started_at=str(row["started_at"]),
        engine=str(row["engine"]),
        model=str(row["model"]),
        duration_s=float(row["duration_s"]),
        total_s=float(row["total_s"]),
        target_s=_float(row["target_s"]),
        wpm=_float(row["wpm"]),
        fillers_per_min=_float(row["fillers_per_min"]),
        long_pauses=int(row["long_pauses"]),
        i_count=int(row["i_count"]),
        we_count=int(row["we_count"]),
        quantified=bool(row["quantified"]),
        missing=tuple(json.loads(row["missing"])),
        section_seconds={str(k): float(v) for k, v in json.loads(row["section_seconds"]).items()},
        audio_path=None if row["audio_path"] is None else str(row["audio_path"]),
        audio_bytes=int(row["audio_bytes"]),
        origin=str(row["origin"]),
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class NewAttempt:
    """One finished answer to save: what the practice layer hands the history (it knows no more). The
    grade (1 Again … 4 Easy, app.schedule.grades) is worked out before the save: the history stores it."""

    question_id: str
    question_text: str
    transcript: Transcript
    analysis: Analysis | None  # None: the answer could not be analysed (nothing was said)
    recording: Path
    recording_s: float
    grade: int


@dataclass(frozen=True)
class GradedAnswer:
    """One complete attempt as the practice schedule replays it (app.schedule.due reads `when`, `grade`)."""

    when: datetime  # timezone-aware
    grade: int  # the person's grade if they set one, else the app's


def analysis_columns(analysis: Analysis, grade: int | None) -> dict[str, Any]:
    """The record holds the whole analysis; the `analysis` column (the `analyze --json` shape, schema 1-3)
    is left empty for new attempts and made from the record when read: the two together doubled the
    size of an attempt (18.9 -> 36.5 KB)."""
    from app.analysis.analyze import to_record

    return {
        "grade": grade,
        "missing": json.dumps(list(analysis.missing)),
        "section_seconds": json.dumps(
            {k: round(v.seconds, 2) for k, v in analysis.timing.sections.items() if v.present}
        ),
        "analysis": None,
        "record": json.dumps(to_record(analysis), ensure_ascii=False),
    }


def analysis_json(record: dict[str, Any] | None) -> dict[str, Any] | None:
    from app.analysis.analyze import from_record

    analysis = from_record(record) if record else None
    if analysis is None:
        return None
    data: dict[str, Any] = json.loads(json.dumps(analysis.to_json()))  # as JSON gives it: lists, not tuples
    return data


def attempt_row(new: NewAttempt, started_at: datetime, origin: str = PRACTICE) -> dict[str, Any]:
    """The columns of one answer, without its recording: what is saved, and what the sample history
    generator stores so that its rows are the size of real ones."""
    transcript, analysis = new.transcript, new.analysis
    delivery = analysis.delivery if analysis is not None else None
    timing = analysis.timing if analysis is not None else None
    return {
        "question_id": new.question_id,
        "started_at": started_at.isoformat(),
        "engine": transcript.engine,
        "model": transcript.model,
        "duration_s": float(new.recording_s),
        "total_s": timing.total_seconds if timing else transcript.audio_seconds,
        "target_s": timing.target_seconds if timing else None,
        "wpm": delivery.wpm if delivery else None,
        "fillers_per_min": delivery.fillers_per_minute if delivery else None,
        "long_pauses": delivery.long_pause_count if delivery else 0,
        "i_count": delivery.i_count if delivery else 0,
        "we_count": delivery.we_count if delivery else 0,
        "quantified": int(delivery.quantified) if delivery else 0,
        **(
            analysis_columns(analysis, new.grade)
            if analysis is not None
            else {
                "grade": new.grade,
                "missing": json.dumps(list(STAR)),
                "section_seconds": "{}",
                "analysis": None,
                "record": None,
            }
        ),
        "audio_path": None,
        "audio_bytes": 0,
        "audio_source": None,
        "transcript": json.dumps(transcript.to_json(probabilities=True), ensure_ascii=False),
        "question_text": new.question_text,
        "origin": origin,
    }
