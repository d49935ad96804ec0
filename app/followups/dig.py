"""Follow-ups on what the person said, as a bar raiser asks them: the answer's own key action or result,
said back in the second person, and a question about it.

"I tried it on one warehouse first" becomes "You said you tried it on one warehouse first. Why that,
and not another way?". Only a clause that reads well when said back is used: it starts with "I" or
"we" (an action) or with its subject (a result), has no question in it, and is of a length one can
say in a breath; otherwise no follow-up of this kind is asked, rather than a garbled one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.analysis.clauses import clauses
from app.analysis.heard import heard_clearly, unsure_in
from app.analysis.types import Sentence
from app.followups.asks import Ask

MIN_WORDS, MAX_WORDS = 4, 16
# Said first in a clause but not part of what it says.
_OPENERS = re.compile(
    r"^(?:(?:so|and|then|but|um+|uh+|er+|well|basically|actually|honestly|yeah|okay|ok|like|also|"
    r"after that|in the end|at first|first|finally|eventually|next)\b[,\s]*)+",
    re.IGNORECASE,
)
# First person said back: "I" to "you", with the verb forms that change with it.
_SWAPS: tuple[tuple[str, str], ...] = (
    (r"\bI am\b", "you are"), (r"\bI was\b", "you were"), (r"\bI'm\b", "you're"), (r"\bI've\b", "you've"),
    (r"\bI'd\b", "you'd"), (r"\bI'll\b", "you'll"), (r"\bI\b", "you"), (r"\bme\b", "you"), (r"\bmy\b", "your"),
    (r"\bmine\b", "yours"), (r"\bmyself\b", "yourself"), (r"\bwe\b", "you"), (r"\bwe're\b", "you're"),
    (r"\bwe've\b", "you've"), (r"\bwe'd\b", "you'd"), (r"\bus\b", "you"), (r"\bour\b", "your"),
    (r"\bours\b", "yours"), (r"\bourselves\b", "yourselves"),
)  # fmt: skip
_SWAP_RE = [(re.compile(p, re.IGNORECASE), r) for p, r in _SWAPS]
_FIRST_PERSON = re.compile(r"^(?:I|we)\b", re.IGNORECASE)
# A result is said back as it was said, so it must start with its subject, in words safe to lowercase.
_SUBJECT = re.compile(
    r"^(?:the|our|my|it|this|that|they|we|I|those|these|a|an|every|everyone|nobody|no one|people|most|all|"
    r"each|sales|customers|complaints|errors|costs)\b",
    re.IGNORECASE,
)
_FILLERS = re.compile(
    r",?\s*\b(?:um+|uh+|er+|you know|kind of|sort of|like|honestly|basically|actually|literally)\b,?(?=\s|$)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d|\b(?:half|double|third|quarter|percent|twice|hundred|thousand)\b", re.IGNORECASE)


_REPEAT = re.compile(r"\b(\w+)(?:,?\s+\1\b)+", re.IGNORECASE)  # a restart: "I, I went", "we we"
# Clauses that would not read well said back: hedged or not an action ("I think…", "I was like…"), one
# already in the second person, and one broken off ("as soon as", "and then the").
_NOT_SAID_BACK = re.compile(
    r"^(?:I|we) (?:think|thought|guess|mean|feel|felt|reckon|believe|suppose|remember|know|don't|didn't know|wasn't sure|was like|hope)\b|\byou\b",
    re.IGNORECASE,
)
_BROKEN_END = re.compile(
    r"\b(?:a|an|the|and|or|but|so|to|of|for|with|as|than|that|which|because|if|when|at|on|in|by|from|my|our|"
    r"your|their|his|her|its|was|were|is|be|just|really|very)$",
    re.IGNORECASE,
)
# A result said back to ask how it was measured must say what changed.
_CHANGED = re.compile(
    r"\d|\b(?:half|halved|double|doubled|third|quarter|percent|twice|hundred|thousand|fell|rose|dropped|cut|"
    r"went (?:up|down)|increased|reduced|saved|improved|faster|slower|fewer|more|less|down to|up to)\b",
    re.IGNORECASE,
)


# A restart: "I just, I started…" keeps "I started…".
_RESTART = re.compile(r"^.*?,\s+(?=(?:I|we)\s)", re.IGNORECASE)
# What an action said back must be: something the person did, not what they said, thought, found or were.
_NOT_A_DEED = re.compile(
    r"^(?:I|we)\s+(?:said|told|was|were|had|am|'m|realised|realized|noticed|found|saw|knew|expected|got|"
    r"didn't|did not|wasn't|couldn't|could|would|'d|should|wanted|needed|tried to|started to)\b",
    re.IGNORECASE,
)


def _clean(clause: str) -> str:
    text = _FILLERS.sub(" ", clause)
    text = _RESTART.sub("", text.strip())
    text = _OPENERS.sub("", text.strip()).strip(" ,.;:!?-\u2014")
    text = _REPEAT.sub(r"\1", text)
    return " ".join(text.split())


def said_back(clause: str) -> str:
    """The clause in the second person: "I rolled it out to our depots" -> "you rolled it out to your
    depots"."""
    text = clause
    for pattern, repl in _SWAP_RE:
        text = pattern.sub(repl, text)
    text = re.sub(r"\byou was\b", "you were", text)
    return text[0].lower() + text[1:] if text else text


def _usable(clause: str, first_person: bool) -> bool:
    words = clause.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS or "?" in clause:
        return False
    if _NOT_SAID_BACK.search(clause) or _BROKEN_END.search(clause) or "," in clause:
        return False
    if first_person and _NOT_A_DEED.match(clause):
        return False
    return bool(_FIRST_PERSON.match(clause)) if first_person else bool(_SUBJECT.match(clause))


def key_clause(sentences: Sequence[Sentence], section: str) -> str | None:
    """The answer's most telling clause of `section`, cleaned, or None when none reads well said back:
    for an action, the longest first-person one; for a result, one with a number, else the first. A
    clause holding a word the transcriber was unsure of is never said back ("a call by a list" was a
    misheard "callback list")."""
    first_person = section == "action"
    unsure = unsure_in(sentences)
    found = [
        c
        for s in sentences
        if s.section == section
        for c in (_clean(part) for part in clauses([s.text]))
        if _usable(c, first_person) and heard_clearly(c, unsure)
    ]
    if not found:
        return None
    if section == "result":  # asked how it was measured: only a result that says what changed
        changed = [c for c in found if _CHANGED.search(c)]
        return next((c for c in changed if _NUMBER.search(c)), changed[0]) if changed else None
    return max(found, key=lambda c: len(c.split()))


@dataclass(frozen=True)
class Dig:
    id: str
    section: str  # the clause it takes: "action" or "result"
    asks_for: Ask
    template: str  # {said}: the clause said back

    def wording(self, clause: str) -> str:
        return self.template.format(said=said_back(clause))


DIGS: tuple[Dig, ...] = (
    Dig("dig_why", "action", "reason", "You said {said}. Why that, and not another way?"),
    Dig("dig_measure", "result", "number", "You said {said}. How did you measure that?"),
    Dig("dig_data", "action", "evidence", "You said {said}. What told you that was the right thing to do?"),
    Dig("dig_change", "action", "lesson", "You said {said}. If you did it again, what would you change?"),
)
