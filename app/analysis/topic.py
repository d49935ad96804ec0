"""Does the answer address the question? A gentle check, built to stay silent when unsure.

Some questions ask for one particular thing: a disagreement, a deadline, a mistake, data. Each
concept below has the words that show a question asks for it and the words that show an answer has
it. A question's concept is the first in the table its text matches (the specific ones come before
the general ones); a question that matches none ("your biggest achievement", "a customer") is never
checked. Only concepts that an answer can hardly tell without one of their words are here: an
implicit answer about a customer ("the lady at the farmhouse"), an unusual idea or a decision taken
without approval was flagged in blind tests (4 of 32 on-topic answers), so those are not checked. An answer is off topic only when it is long enough to judge
and says fewer than MIN_CUES different words of its concept. The answer side is deliberately generous (a disagreement may
be shown as "I pushed back", "I wasn't convinced", "I suggested we…"), because telling someone with
a good answer that they missed the question is the worst mistake this check can make: no reference
answer in the bank may be flagged (a test), and the benchmark reports false alarms on answers
written blind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MIN_WORDS = 40  # shorter answers are judged on structure, not topic
# An answer has the concept when it says at least this many different words of it: one generic word
# ("instead", "week") let off-topic stories through. On development answers every on-topic one had 2
# or more, every bank reference answer too; 11 of the 20 checked off-topic ones had 0 or 1.
MIN_CUES = 2


@dataclass(frozen=True)
class Concept:
    name: str  # what the question asks for, as the person is told ("a disagreement")
    asked_by: str  # regex on the question's text
    heard_as: str  # regex on the answer's text


def _words(*alternatives: str) -> str:
    return r"\b(?:" + "|".join(a.replace(" ", r"\s+") for a in alternatives) + r")"


CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "telling others you could not finish in time",
        _words("report this to stakeholders", "unable to complete"),
        _words("told", "tell", "inform", "let (?:them|him|her|everyone|my) ", "updat", "email", "call", "explain",
               "stakeholder", "manager", "client", "warn", "flag", "escalat", "raised", "honest", "heads up"),
    ),
    Concept(
        "a trade-off between speed and quality",
        _words("trade off", "trade-off", "tradeoff"),
        _words("trade", "quality", "corner", "compromis", "instead", "rather than", "cut", "scope", "priorit",
               "good enough", "polish", "later", "deadline", "perfect", "test", "rush", "fast"),
    ),
    Concept(
        "a disagreement",
        _words("disagree", "conflict", "challenged your approach", "not agreed"),
        _words("disagree", "agree", "push(?:ed)? back", "object", "argu", "conflict", "clash", "challeng",
               "question", "different (?:view|opinion|idea|approach|way)", "convinc", "persuad", "concern",
               "worr", "against", "debate", "tension", "friction", "eye to eye", "resist", "oppos", "skeptic",
               "sceptic", "doubt", "instead", "rather than", "i thought", "i felt", "i believed", "suggest",
               "propos", "wrong", "mistake", "not sure", "wasn't sure", "but i", "compromis", "frustrat", "annoy",
               "upset", "clash", "pushback"),
    ),
    Concept(
        "a deadline",
        _words("deadline"),
        _words("deadline", "due", "on time", "in time", "late", "days?", "weeks?", "hours?", "minutes?", "morning",
               "tonight", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "rush", "urgent", "tight", "launch", "date", "schedule", "clock", "deliver", "time"),
    ),
    Concept(
        "a risk, a mistake or a failure",
        _words("mistake", "fail", "risk"),
        _words("mistake", "wrong", "fail", "error", "risk", "messed", "screwed", "fault", "blame", "badly",
               "backfir", "didn't work", "did not work", "broke", "bug", "oversight", "overlook", "missed", "lost",
               "gamble", "bet", "chance", "regret", "sorry", "apologi", "should have", "shouldn't have",
               "went wrong", "disaster", "embarrass", "learn", "lesson"),
    ),
    Concept(
        "using data",
        _words("data"),
        _words("data", "numbers?", "metric", "figure", "analys", "analyz", "dashboard", "spreadsheet", "survey",
               "statistic", "percent", "measur", "trend", "report", "logs?", "records", "tracked", "count", "excel",
               "query", "sql", "chart", "graph", "sample", "evidence"),
    ),
)  # fmt: skip
_ASKED = [(c, re.compile(c.asked_by, re.IGNORECASE)) for c in CONCEPTS]
_HEARD = {c.name: re.compile(c.heard_as, re.IGNORECASE) for c in CONCEPTS}


def concept_of(question: str) -> Concept | None:
    """What the question asks for, or None when it asks for nothing the check knows."""
    return next((c for c, pattern in _ASKED if pattern.search(question)), None)


def off_topic(question: str, sentences: Sequence[str]) -> Concept | None:
    """The concept the answer lacks, or None when it has it, or the check cannot tell."""
    concept = concept_of(question)
    text = " ".join(sentences).replace("\u2019", "'")
    if concept is None or len(text.split()) < MIN_WORDS:
        return None
    cues = {m.group(0).lower() for m in _HEARD[concept.name].finditer(text)}
    return None if len(cues) >= MIN_CUES else concept
