"""Which of the person's stories an answer told, from the words they share.

Each story is known by its title, its summary and what the person said in the answers they linked
to it (so it is recognised better each time it is told). The answer and the stories are compared as
TF-IDF vectors (scikit-learn, already the labeller's library): words that only one story uses count
most. A story is suggested only when it is clearly the closest; otherwise the app says it is not
sure and asks, rather than guess. The two bounds were chosen on development answers (`python main.py
bench --only stories` reports them on answers written blind).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.stories.bank import Story

MIN_SCORE = 0.08  # cosine similarity below which no story is suggested (dev: 0 wrong of 18)
MIN_MARGIN = 0.03  # how far ahead of the next story the closest must be
_WORD = re.compile(r"[a-z][a-z'-]+")


def _stem(word: str) -> str:
    """A crude English stem, enough for "freezer"/"freezers" and "audited"/"audit"."""
    for end in ("ing", "ed", "es", "s"):
        if word.endswith(end) and len(word) - len(end) >= 4:
            return word[: -len(end)]
    return word


def _analyzer(text: str) -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS and len(w) > 2]


@dataclass(frozen=True)
class Suggestion:
    story_id: int | None  # None: not sure which story, or none of them
    score: float  # the closest story's similarity
    margin: float  # its lead over the next
    closest: int | None = None  # the closest story even when not sure, to name as a question


def suggest(
    answer: str, stories: Sequence[Story], told: Mapping[int, Sequence[str]] | None = None
) -> Suggestion:
    """The story `answer` most likely told; `told`: earlier answers the person linked, per story id."""
    known = [s for s in stories if s.id is not None]
    if not known or not _analyzer(answer):
        return Suggestion(None, 0.0, 0.0)
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    told = told or {}
    docs = [" ".join([s.title, s.title, s.summary, *told.get(int(s.id or 0), [])]) for s in known]
    vectorizer = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True)
    matrix = vectorizer.fit_transform([*docs, answer])
    scores = cosine_similarity(matrix[-1], matrix[:-1])[0]
    order = scores.argsort()[::-1]
    best = float(scores[order[0]])
    margin = best - (float(scores[order[1]]) if len(order) > 1 else 0.0)
    sure = best >= MIN_SCORE and margin >= MIN_MARGIN
    closest = known[int(order[0])].id if best > 0 else None
    return Suggestion(closest if sure else None, best, margin, closest)


@dataclass(frozen=True)
class StoryChoice:
    """What the feedback screen offers after an answer: the person's stories and the app's guess."""

    stories: tuple[Story, ...]
    suggestion: Suggestion

    @property
    def suggested(self) -> Story | None:
        return next((s for s in self.stories if s.id == self.suggestion.story_id), None)

    @property
    def closest(self) -> Story | None:
        return next((s for s in self.stories if s.id == self.suggestion.closest), None)
