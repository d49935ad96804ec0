"""Did the answer tell one time when something happened, or describe a role, a habit, what the person
usually does? A coach says so first: "Tell one time: what happened, when, what you did."

Why a model and not a rule: "I'd", "always" and the present tense also come in a story ("I always
double-check, so that night I…"). A logistic regression over a few shares of the answer's sentences
(habitual words, the present tense, past verbs, markers of one occasion) weighs them; its numbers are
stored in app/resources/one_event.json (written by tools/train_one_event.py), not pickled.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence

from app.core import paths

_HABIT = re.compile(
    r"\b(usually|always|normally|generally|typically|tend to|every (day|week|month|time|morning|night|"
    r"shift|year|term|weekend)|each (day|week|time|shift|month)|whenever|most (days|weeks|of the time)|"
    r"on a (daily|weekly|regular) basis|would|i'd|we'd|they'd|you'd|sometimes|often|a lot of the time)\b"
)
_EVENT = re.compile(
    r"\b(one (day|time|night|morning|evening|week|weekend|afternoon|shift)|once|last (year|month|week|"
    r"summer|spring|autumn|fall|winter|term|christmas)|that (day|night|week|morning|time|weekend)|at one "
    r"point|this one time|there was (this|one) time|i remember (when|one|the)|suddenly|the day (before|"
    r"after|of)|in (january|february|march|april|may|june|july|august|september|october|november|"
    r"december)|(two|three|four|five|six|a couple of|a few) (days|weeks|months|years) (ago|later|before|"
    r"in)|by the (end|time))\b"
)
_GENERIC_YOU = re.compile(r"\byou\b")
_PAST = re.compile(r"\b(was|were|did|had|went|got|said|told|asked|decided|realised|realized|\w+ed)\b")
_PRESENT = re.compile(r"\b(i|we) (do|have|make|try|get|go|am|'m|check|run|look|work|need)\b|\b(is|are)\b")

FEATURES = ("habit", "event", "event_any", "past", "present", "you", "length")


def features(texts: Sequence[str]) -> list[float]:
    """Shares of the sentences: habitual words, one-occasion markers (and whether there is any), past
    verbs, the present tense, a generic "you"; and the answer's length."""
    lowered = [t.lower().replace("\u2019", "'") for t in texts] or [""]
    n = len(lowered)

    def share(rx: re.Pattern[str]) -> float:
        return sum(1 for t in lowered if rx.search(t)) / n

    return [
        share(_HABIT),
        share(_EVENT),
        float(any(_EVENT.search(t) for t in lowered)),
        share(_PAST),
        share(_PRESENT),
        share(_GENERIC_YOU),
        math.log(n),
    ]


@functools.cache
def _weights() -> tuple[tuple[float, ...], float, float] | None:
    try:
        data = json.loads(paths.resource("one_event.json").read_text(encoding="utf-8"))
        return tuple(float(c) for c in data["coef"]), float(data["intercept"]), float(data["threshold"])
    except (OSError, ValueError, KeyError):
        return None


def general_probability(texts: Sequence[str]) -> float | None:
    """P(the answer describes in general and tells no one time); None without the model's numbers."""
    weights = _weights()
    if weights is None or len(texts) < 3:
        return None
    coef, intercept, _ = weights
    z = sum(c * f for c, f in zip(coef, features(texts), strict=True)) + intercept
    return 1.0 / (1.0 + math.exp(-z))


def tells_no_event(texts: Sequence[str]) -> bool:
    """True only when the model is sure enough: a wrong "tell one time" on a real story costs trust."""
    weights = _weights()
    p = general_probability(texts)
    return weights is not None and p is not None and p >= weights[2]
