"""Which question to rehearse a story for: one that asks for what the story shows."""

from __future__ import annotations

from collections.abc import Mapping

from app.bank.questions import Bank, Question
from app.stories.bank import Story


def question_for(
    story: Story, bank: Bank, practised: Mapping[str, int], chosen: str | None = None
) -> Question:
    """`chosen` if given; else, of the questions that share most of the story's principles, the one
    practised least (the bank's order among equals); a story with no principles gets the first
    question practised least."""
    if chosen is not None:
        return bank.by_id(chosen)
    wanted = set(story.principles)

    def rank(q: Question) -> tuple[int, int]:
        return (-len(wanted & set(q.principles)), practised.get(q.id, 0))

    return min(bank.questions, key=rank)
