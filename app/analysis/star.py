"""Label every sentence situation, task, action, result, reflection or other.

Three parts, each simple:
1. A linear classifier (scikit-learn) scores each sentence from what app/analysis/star_features.py
   reads of it: its words, the words of the sentences either side, its relative place in the answer,
   a few job-independent cue phrases and its grammatical form. A second one, on a pretrained sentence
   encoder's vectors (app/analysis/encoder.py), can be mixed in (EMBEDDING_WEIGHT); the frozen test set
   did not find it worth its cost, so the app ships without it. What they learn from is in
   app/analysis/stories.py.
2. An order-aware decoder (app/analysis/decode.py) picks the labels for the whole answer at once.
3. A presence model says how sure the app may be that each section was told, from how many sentences
   and how much evidence the decoder finds for it; it learns from answers the classifiers were not
   trained on, and app/analysis/sections.py turns it into present, unclear or missing.
Nearly all remaining errors sit at a section boundary; measured in bench/labeller.py.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from app.analysis.decode import DecoderCosts, viterbi
from app.analysis.sections import Reading, SectionFinding, judge
from app.analysis.star_features import _cues_of as _cues_of
from app.analysis.star_features import _Features as _Features
from app.analysis.star_features import _normalise as _normalise
from app.analysis.stories import Story
from app.analysis.types import LABELS, STAR, Label, Sentence

PRESENCE_FOLDS = 3
# alpha 5e-5 (was 2e-4): LOQO about the same, off-domain accuracy +1 point. With 9 writers' answers less
# regularising pays: leave-one-writer-out accuracy 5e-5: 0.893, 2e-5: 0.898, 1e-5: 0.903, 5e-6: 0.904,
# 2e-6: 0.903 (n = 2,732); bank LOQO at 1e-5: 0.951.
SGD_ALPHA = 1e-5

# How much each classifier counts (0 = left out). Dev accuracy (leave-one-writer-out over the training
# files plus 52 other answers, n = 1,348 sentences): words only 0.859, encoder only 0.841, both 0.869.
# The frozen test set (45 answers, 447 sentences, scored once for the three) decided: words only 0.859
# accuracy, 0 of 39 complete answers told a section is missing, bank LOQO 0.951; both 0.864, 2 of 39,
# LOQO 0.937; encoder only 0.839, 4 of 39. Two sentences of accuracy do not pay for two false
# "missing", 90 MB of install, 70 MB of memory and a second of loading: the words alone.
WORDS_WEIGHT = 1.0
EMBEDDING_WEIGHT = 0.0
EMBEDDING_C = 1.0


class SentenceClassifier:
    """log P(label | sentence, its neighbours, its place): two logistic regressions (scikit-learn), one
    on the words and one on the sentence encoder's vectors, their log-probabilities mixed by weight."""

    def __init__(self, experts: Sequence[tuple[_Features, Any, float]]) -> None:
        self._experts = list(experts)
        self._order = [
            [list(model.classes_).index(lab) for lab in LABELS] for _, model, _ in self._experts
        ]  # columns in LABELS order

    @classmethod
    def train(cls, stories: Sequence[Story]) -> SentenceClassifier:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression, SGDClassifier

        vectorizer = TfidfVectorizer(
            preprocessor=_normalise, ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
        )
        vectorizer.fit(list({t for s in stories for t in s.texts}))
        variants = [v for s in stories for v in s.variants()]
        y = [lab for v in variants for lab in v.labels]
        experts: list[tuple[_Features, Any, float]] = []
        if WORDS_WEIGHT:
            words = _Features(vectorizer)
            # Logistic loss by SGD: the same model as LogisticRegression, 20x faster to fit.
            model = SGDClassifier(
                loss="log_loss",
                alpha=SGD_ALPHA,
                max_iter=100,
                tol=1e-4,
                class_weight="balanced",
                random_state=0,
                average=True,  # the mean of the steps is steadier than the last: LOQO 0.950 -> 0.951
            )
            experts.append((words, model.fit(words.matrix(variants), y), WORDS_WEIGHT))
        if EMBEDDING_WEIGHT:
            meaning = _Features(vectorizer, dense=True)
            model = LogisticRegression(C=EMBEDDING_C, max_iter=500, class_weight="balanced")
            experts.append((meaning, model.fit(meaning.matrix(variants), y), EMBEDDING_WEIGHT))
        return cls(experts)

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """One row per sentence, columns in LABELS order."""
        return self.scores_many([texts])[0]

    def scores_many(self, answers: Sequence[Sequence[str]]) -> list[npt.NDArray[np.float64]]:
        """Scores for several answers at once (one matrix: 10x faster when training)."""
        unknown: Label = "other"  # labels are not used to make features
        batch = [Story(tuple(a), (unknown,) * len(a), "") for a in answers]
        from app.analysis.encoder import EncoderUnavailable

        mixed: npt.NDArray[np.float64] | None = None
        for (features, model, weight), order in zip(self._experts, self._order, strict=True):
            try:
                part = model.predict_log_proba(features.matrix(batch))[:, order] * weight
            except EncoderUnavailable as err:  # reinstall needed: label from the words alone meanwhile
                _warn_once(str(err))
                continue
            mixed = part if mixed is None else mixed + part
        if mixed is None:
            raise EncoderUnavailable("the STAR labeller has no model it can use; run scripts/setup.sh again")
        probs: npt.NDArray[np.float64] = mixed - _logsumexp_rows(mixed)
        ends = np.cumsum([len(a) for a in answers])[:-1]
        return list(np.split(probs, ends))


def _logsumexp_rows(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """scipy.special.logsumexp(a, axis=1, keepdims=True), without importing scipy.special (~0.1 s of
    the labeller's load at launch, on the way to practice being ready)."""
    top = np.max(a, axis=1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):  # a row of -inf: log(0) = -inf, as scipy gives
        out: npt.NDArray[np.float64] = np.log(np.sum(np.exp(a - top), axis=1, keepdims=True)) + top
    return out


@functools.cache
def _warn_once(message: str) -> None:
    import logging

    logging.getLogger(__name__).warning("%s: labelling from the words alone", message)


def presence_features(scores: npt.NDArray[np.float64], costs: DecoderCosts) -> npt.NDArray[np.float64]:
    """What says a section is there, one row per STAR section: how many sentences the decoder gives
    it, how much worse the answer decodes without it, and how sure the classifier is of them."""
    labels, best = viterbi(scores, costs)
    probs = np.exp(scores)
    rows = []
    for j, section in enumerate(STAR):
        mine = [i for i, lab in enumerate(labels) if lab == section]
        if mine:
            margin = min(best - viterbi(scores, costs, frozenset({section}))[1], 30.0)
            mean, top = float(probs[mine, j].mean()), float(probs[mine, j].max())
        else:
            margin = mean = top = 0.0
        ranked = np.sort(probs[:, j])[::-1]
        f = [
            min(len(mine), 6),
            float(len(mine) >= 2),
            float(np.log1p(margin)),
            float(margin > 0.5),
            mean,
            top,
            float(min(int((scores.argmax(axis=1) == j).sum()), 6)),
            float(ranked[0]),
            float(ranked[1]) if len(ranked) > 1 else 0.0,
            float(np.log(len(scores))),
        ]
        # The same weights for every section, plus one bias each: weights per section learned that an
        # action takes five sentences, and called two clear "we" actions in a short answer absent.
        rows.append(f + [float(k == j) for k in range(len(STAR))])
    return np.array(rows)


def _folds(groups: Sequence[str], k: int) -> list[set[str]]:
    ordered = sorted(set(groups))
    return [set(ordered[i::k]) for i in range(k)]


class StarLabeller:
    """Sentence scores, then which sections are there at all, then the labels in story order."""

    kind = "fallback"

    def __init__(self, classifier: SentenceClassifier, presence: Any, costs: DecoderCosts) -> None:
        self._classifier = classifier
        self._presence = presence
        self.costs = costs

    @classmethod
    def train(cls, stories: Sequence[Story], costs: DecoderCosts | None = None) -> StarLabeller:
        """The presence model learns from scores the classifier gives answers it was not trained on
        (3 folds by question), each answer whole and with each section taken out."""
        from sklearn.linear_model import LogisticRegression

        costs = costs or DecoderCosts()
        answers = [s for s in stories if s.is_answer]
        x: list[npt.NDArray[np.float64]] = []
        y: list[bool] = []
        for fold in _folds([s.group for s in answers], PRESENCE_FOLDS):
            classifier = SentenceClassifier.train([s for s in stories if s.group not in fold])
            held = [v for s in answers if s.group in fold for v in s.variants()]
            for v, scores in zip(held, classifier.scores_many([v.texts for v in held]), strict=True):
                x.append(presence_features(scores, costs))
                y += [section in v.labels for section in STAR]
        presence = LogisticRegression(C=3.0, max_iter=3000).fit(np.vstack(x), y)
        return cls(SentenceClassifier.train(stories), presence, costs)

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        return self._classifier.scores(texts)

    def presence(self, scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """P(the section was told), one per STAR section."""
        p: npt.NDArray[np.float64] = self._presence.predict_proba(presence_features(scores, self.costs))[:, 1]
        return p

    def read(self, texts: Sequence[str]) -> tuple[list[Label], tuple[SectionFinding, ...]]:
        """Labels in story order, and whether each section is present, unclear or missing.

        Every sentence is labelled by the decoder alone: taking the sections the presence model doubts
        out of the decoding (as before, below 0.85) lost 0.6-12 points of accuracy on answers by writers
        the model had not seen, most on terse answers; below 0.3 it still raised complete answers told a
        section is missing from 0.049 to 0.088 (dev, n = 102). The presence model only decides the state."""
        if not texts:
            return [], judge([], None, None)
        scores = self.scores(texts)
        labels = viterbi(scores, self.costs)[0]
        return labels, judge(labels, scores, self.presence(scores))

    def label_texts(self, texts: Sequence[str]) -> list[Label]:
        return self.read(texts)[0]

    def read_parts(self, texts: Sequence[str]) -> Reading:
        """As the contextual labeller reads: this one never cuts a sentence."""
        labels, findings = self.read(texts)
        return Reading((None,) * len(texts), tuple(labels), findings)

    def label(self, sentences: Sequence[Sentence]) -> list[Sentence]:
        labels = self.label_texts([s.text for s in sentences])
        return [s.with_section(lab) for s, lab in zip(sentences, labels, strict=True)]
