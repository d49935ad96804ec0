"""What the STAR labeller (app/analysis/star.py) reads of each sentence: its own words, the words of
the sentences either side, its relative place in the answer, a few job-independent cue phrases ("my
job was", "as a result", "looking back") and its grammatical form (app/analysis/grammar.py); and, when
the sentence encoder is mixed in, its vectors. One matrix row per sentence, for the classifiers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from app.analysis.stories import Story

POSITION_BINS = 10
# Position features are scaled down: at full weight they labelled sentences beside a missing section
# with that section. 0.05: LOQO accuracy 0.940, 0.1: 0.948, 0.2 and 0.3: 0.951.
POSITION_WEIGHT = 0.2
# Neighbouring sentences' words count at this weight (0.4: 0.943, 0.7: 0.954, 1.5: 0.944 LOQO accuracy).
CONTEXT_WEIGHT = 0.7
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

# Cues that mark a section in any job: who-was-responsible, what-I-did, what-came-of-it, the lesson.
# Each is one feature, so that one training sentence with "my job was" teaches all the variants.
_CUE_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "situation_context",
        r"\b(at the time|back then|a (few|couple of) (years|months|weeks) (ago|back)|in my (previous|last|old) "
        r"(role|job)|i was working|i work(ed)? (as|at|in|for|on)|i'?m an? |i am an? |we had a|there was a|"
        r"there were|last (year|summer|spring|autumn|fall|winter|month|week|christmas)|one (day|night|"
        r"morning|evening)|kept \w+ing)\b",
    ),
    ("situation_ongoing", r"\b(was|were) (\w+ )?\w+ing\b"),
    ("situation_problem", r"\b(problem|issue|challenge|struggl\w*|however|but the)\b"),
    (
        "task_duty",
        r"\b(my (job|role|responsibility|task|goal|aim|brief|remit|priority)|(our|the|my) (main |primary |"
        r"long-term |overall |immediate |key )?(goal|aim|task|objective|mission|brief|job) was|the challenge "
        r"was (to|how)|it was (on )?(me|my)|it was (up to|down to) me|i was (asked|responsible|tasked|in "
        r"charge|expected|supposed|meant|given)|asked me to|i (had|needed|wanted) to|we (had|needed) to|in "
        r"charge of|took on the|i took it on|it was (crucial|critical|essential|important|vital) (that|to)|i "
        r"had been asked)\b",
    ),
    (
        "action_i_did",
        r"\b(i (decided|started|began|set up|put|made|went|called|asked|talked|spoke|sat|built|wrote|"
        r"proposed|offered|organi[sz]ed|created|introduced|suggested|changed|got|took|used|tried|brought|"
        r"arranged|booked|told|showed|ran|worked|reached|met|checked|moved|kept|implemented|developed|"
        r"designed|analy[sz]ed|collaborated|led|scheduled)|first i|what i did|then i|i also|we "
        r"(started|decided|tried|set|ran|made|put))\b",
    ),
    (
        "result_outcome",
        r"\b(as a result|in the end|by the end|ended up|result(ed|s)?|outcome|which (meant|led)|led to|"
        r"reduc\w+|increas\w+|improv\w+|drop(ped)?|went (up|down)|saved|percent|0|we (got|did|hit|made|"
        r"met|delivered|finished|kept)|it worked|worked out|afterwards|feedback|told me|said)\b",
    ),
    (
        "reflection_lesson",
        r"\b(learn\w*|lesson|taught me|looking back|in hindsight|next time|if i (did|were to do) it again|"
        r"i would|i'?d (do|have|say|probably)|should'?ve|should have|differently|since then|now i (always|"
        r"try|make)|made me (realise|realize|think)|i (realised|realized)|going forward|approach to|"
        r"i continue|takeaway)\b",
    ),
    ("other_filler", r"^(\W*(so|yeah|okay|ok|um|uh|right|sure|yes|hmm|well|anyway|oh)\b\W*)+$"),
    (
        "other_talk",
        r"\b(great question|good (one|question)|tough one|let me think|give me a (second|moment)|that'?s "
        r"(the|my|about|it|that|pretty much)|does that answer|answers? (your|the) question|comes to mind|"
        r"one example|an example|more detail|talk more about|went on a bit|that story)\b",
    ),
    ("starts_with_i", r"^\W*(so |and |then |but )?(i|i'd|i've)\b"),
    ("starts_with_we", r"^\W*(so |and |then |but )?(we|we'd)\b"),
)
_CUES = tuple((name, re.compile(rx)) for name, rx in _CUE_PATTERNS)
# The sentences either side, as for the words, when the encoder's vectors are mixed in (star.py).
EMBEDDING_CONTEXT_WEIGHT = 0.5  # the sentences either side, as for the words
# Cue weight 0.3 (0.6 and 1.0 did no better): off-domain accuracy 0.69 -> 0.76, LOQO 0.940 -> 0.934.
# "So I" is no action cue: spoken stories open with it ("So I work as a lifeguard…"), and the app once
# said no situation was heard; with it gone and the time cues ("last summer") added, LOQO accuracy
# 0.951 -> 0.948 but answers from other jobs wrongly "missing" a section 0.15 -> 0.10.
CUE_WEIGHT = 0.3
# The sentence's grammatical form (app/analysis/grammar.py: a past verb with no subject, a bare verb,
# no verb at all, tense, length). Leave-one-writer-out over 9 writers (n = 2,732 sentences): 0 gives
# accuracy 0.881 / macro-F1 0.872, 0.2: 0.892 / 0.884, 0.3: 0.893 / 0.886, 0.5: 0.891 / 0.882; bank
# LOQO 0.953. (With the first 5 writers only it did not help: 0.874 -> 0.868.)
GRAMMAR_WEIGHT = 0.3


def _normalise(text: str) -> str:
    return _NUMBER.sub(" 0 ", text.lower())


class _Features:
    """A sentence's own words, cue phrases and place, plus the words of the sentences either side:
    a boundary sentence is told by its neighbours (LOQO accuracy 0.934 -> 0.948)."""

    def __init__(self, vectorizer: Any, dense: bool = False) -> None:
        self._vectorizer = vectorizer
        self.dense = dense

    def matrix(self, stories: Sequence[Story]) -> Any:
        unique: dict[str, int] = {}
        for story in stories:
            for t in story.texts:
                unique.setdefault(t, len(unique))
        texts = list(unique)
        none = len(texts)  # index of an all-zero row: no neighbour
        own: list[int] = []
        before: list[int] = []
        after: list[int] = []
        places: list[float] = []
        for story in stories:
            ids = [unique[t] for t in story.texts]
            lone = not story.is_answer
            own += ids
            before += [none if lone or i == 0 else ids[i - 1] for i in range(len(ids))]
            after += [none if lone or i == len(ids) - 1 else ids[i + 1] for i in range(len(ids))]
            places += story.positions()
        cues = _cue_features(texts)
        if GRAMMAR_WEIGHT:
            from app.analysis.grammar import grammar_features

            cues = np.hstack([cues, grammar_features(texts, GRAMMAR_WEIGHT)])
        cue_rows = np.vstack([cues, np.zeros((1, cues.shape[1]))])[own]
        positions = _position_features(places)
        if self.dense:
            from app.analysis.encoder import embed

            vectors = np.vstack([embed(texts), np.zeros((1, embed([]).shape[1]), dtype=np.float32)])
            return np.hstack(
                [
                    vectors[own],
                    vectors[before] * EMBEDDING_CONTEXT_WEIGHT,
                    vectors[after] * EMBEDDING_CONTEXT_WEIGHT,
                    cue_rows,
                    positions,
                ]
            )
        if hasattr(self._vectorizer, "compact"):  # the shipped labeller: no scipy at launch
            used, words = self._vectorizer.compact(texts)
            words = np.vstack([words, np.zeros((1, len(used)))])
            width = len(self._vectorizer.idf_)
            n_cues, n_places = cue_rows.shape[1], positions.shape[1]
            after_words = width + n_cues + n_places
            return CompactRows(
                np.concatenate(
                    [
                        used,
                        width + np.arange(n_cues + n_places),
                        after_words + used,
                        after_words + width + used,
                    ]
                ),
                np.hstack(
                    [
                        words[own],
                        cue_rows,
                        positions,
                        words[before] * CONTEXT_WEIGHT,
                        words[after] * CONTEXT_WEIGHT,
                    ]
                ),
            )
        from scipy.sparse import csr_matrix, hstack, vstack

        sparse = vstack([self._vectorizer.transform(texts), csr_matrix((1, len(self._vectorizer.idf_)))])
        sparse = sparse.tocsr()
        return hstack(
            [
                sparse[own],
                csr_matrix(cue_rows),
                csr_matrix(positions),
                sparse[before] * CONTEXT_WEIGHT,
                sparse[after] * CONTEXT_WEIGHT,
            ]
        ).tocsr()


class CompactRows:
    """A feature matrix held as the dense values of only the columns its rows use: all that `X @ W`
    needs. An answer uses a few hundred of the 121,907 columns; scipy.sparse took 0.14 s of Python's
    lock to import while the models loaded at launch, and a dense matrix would be 40 MB."""

    def __init__(self, columns: npt.NDArray[np.int64], values: npt.NDArray[np.float64]) -> None:
        self.columns, self.values = columns, values
        self.shape = values.shape

    def __matmul__(self, other: Any) -> npt.NDArray[np.float64]:
        out: npt.NDArray[np.float64] = self.values @ np.asarray(other)[self.columns]
        return out


def _cue_features(texts: Sequence[str]) -> npt.NDArray[np.float64]:
    return np.array([_cues_of(t) for t in texts]).reshape(len(texts), len(_CUES)) * CUE_WEIGHT


@functools.lru_cache(maxsize=16384)
def _cues_of(text: str) -> tuple[float, ...]:
    norm = _normalise(text)
    return tuple(1.0 if rx.search(norm) else 0.0 for _, rx in _CUES)


def _position_features(positions: Sequence[float]) -> npt.NDArray[np.float64]:
    bins = np.zeros((len(positions), POSITION_BINS + 2))
    for i, p in enumerate(positions):
        bins[i, min(int(p * POSITION_BINS), POSITION_BINS - 1)] = 1.0
        bins[i, POSITION_BINS] = p
        bins[i, POSITION_BINS + 1] = p * p
    return bins * POSITION_WEIGHT
