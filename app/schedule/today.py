"""Today's practice list from the history: the questions due (FSRS over their graded answers) and the
stories due (over the graded answers that told them), each story with a question to tell it for.

The schedule knows nothing of how the history is kept: it reads it through the three functions of the
object it is handed (`History`; the history's `Store` is one), on whatever thread the caller runs it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from app.bank.questions import Bank, Question
from app.schedule.due import Graded, Plan, Review, due_today


class Story(Protocol):
    """A story of the person's bank, as far as the schedule reads it."""

    @property
    def id(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def principles(self) -> Sequence[str]: ...


class StoryUse(Protocol):
    """One graded answer that told a story."""

    @property
    def story_id(self) -> int: ...
    @property
    def started_at(self) -> str: ...  # UTC, ISO 8601
    @property
    def grade(self) -> int: ...


class History(Protocol):
    """What the schedule reads of the history (app.history.Store has these)."""

    def reviews(self) -> Mapping[str, Sequence[Graded]]: ...
    def stories(self) -> Sequence[Story]: ...
    def story_uses(self) -> Sequence[StoryUse]: ...


@dataclass(frozen=True)
class Today:
    plans: list[Plan]  # a story's plan has the id of the question to tell it for as its key
    never_practised: list[str]  # question ids, in the bank's order
    now: datetime


def question_for(story: Story, questions: Sequence[Question], practised: dict[str, int]) -> Question | None:
    """A question the story can answer: one sharing most of its principles, the least practised first."""
    fits = [q for q in questions if set(q.principles) & set(story.principles)]
    if not fits:
        return None
    return max(fits, key=lambda q: (len(set(q.principles) & set(story.principles)), -practised.get(q.id, 0)))


def question_titles(bank: Bank) -> dict[str, str]:
    """How a question is named in a practice list: its number and its text."""
    return {q.id: f"{q.number}. {q.question}" for q in bank.questions}


def today(history: History, bank: Bank, now: datetime | None = None) -> Today:
    now = now or datetime.now(UTC)
    titles = question_titles(bank)
    reviews = {k: v for k, v in history.reviews().items() if k in titles}
    plans = due_today(reviews, titles, now)
    practised = {k: len(v) for k, v in reviews.items()}
    stories = {s.id: s for s in history.stories()}
    by_story: dict[str, list[Review]] = {}
    for use in history.story_uses():
        by_story.setdefault(str(use.story_id), []).append(
            Review(datetime.fromisoformat(use.started_at), use.grade)
        )
    story_titles = {str(i): f"Story: {s.title}" for i, s in stories.items()}
    for plan in due_today(by_story, story_titles, now):
        question = question_for(stories[int(plan.key)], bank.questions, practised)
        if question is not None:
            plans.append(replace(plan, key=question.id, title=f"{plan.title} (for {question.number}.)"))
    plans.sort(key=lambda p: p.due)
    return Today(plans, [q for q in titles if q not in reviews], now)
