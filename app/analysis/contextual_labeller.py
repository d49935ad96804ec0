"""STAR labels from the contextual model (app/analysis/contextual.py): sentences split where a spoken
sentence changes section, the order-aware decoder over the parts, and present / unclear / missing from
a presence model stored as plain numbers (coefficients in star_contextual.json, no pickle).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from app.analysis.contextual import ContextualModel, best_split, sentence_scores, split_scores
from app.analysis.decode import DecoderCosts, viterbi
from app.analysis.sections import Reading, SectionFinding, judge
from app.analysis.types import LABELS, Label

F64 = npt.NDArray[np.float64]

# A sentence that says what the speaker was asked, expected, hired or assigned to do is a task,
# wherever it stands: its task score is raised to the best of its scores plus TASK_BONUS.
_ASSIGNED = re.compile(
    r"\b(?:(?:i|we) (?:was|were|had been|'d been|got|am|'m|'ve been|have been) (?:[\w-]+ ){0,4}?"
    r"(?:(?:asked|expected|hired|assigned|tasked|brought in|supposed|meant|told|given the job) (?:to|with|of)"
    r"|responsible for|in charge of)"
    r"|(?:asked|wanted|needed|expected|told|hired|assigned|got|brought) (?:me|us) (?:in )?(?:to|with)\b"
    r"|(?:assigned|handed) me (?:the|a|an|to)\b)",
    re.IGNORECASE,
)
# Enough to outweigh going back in story order (the decoder's back cost, 2.5): "I was the data
# scientist asked to …" between two background sentences is still the task.
TASK_BONUS = 3.0
_TASK = LABELS.index("task")


def assigned(text: str) -> bool:
    return bool(_ASSIGNED.search(text.replace("\u2019", "'")))


class ContextualLabeller:
    """The shipped labeller. Its settings (decoder costs, thresholds, presence weights, split cost)
    come from star_contextual.json, written when it was trained and calibrated."""

    kind = "contextual"

    def __init__(self, model: ContextualModel, words: Any = None) -> None:
        """`words`: the fallback labeller, whose sentence scores are mixed in at meta's `words_weight`
        (out-of-fold, two folds by writer: the contextual model alone 0.850 of parts right, the words
        alone 0.859, the two mixed 0.874)."""
        meta: dict[str, Any] = model.meta
        self._model = model
        self._words = words
        self.words_weight = float(meta.get("words_weight", 0.0)) if words is not None else 0.0
        self.costs = DecoderCosts(**meta.get("decoder", {}))
        presence = meta.get("presence", {})
        self._coef = np.array(presence.get("coef", []), dtype=np.float64)
        self._intercept = float(presence.get("intercept", 0.0))
        self.missing_below = float(meta.get("missing_below", 0.3))
        self.unsure_below = float(meta.get("unsure_below", 0.75))
        self.split_cost = float(meta.get("split_cost", 1.5))
        # Added to each part's log-probabilities before decoding (chosen on out-of-fold scores): the
        # network learnt from answers where a task is one sentence in twenty, and under-calls it.
        self.bias = np.array(meta.get("bias", [0.0] * len(LABELS)), dtype=np.float64)

    def unit_scores(self, texts: Sequence[str]) -> tuple[list[int | None], F64]:
        """Where each sentence is cut, and scores for every part (rows in order)."""
        encoded, tokens = self._model.token_scores(texts)
        cuts: list[int | None] = []
        rows: list[F64] = []
        units: list[str] = []
        whole = sentence_scores(tokens)
        for i, text in enumerate(texts):
            cut = best_split(text, encoded[i], tokens[i], self.split_cost)
            cuts.append(cut)
            if cut is None:
                rows.append(whole[i])
                units.append(text)
            else:
                rows += list(split_scores(text, encoded[i], tokens[i], cut))
                units += [text[:cut], text[cut:]]
        if not rows:
            return cuts, np.zeros((0, len(LABELS)))
        scores = np.vstack(rows) + self.bias
        if self.words_weight:
            scores = scores + self.words_weight * self._words.scores(units)
        scores = np.vstack([self._task_rule(u, row) for u, row in zip(units, scores, strict=True)])
        scores -= np.log(np.exp(scores).sum(axis=1, keepdims=True))
        return cuts, scores

    @staticmethod
    def _task_rule(text: str, row: F64) -> F64:
        if not assigned(text):
            return row
        out = row.copy()
        out[_TASK] = max(out[_TASK], float(out.max()) + TASK_BONUS)
        out -= np.log(np.exp(out - out.max()).sum()) + out.max()
        return out

    def presence(self, scores: F64) -> F64:
        from app.analysis.star import presence_features

        if not len(self._coef):
            return np.ones(5)
        z = presence_features(scores, self.costs) @ self._coef + self._intercept
        p: F64 = 1.0 / (1.0 + np.exp(-z))
        return p

    def read_parts(self, texts: Sequence[str]) -> Reading:
        if not texts:
            return Reading((), (), judge([], None, None))
        cuts, scores = self.unit_scores(texts)
        labels = viterbi(scores, self.costs)[0]
        findings = judge(labels, scores, self.presence(scores), self.missing_below, self.unsure_below)
        return merged(Reading(tuple(cuts), tuple(labels), findings))

    def read(self, texts: Sequence[str]) -> tuple[list[Label], tuple[SectionFinding, ...]]:
        """One label per sentence (a cut sentence takes its longer part's), as the fallback gives."""
        reading = self.read_parts(texts)
        return sentence_labels(texts, reading), reading.findings

    def label_texts(self, texts: Sequence[str]) -> list[Label]:
        return self.read(texts)[0]


def merged(reading: Reading) -> Reading:
    """A cut whose two parts the decoder gave one label is no cut: the sentence stays whole."""
    cuts: list[int | None] = []
    labels: list[Label] = []
    k = 0
    for cut in reading.cuts:
        if cut is None:
            cuts.append(None)
            labels.append(reading.labels[k])
            k += 1
            continue
        first, second = reading.labels[k], reading.labels[k + 1]
        cuts.append(None if first == second else cut)
        labels += [first] if first == second else [first, second]
        k += 2
    return Reading(tuple(cuts), tuple(labels), reading.findings)


def sentence_labels(texts: Sequence[str], reading: Reading) -> list[Label]:
    out: list[Label] = []
    k = 0
    for text, cut in zip(texts, reading.cuts, strict=True):
        if cut is None:
            out.append(reading.labels[k])
            k += 1
        else:
            longer = 0 if cut >= len(text) - cut else 1
            out.append(reading.labels[k + longer])
            k += 2
    return out
