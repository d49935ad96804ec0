"""A saved attempt as the screens show it: its analysis as it was saved, with the person's
corrections (one saved before schema 4 is analysed again), and a title. Used by History and replay,
and by the practice session for "since your last try"; any thread with its own Store may call it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.analysis import sentences as sent
from app.analysis.analyze import Analysis, analyze, from_record
from app.bank.questions import Bank
from app.history import Store, StoreError
from app.stories.bank import Story, from_history
from app.stories.match import StoryChoice, Suggestion, suggest


def question_text(bank: Bank, qid: str) -> str:
    try:
        return bank.by_id(qid).question
    except KeyError:
        return qid


def load_attempt(store: Store, bank: Bank, attempt_id: int) -> tuple[str, Analysis, Path | None]:
    """(title, analysis, recording or None) of a saved attempt; StoreError if it is gone."""
    record = store.attempt(attempt_id)
    s = record.summary
    question = bank.by_id(s.question_id) if s.question_id in {q.id for q in bank.questions} else None
    saved = from_record(record.record) if record.record else None
    analysis = saved or analyze(
        sent.from_transcript(record.transcript),
        bank,
        question,
        engine=s.engine,
        target_seconds=s.target_s or 120,
    )
    when = datetime.fromisoformat(s.started_at).astimezone().strftime("%d %b %H:%M")
    return f"{when} — {s.question_text or question_text(bank, s.question_id)}", analysis, record.audio


def last_attempt(store: Store, bank: Bank, question_id: str) -> tuple[str, Analysis] | None:
    """(when, analysis) of the newest saved attempt at `question_id`, for "since your last try"."""
    try:
        found = store.attempts(question_id, limit=1)
        if not found:
            return None
        title, analysis, _ = load_attempt(store, bank, found[0].id)
    except StoreError:  # no comparison is better than no feedback
        return None
    return title.split(" — ")[0], analysis


def remember_story(
    store: Store, attempt_id: int, said: str, rehearsed: Story | None = None
) -> StoryChoice | None:
    """Which of the person's stories this answer told, linked as the app's suggestion when it is sure
    (or as the person's own choice when they were rehearsing that story); None when there is no story
    bank yet."""
    stories = tuple(from_history(store.stories()))
    if not stories:
        return None
    if rehearsed is not None and rehearsed.id is not None:
        store.link_story(attempt_id, rehearsed.id, chosen_by="person")
        return StoryChoice(stories, Suggestion(rehearsed.id, 1.0, 1.0, rehearsed.id))
    choice = StoryChoice(stories, suggest(said, stories, store.story_texts()))
    if choice.suggestion.story_id is not None:
        store.link_story(attempt_id, choice.suggestion.story_id, chosen_by="app")
    return choice
