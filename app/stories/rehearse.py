"""Which question to rehearse a story for: one that asks for what the story shows."""

from __future__ import annotations

from collections.abc import Mapping

from app.bank.questions import Bank, Question
from app.stories.bank import Story


def question_for(
    story: Story, bank: Bank, practised: Mapping[str, int], chosen: str | None = None
) -> Question:
    """`chosen` if given; else, of the questions that share most of the story's principles, the one
    practised least, and among those the one closest in meaning to the story (its title, summary and
    written version), so that a story with no principles is not sent to a question it cannot answer.
    Runs the meaning model: call it off the GUI thread."""
    if chosen is not None:
        return bank.by_id(chosen)
    from app.analysis.meaning import mean_vector, shared_meaning
    from app.analysis.sentences import split_text

    wanted = set(story.principles)
    model = shared_meaning()
    closeness: dict[str, float] = {}
    if model is not None:
        text = " ".join(t for t in (story.title, story.summary, story.written) if t)
        said = mean_vector(model.encode(split_text(text) or [story.title]))
        asked = model.encode([q.question for q in bank.questions])
        closeness = {q.id: float(v @ said) for q, v in zip(bank.questions, asked, strict=True)}

    from app.analysis.topic import off_topic

    told = split_text(story.written) if story.written else []
    # A question the off-topic check would say the written story does not answer comes last.
    misfit = {q.id for q in bank.questions if told and off_topic(q.question, told)}

    def rank(q: Question) -> tuple[bool, int, int, float]:
        return (
            q.id in misfit,
            -len(wanted & set(q.principles)),
            practised.get(q.id, 0),
            -closeness.get(q.id, 0.0),
        )

    return min(bank.questions, key=rank)
