"""Which of the person's stories an answer told, by what it means, checked against the words they share.

Each story is known by its title and summary, its written version where the person wrote one, and by
each answer the person linked to it (so it is recognised better each time it is told). The answer and each of these are compared as sentence
meaning (app.analysis.meaning): a telling that calls "the freezer weekend" "when the cold room died"
is still the same story. A story is suggested only when it is clearly the closest by meaning, or
closest by a little and also by the words only it uses (TF-IDF); otherwise the app says it is not
sure and asks, rather than guess. Without the meaning model the words alone decide, as before.
The bounds were chosen on development answers (tests/data/story_dev*.json); `python main.py bench
--only practice_aids` reports them on answers written blind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.analysis.meaning import F32, MeaningModel, mean_vector, shared_meaning
from app.stories.bank import Story

MIN_SCORE = 0.08  # words: cosine similarity below which no story is suggested (dev: 0 wrong of 18)
MIN_MARGIN = 0.03  # words: how far ahead of the next story the closest must be
# Meaning (dev, 60 first tellings, 12 of them new events): right 0.62, wrong 0.00, a new event given a
# story 1 of 12; the words alone: right 0.39.
MEANING_MIN = 0.45  # the closest story's similarity by meaning
MEANING_CLEAR = 0.10  # a lead this large by meaning is enough alone
MEANING_NEAR = 0.03  # a smaller lead needs the words to agree
WORDS_AGREE = 0.08  # ... with at least this TF-IDF similarity
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


def _by_words(answer: str, known: Sequence[Story], told: Mapping[int, Sequence[str]]) -> Suggestion:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    docs = [" ".join([s.title, s.title, s.summary, s.written, *told.get(int(s.id or 0), [])]) for s in known]
    vectorizer = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True)
    matrix = vectorizer.fit_transform([*docs, answer])
    scores = cosine_similarity(matrix[-1], matrix[:-1])[0]
    order = scores.argsort()[::-1]
    best = float(scores[order[0]])
    margin = best - (float(scores[order[1]]) if len(order) > 1 else 0.0)
    sure = best >= MIN_SCORE and margin >= MIN_MARGIN
    closest = known[int(order[0])].id if best > 0 else None
    return Suggestion(closest if sure else None, best, margin, closest)


def _text_vector(model: MeaningModel, text: str) -> F32:
    from app.analysis.sentences import split_text

    return mean_vector(model.encode(split_text(text) or [text]))


def suggest(
    answer: str, stories: Sequence[Story], told: Mapping[int, Sequence[str]] | None = None
) -> Suggestion:
    """The story `answer` most likely told; `told`: earlier answers the person linked, per story id."""
    known = [s for s in stories if s.id is not None]
    if not known or not _analyzer(answer):
        return Suggestion(None, 0.0, 0.0)
    told = told or {}
    words = _by_words(answer, known, told)
    model = shared_meaning()
    if model is None:
        return words
    said = _text_vector(model, answer)
    scores = []
    for s in known:
        texts = [
            f"{s.title}. {s.summary}",
            *([s.written] if s.written else []),
            *told.get(int(s.id or 0), []),
        ]
        scores.append(max(float(_text_vector(model, t) @ said) for t in texts))
    order = sorted(range(len(known)), key=lambda i: -scores[i])
    best = scores[order[0]]
    margin = best - (scores[order[1]] if len(order) > 1 else 0.0)
    closest = known[order[0]].id
    agrees = words.closest == closest and words.score >= WORDS_AGREE
    sure = best >= MEANING_MIN and (margin >= MEANING_CLEAR or (margin >= MEANING_NEAR and agrees))
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
