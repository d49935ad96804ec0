"""A plausible practice history, generated: thousands of attempts for the benchmark and the tests of
the history and statistics screens, without recording anything."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.analysis import sentences as sent
from app.analysis.analyze import analyze
from app.analysis.types import STAR
from app.bank.questions import Bank, Question, builtin_bank_path, load_bank
from app.history import Store, attempt_row
from app.practice.result import PracticeResult
from app.speech.capture_worker import RecordingResult
from app.speech.transcript import Transcript, Word

_FAKE: dict[str, list[str]] = {
    "situation": [
        "Last year I was working as a team lead at a logistics company with about forty people.",
        "Our biggest customer was threatening to leave because deliveries kept arriving late.",
        "At the time we were migrating the warehouse system to a new vendor.",
        "The project was already two months behind schedule when I joined.",
    ],
    "task": [
        "My job was to get the rollout back on track before the holiday peak.",
        "I was responsible for finding the root cause and fixing it within a quarter.",
        "My goal was to keep the customer without adding more headcount.",
    ],
    "action": [
        "So I started by mapping every step of the process with the people who did the work.",
        "Then I set up a daily fifteen minute stand-up to unblock issues quickly.",
        "I wrote a small script that flagged late orders before they left the building.",
        "I um negotiated with the vendor to move two engineers onto our account.",
        "After that I trained the night shift on the new scanning workflow myself.",
        "I like reviewed the data every morning and shared a simple dashboard with the customer.",
        "We also cut the number of manual hand-offs from six to two.",
    ],
    "result": [
        "As a result on-time delivery went from 82 percent to 97 percent in ten weeks.",
        "The customer renewed their contract for three more years worth about 2 million dollars.",
        "We finished the migration three weeks early and under budget.",
    ],
    "reflection": [
        "What I learned is to go and see the work before deciding on a fix.",
        "Looking back I would have involved the customer even earlier.",
    ],
}
# Two answers per question are analysed for real; attempts reuse them with their own dates, so every
# row carries an analysis and a transcript of the size the app saves (an analysis written by hand
# here once came to a third of that, and the benchmark's disk figures with it).
VARIANTS = 2


def _answer(rng: random.Random, bank: Bank, question: Question, target: float) -> PracticeResult:
    """A spoken-like answer of about 1.5-3 minutes: timed words, analysed as the app analyses one."""
    wpm = rng.uniform(115, 175)
    labels = [lab for lab in STAR if not (lab in ("task", "reflection", "result") and rng.random() < 0.15)]
    words: list[Word] = []
    t = rng.uniform(0.3, 1.5)
    per_word = 60.0 / wpm
    for lab in labels:
        picks = rng.sample(_FAKE[lab], k=min(len(_FAKE[lab]), 4 if lab == "action" else 2))
        for text in picks * (2 if lab == "action" else 1):
            for w in text.split():
                words.append(Word(w, round(t, 3), round(t + per_word * rng.uniform(0.6, 0.9), 3)))
                t += per_word * rng.uniform(0.9, 1.1)
            t += rng.uniform(0.2, 2.5) if rng.random() < 0.1 else rng.uniform(0.1, 0.5)
    seconds = round(t + 0.8, 3)
    transcript = Transcript(tuple(words), " ".join(w.text for w in words), "whisper", "tiny.en", seconds)
    analysis = analyze(
        sent.from_transcript(transcript), bank, question, engine="whisper", target_seconds=target
    )
    recording = RecordingResult(Path("generated.wav"), seconds, 0.5, -12.0, 0.0, False)
    return PracticeResult(question, recording, transcript, analysis, 0.0)


def generate_attempts(
    store: Store,
    n: int,
    bank_ids: Sequence[str],
    seed: int = 0,
    weeks: int = 8,
    bank: Bank | None = None,
) -> list[int]:
    """Insert `n` plausible attempts (no audio) spread over the last `weeks` weeks, in one transaction.
    For benchmarks and tests; returns the new ids. `bank` holds `bank_ids` (the built-in one if None)."""
    bank = bank or load_bank(builtin_bank_path())
    rng = random.Random(seed)
    now = datetime.now(UTC)
    answers: dict[tuple[str, int], dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    for _ in range(n):
        key = (rng.choice(list(bank_ids)), rng.randrange(VARIANTS))
        if key not in answers:
            answers[key] = attempt_row(_answer(rng, bank, bank.by_id(key[0]), 120.0).for_history(), now)
        started = now - timedelta(seconds=rng.uniform(0, weeks * 7 * 86400))
        rows.append(
            answers[key] | {"started_at": started.replace(microsecond=0).isoformat(), "status": "complete"}
        )
    return store.insert_complete(rows)
