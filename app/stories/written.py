"""A story's written STAR version: read as a spoken answer would be, and compared with a telling of it.

Reading: the same labeller and the same feedback as a spoken answer (a missing or unclear section, no
number in the result, "we" over "I", a set-up too long for the target), with its length estimated at the
person's own pace. Comparing: the written version is cut into units (each clause, and each number), and
each is looked for in the telling by meaning (app.analysis.meaning), so "I rang every supplier" is found
in "I phoned round all of them"; a number is found only if the same number was said. What the telling
says that the written version does not is listed too, and the seconds per section against the written
estimate. The bounds were chosen on development stories (tests/data/compare_dev.json) and scored on blind
ones (`bench --only practice_aids`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.analysis import sentences as sent
from app.analysis.analyze import Analysis, analyze
from app.analysis.clauses import clauses
from app.analysis.meaning import shared_meaning
from app.analysis.types import STAR, Sentence
from app.bank.questions import Bank, Question

DEFAULT_WPM = 150.0
SAID_AT_LEAST = 0.45  # a written unit counts as said when a spoken clause comes this close by meaning
# (development, 8 stories and 24 tellings: 0.848 of units left out found, 0.068 of told units shown as
# left out; at 0.5: 0.909 and 0.146)
ADDED_BELOW = 0.45  # a spoken clause no written unit comes this close to was added
MIN_UNIT_WORDS = 3
_LEADING_JOIN = re.compile(r"^(?:and|so|but|then|because)\s+", re.IGNORECASE)

# Fractions and multiples text2num leaves as words ("cut it by half", "a third").
_FRACTIONS = {"half": 0.5, "halved": 0.5, "third": 1 / 3, "quarter": 0.25, "double": 2.0, "doubled": 2.0}
_DIGITS = re.compile(r"(\d+(?:[.,]\d+)*)\s*(%|percent|per cent)?", re.IGNORECASE)
_FRACTION = re.compile(r"\b(?:" + "|".join(_FRACTIONS) + r")\b", re.IGNORECASE)


def numbers_in(text: str) -> set[float]:
    """The numbers a text says, as values: "forty", "40" and "40%" are the same number, and so are
    "three thousand" and "3,000" (text2num turns number words into digits), and "half" and "50%"."""
    from text_to_num import alpha2digit

    digits = alpha2digit(text, "en")
    out: set[float] = set()
    for m in _DIGITS.finditer(digits):
        value = float(m.group(1).replace(",", ""))
        out.add(round(value, 3))
        if m.group(2):  # "50 percent" is also "half"
            out.add(round(value / 100, 3))
    for m in _FRACTION.finditer(text):
        value = _FRACTIONS[m.group(0).lower()]
        out |= {round(value, 3), round(value * 100, 3)}  # "half" is also "50 percent"
    return out


def read_written(
    text: str, bank: Bank, question: Question | None = None, wpm: float = DEFAULT_WPM
) -> Analysis:
    """The written version analysed as an answer would be, timed at `wpm` (the person's own pace)."""
    return analyze(sent.from_text(text, wpm=wpm), bank, question, engine="text")


@dataclass(frozen=True)
class Unit:
    """A piece of the written version: a clause, in its section, that holds a number or not."""

    text: str
    section: str
    number: bool

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "section": self.section, "number": self.number}


def units_of(written: Analysis) -> list[Unit]:
    out: list[Unit] = []
    for s in written.sentences:
        if s.section == "other":
            continue
        for part in clauses([s.text]):
            part = _LEADING_JOIN.sub("", part)
            if len(part.split()) >= MIN_UNIT_WORDS:
                out.append(Unit(part, s.section, bool(numbers_in(part))))
    return out


@dataclass(frozen=True)
class Comparison:
    left_out: tuple[Unit, ...]  # written, not said
    numbers_left_out: tuple[Unit, ...]  # said, but without the written number
    added: tuple[str, ...]  # said, not written
    sections_left_out: tuple[str, ...]  # written sections the telling did not tell
    seconds: dict[str, tuple[float, float]] = field(default_factory=dict)  # section: (spoken, written)

    def to_json(self) -> dict[str, Any]:
        return {
            "left_out": [u.to_json() for u in self.left_out],
            "numbers_left_out": [u.to_json() for u in self.numbers_left_out],
            "added": list(self.added),
            "sections_left_out": list(self.sections_left_out),
            "seconds": {
                k: {"spoken": round(a, 1), "written": round(b, 1)} for k, (a, b) in self.seconds.items()
            },
        }


def _spoken_clauses(sentences: Sequence[Sentence]) -> list[tuple[str, str]]:
    return [
        (part, s.section)
        for s in sentences
        for part in clauses([s.text])
        if len(part.split()) >= MIN_UNIT_WORDS
    ]


def compare(written: Analysis, spoken: Analysis) -> Comparison | None:
    """What the telling left out of the written version, and what it added; None without the meaning
    model (words alone would call every reworded sentence left out)."""
    model = shared_meaning()
    units = units_of(written)
    said = _spoken_clauses(spoken.sentences)
    if model is None or not units:
        return None
    spoken_text = " ".join(s.text for s in spoken.sentences)
    spoken_numbers = numbers_in(spoken_text)
    u_vec = model.encode([u.text for u in units])
    s_vec = model.encode([c for c, _ in said]) if said else np.zeros((0, u_vec.shape[1]), np.float32)
    sims = u_vec @ s_vec.T if len(said) else np.zeros((len(units), 0))
    best = sims.max(axis=1) if len(said) else np.zeros(len(units))
    left_out = tuple(u for u, b in zip(units, best, strict=True) if b < SAID_AT_LEAST)
    numbers_left_out = tuple(
        u
        for u, b in zip(units, best, strict=True)
        if b >= SAID_AT_LEAST and u.number and not numbers_in(u.text) <= spoken_numbers
    )
    closest_written = sims.max(axis=0) if len(units) and len(said) else np.zeros(len(said))
    added = tuple(
        c
        for (c, section), b in zip(said, closest_written, strict=True)
        if section != "other" and b < ADDED_BELOW
    )
    told = {s.section for s in spoken.sentences}
    wrote = [s for s in STAR if any(u.section == s for u in units)]
    sections_left_out = tuple(
        s for s in wrote if s not in told and all(u in left_out for u in units if u.section == s)
    )
    seconds: dict[str, tuple[float, float]] = {
        s: (spoken.timing.sections[s].seconds if s in spoken.timing.sections else 0.0,
            written.timing.sections[s].seconds if s in written.timing.sections else 0.0)
        for s in STAR
        if s in written.timing.sections or s in spoken.timing.sections
    }  # fmt: skip
    return Comparison(left_out, numbers_left_out, added, sections_left_out, seconds)
