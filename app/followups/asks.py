"""What a follow-up can ask for, and how the person is told it: one table for the rules, the follow-ups
on what was said, and the reply judge."""

from __future__ import annotations

from typing import Literal

Ask = Literal[
    "task", "own_part", "outcome", "number", "lesson", "customer", "data", "evidence", "learning", "reason"
]

# What each kind of reply must give, said to the person beside the verdict.
ASKS: dict[Ask, str] = {
    "task": "what you were responsible for",
    "own_part": "what you did yourself, with \u201cI\u201d",
    "outcome": "how it turned out",
    "number": "a number: time, money, a percentage, people",
    "lesson": "what you learned or would do differently",
    "customer": "who the customer was and what they needed",
    "data": "the data or figures you looked at",
    "evidence": "how you checked or knew",
    "learning": "what you learned and how",
    "reason": "why you chose it over the alternatives",
}
ASK_KINDS: tuple[Ask, ...] = tuple(ASKS)
