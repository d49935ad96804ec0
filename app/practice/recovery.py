"""Recordings that belong to no attempt come back as attempts, marked recovered.

They are left by a crash mid-answer (repaired at start by `recover_recordings`), a crash in the moment
after Stop, or an answer the speech model could not transcribe. Once a model works, each is
transcribed and analysed like a practice and saved with its own recording, so no spoken answer is
lost and the person is told once, not at every start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.analysis import sentences as sent
from app.analysis.analyze import analyze
from app.bank.questions import Bank, Question
from app.history import RECOVERED, NewAttempt, Store
from app.schedule.grades import AGAIN, grade_of
from app.speech.audio import SAMPLE_RATE, decode_audio
from app.speech.transcript import SpeechError, Transcriber

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recovered:
    result: NewAttempt
    started_at: datetime


def question_of(path: Path, bank: Bank) -> Question | None:
    """Recordings are named `<question id>-<date>-<time>…wav` by the practice."""
    try:
        return bank.by_id(path.name.split("-", 1)[0])
    except KeyError:
        return None


def transcribe_recordings(
    paths: list[Path], engine: Transcriber, bank: Bank, target_seconds: float
) -> tuple[list[Recovered], list[str]]:
    """Slow (the model runs): call off the GUI thread. Returns what could be analysed, and a line for
    each recording that could not (left in place, to be tried again)."""
    recovered: list[Recovered] = []
    problems: list[str] = []
    for path in paths:
        question = question_of(path, bank)
        if question is None:
            problems.append(f"{path.name}: its question is not in the current question bank")
            continue
        try:
            samples = decode_audio(path)
            transcript = engine.transcribe(samples)
        except (OSError, SpeechError) as e:
            problems.append(f"{path.name}: {e}")
            continue
        seconds = len(samples) / SAMPLE_RATE
        # Not English: kept and listed, never given STAR feedback made up from tiny.en's guesses.
        heard = not transcript.nothing_heard and not transcript.not_english
        analysis = (
            analyze(
                sent.from_transcript(transcript),
                bank,
                question,
                engine=transcript.engine,
                target_seconds=target_seconds,
            )
            if heard
            else None
        )
        ended = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        grade = grade_of(analysis) if analysis is not None else AGAIN
        result = NewAttempt(question.id, question.question, transcript, analysis, path, seconds, grade)
        recovered.append(Recovered(result, ended - timedelta(seconds=round(seconds))))
    return recovered, problems


def save_recovered(store: Store, recovered: list[Recovered]) -> int:
    """On the thread that owns the store; returns how many attempts were added."""
    saved = 0
    for r in recovered:
        store.save_attempt(r.result, keep_audio=True, origin=RECOVERED, started_at=r.started_at)
        saved += 1
    return saved


def notice(saved: int, problems: list[str]) -> str:
    """What the person reads once."""
    parts = []
    if saved:
        parts.append(
            f"{saved} recording{'s' if saved > 1 else ''} from an earlier session "
            f"{'were' if saved > 1 else 'was'} transcribed and added to History, marked recovered."
        )
    if problems:
        parts.append("Kept but not yet transcribed: " + "; ".join(problems) + ".")
    return " ".join(parts)
