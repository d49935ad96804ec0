"""One thing to change in an answer, as the feedback, the follow-ups and the reports pass it on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Point:
    rule: str
    message: str  # what happened and what to do instead
    at: float | None = None  # seconds into the answer, where the evidence is
    quote: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "message": self.message,
            "at": None if self.at is None else round(self.at, 2),
            "quote": self.quote,
        }
