"""When to practise each question (or story) again: FSRS, the spaced-repetition scheduler Anki uses
(`fsrs` on PyPI), replayed over the graded attempts in the order they were made.

A question is a card; each complete attempt is one review, graded from its analysis or by the person
(app.schedule.grades). Replaying the whole history each time keeps no schedule state of our own
that could drift from the history. Settings that differ from FSRS's defaults, and why:
- no learning steps (FSRS's are 1 and 10 minutes, for flash cards): a two-minute story told weakly is
  due again the next day at the soonest, never minutes later; the person may practise it again at once
  whenever they choose;
- no fuzzing: the same history always gives the same dates (a test checks them), and with a few dozen
  questions there are no piles of cards to spread out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Protocol

from app.core.dates import relative
from app.schedule.grades import GRADE_NAMES, HARD


class Graded(Protocol):
    """One graded answer as the schedule replays it: a `Review`, or the history's own record of one
    (app.history.GradedAnswer), which the caller hands over as it is."""

    @property
    def when(self) -> datetime: ...  # timezone-aware
    @property
    def grade(self) -> int: ...  # 1 Again … 4 Easy


@dataclass(frozen=True)
class Review:
    when: datetime  # timezone-aware
    grade: int  # 1 Again … 4 Easy


@dataclass(frozen=True)
class Plan:
    """One card's place in the schedule."""

    key: str  # question id (or story id)
    title: str
    due: datetime
    attempts: int
    last_grade: int
    last_at: datetime

    def reason(self, now: datetime) -> str:
        """Why it is due, in the person's words: weak last time, or long ago."""
        when = relative(self.last_at, now)
        if self.last_grade <= HARD:
            return f"{GRADE_NAMES[self.last_grade]} last time ({when})"
        return f"{GRADE_NAMES[self.last_grade]} last time, {when}: time to tell it again"

    def to_json(self, now: datetime) -> dict[str, Any]:
        return {
            "id": self.key,
            "title": self.title,
            "due": self.due.isoformat(),
            "attempts": self.attempts,
            "last_grade": GRADE_NAMES[self.last_grade],
            "last_practised": self.last_at.isoformat(),
            "reason": self.reason(now),
        }


@cache
def _scheduler() -> Any:
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def due_date(reviews: Sequence[Graded]) -> datetime:
    """When the card is next due after these reviews (oldest first)."""
    from fsrs import Card, Rating

    scheduler = _scheduler()
    card = Card(card_id=1)  # an id of our own: fsrs otherwise sleeps a millisecond to make one unique
    for r in reviews:
        card, _ = scheduler.review_card(card, Rating(r.grade), review_datetime=r.when.astimezone(UTC))
    due: datetime = card.due
    if reviews:  # never again the same day: at the soonest, the start of the next one, in the person's time
        due = max(due, end_of_day(reviews[-1].when).astimezone(UTC))
    return due


def plans(reviews: Mapping[str, Sequence[Graded]], titles: Mapping[str, str]) -> list[Plan]:
    """Every card with at least one review, soonest due first."""
    out = []
    for key, rs in reviews.items():
        if not rs:
            continue
        ordered = sorted(rs, key=lambda r: r.when)
        last = ordered[-1]
        out.append(Plan(key, titles.get(key, key), due_date(ordered), len(ordered), last.grade, last.when))
    return sorted(out, key=lambda p: p.due)


def end_of_day(now: datetime) -> datetime:
    """Midnight after `now`, in the person's own time zone."""
    local = now.astimezone()
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def due_today(
    reviews: Mapping[str, Sequence[Graded]], titles: Mapping[str, str], now: datetime
) -> list[Plan]:
    """The cards due before midnight, the most overdue first."""
    cutoff = end_of_day(now)
    return [p for p in plans(reviews, titles) if p.due < cutoff]
