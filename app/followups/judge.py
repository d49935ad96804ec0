"""Whether a spoken reply to a follow-up gave what it asked for: a number, an "I", a lesson, a task…

Each kind is judged on plain evidence the person can see quoted back (the number heard, the phrase
that states the responsibility), through the same delivery measures the answer's feedback uses.
A reply too short to judge is said to be, never passed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.analysis.delivery import measure_delivery
from app.analysis.types import Sentence
from app.followups.rules import ASKS, Ask

MIN_WORDS = 4  # "I don't know." is not a reply to judge

_PHRASES: dict[str, tuple[str, ...]] = {
    "task": (
        r"responsib\w*", r"my (?:job|role|task|goal|brief|remit)", r"i (?:had|needed|was asked|was meant|was supposed) to",
        r"asked me to", r"(?:i was|i'm|i am) in charge", r"in charge of", r"(?:on|up to) me", r"i owned",
        r"i was tasked", r"tasked me", r"i had to make sure", r"i was accountable",
    ),
    "lesson": (
        r"i would", r"i'd", r"i should have", r"i should've", r"i will", r"i'll", r"now i", r"i now",
        r"i learn\w*", r"next time", r"taught me", r"lesson", r"in hindsight", r"looking back",
        r"i realis\w*", r"i realiz\w*", r"differently", r"from then on", r"ever since",
    ),
    "outcome": (
        r"in the end", r"finally", r"as a result", r"ended up", r"turned out", r"result\w*", r"shipped",
        r"launched", r"saved", r"cut", r"reduc\w*", r"increas\w*", r"improv\w*", r"dropped", r"went (?:up|down)",
        r"since then", r"afterwards", r"worked", r"fixed", r"solved", r"on time", r"delivered", r"finished",
        r"passed", r"won", r"promoted", r"happier", r"better", r"faster", r"fewer", r"no longer", r"stopped",
    ),
    "data": (
        r"data", r"numbers?", r"metrics?", r"logs?", r"dashboards?", r"quer(?:y|ies)", r"spreadsheets?",
        r"charts?", r"graphs?", r"surveys?", r"analys\w*", r"analyz\w*", r"measur\w*", r"compar\w*",
        r"breakdown", r"samples?", r"trends?", r"reports?", r"records?", r"tickets?", r"figures?",
    ),
    "evidence": (
        r"check\w*", r"test\w*", r"verif\w*", r"validat\w*", r"confirm\w*", r"asked", r"pilot\w*", r"trial\w*",
        r"feedback", r"came back", r"told me", r"proof", r"showed", r"evidence", r"data", r"numbers?",
        r"measur\w*", r"compar\w*",
    ),
    "learning": (
        r"learn\w*", r"read", r"course", r"studied", r"taught myself", r"tutorials?", r"documentation",
        r"docs", r"practi[sc]\w*", r"asked", r"mentor\w*", r"figured out", r"experiment\w*", r"watched",
        r"paper\w*", r"books?",
    ),
}  # fmt: skip
# Each kind's phrases, the most telling first: "it was my job" is better evidence than "asked me to".
_PATTERNS = {
    kind: [re.compile(r"\b(?:" + p.replace(" ", r"\s+") + r")\b", re.IGNORECASE) for p in phrases]
    for kind, phrases in _PHRASES.items()
}
# "Nobody had asked me to", "it wasn't my job": a phrase just after a negation is no evidence.
_NEGATED = re.compile(r"\b(?:no|not|nobody|no one|never|\w+n't)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    gave: bool
    message: str  # what the person hears about their reply
    evidence: str = ""  # the words that gave it, quoted

    def to_json(self) -> dict[str, Any]:
        return {"gave": self.gave, "message": self.message, "evidence": self.evidence}


def _find(kind: str, text: str) -> str:
    text = text.replace("\u2019", "'")
    for pattern in _PATTERNS[kind]:
        for m in pattern.finditer(text):
            if not _NEGATED.search(text[max(0, m.start() - 40) : m.start()]):
                return m.group(0)
    return ""


def judge_reply(asks_for: Ask, sentences: Sequence[Sentence]) -> Verdict:
    """Did the reply (unlabelled sentences, as app.analysis.sentences gives them) give `asks_for`?"""
    text = " ".join(s.text for s in sentences)
    words = sum(max(s.word_count, len(s.text.split())) for s in sentences)
    wanted = ASKS[asks_for]
    if words < MIN_WORDS:
        return Verdict(False, f"Your reply was too short to say {wanted}.")
    d = measure_delivery(sentences)
    number = d.quantities[0].text if d.quantities else ""
    if asks_for == "number":
        if number:
            return Verdict(True, f"You gave a number: \u201c{number}\u201d.", number)
        return Verdict(False, f"No number in your reply. Give {wanted}; an estimate is fine if you say so.")
    if asks_for == "own_part":
        if d.i_count and d.i_count >= d.we_count:
            return Verdict(True, f"You said what you did yourself (\u201cI\u201d {d.i_count}\u00d7).", "I")
        if d.i_count:
            return Verdict(
                False,
                f"Still more \u201cwe\u201d ({d.we_count}\u00d7) than \u201cI\u201d ({d.i_count}\u00d7). "
                "Name the steps you took yourself.",
            )
        return Verdict(False, "No \u201cI\u201d in your reply. Say what you did yourself.")
    if asks_for == "customer":
        named = d.principles.get("Customer Obsession", ())
        if named:
            return Verdict(True, f"You named the customer: \u201c{named[0].text}\u201d.", named[0].text)
        return Verdict(False, f"The reply did not say {wanted}.")
    if asks_for == "lesson" and d.lessons:
        said = d.lessons[0].text
        return Verdict(True, f"You named a lesson: \u201c{said}\u201d.", said)
    found = _find(asks_for, text) or (number if asks_for in ("outcome", "data", "evidence") else "")
    if found:
        return Verdict(True, f"You gave {wanted}: \u201c{found}\u201d.", found)
    return Verdict(False, f"The reply did not clearly say {wanted}. Say it plainly, in one sentence.")
