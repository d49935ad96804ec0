"""Readiness per Leadership Principle: which stories show it, how often they were told, how the
last telling went; and the principles with no story yet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.history.stories import StoryUse
from app.schedule.grades import GRADE_NAMES
from app.stories.bank import PRINCIPLES, Story


@dataclass(frozen=True)
class Readiness:
    principle: str
    stories: tuple[str, ...]  # titles
    attempts: int  # answers that told one of them
    last_grade: int | None  # of the newest such answer

    @property
    def covered(self) -> bool:
        return bool(self.stories)

    def to_json(self) -> dict[str, Any]:
        return {
            "principle": self.principle,
            "stories": list(self.stories),
            "attempts": self.attempts,
            "last_grade": GRADE_NAMES.get(self.last_grade or 0),
        }


def readiness(stories: Sequence[Story], uses: Sequence[StoryUse]) -> list[Readiness]:
    """One row per principle, in Amazon's order; `uses` oldest first."""
    out = []
    for principle in PRINCIPLES:
        mine = [s for s in stories if principle in s.principles]
        ids = {s.id for s in mine}
        told = [u for u in uses if u.story_id in ids]
        out.append(
            Readiness(principle, tuple(s.title for s in mine), len(told), told[-1].grade if told else None)
        )
    return out


def uncovered(stories: Sequence[Story]) -> list[str]:
    shown = {p for s in stories for p in s.principles}
    return [p for p in PRINCIPLES if p not in shown]
