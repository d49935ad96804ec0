"""The fallback labeller as plain numbers (NumPy's .npz), not a pickle: it loads with any scikit-learn
version, or none, so a newer library never makes the app train again on first start, and a file in the
cache folder can never run code when read.

What a trained StarLabeller holds is three linear models: the words' TF-IDF weights and vocabulary, the
sentence classifier's coefficients, and the presence model's. These classes compute what scikit-learn
computes from them (a test checks they agree to 1e-9).
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from app.analysis.decode import DecoderCosts

F64 = npt.NDArray[np.float64]


class ArrayTfidf:
    """TfidfVectorizer.transform with its fitted vocabulary and idf: word 1- and 2-grams, sublinear tf,
    rows of unit length."""

    def __init__(self, terms: Sequence[str], idf: F64, preprocessor: Any, token_pattern: str) -> None:
        self.vocabulary_ = {t: i for i, t in enumerate(terms)}
        self.idf_ = np.asarray(idf, dtype=np.float64)
        self._pre = preprocessor
        self._token = re.compile(token_pattern)

    def _rows(self, texts: Sequence[str]) -> list[tuple[npt.NDArray[np.int64], F64]]:
        """Each text's columns and weights, as TfidfVectorizer computes them."""
        out = []
        for text in texts:
            tokens = self._token.findall(self._pre(text))
            grams = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
            counts: dict[int, int] = {}
            for g in grams:
                j = self.vocabulary_.get(g)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            idx = np.array(sorted(counts), dtype=np.int64)
            v = (1.0 + np.log(np.array([counts[j] for j in idx], dtype=np.float64))) * self.idf_[idx]
            if len(v):
                v /= np.linalg.norm(v)
            out.append((idx, v))
        return out

    def compact(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.int64], F64]:
        """The columns any of `texts` uses, and the rows' values in those columns only (dense)."""
        rows = self._rows(texts)
        used = np.unique(np.concatenate([idx for idx, _ in rows] or [np.zeros(0, np.int64)]))
        values = np.zeros((len(texts), len(used)))
        for r, (idx, v) in enumerate(rows):
            values[r, np.searchsorted(used, idx)] = v
        return used, values


class ArrayOvR:
    """SGDClassifier(loss="log_loss").predict_log_proba: one-vs-rest sigmoids, normalised."""

    def __init__(self, coef: F64, intercept: F64, classes: Sequence[str]) -> None:
        self.coef_, self.intercept_ = np.asarray(coef), np.asarray(intercept)
        self.classes_ = np.array(classes)

    def predict_log_proba(self, x: Any) -> F64:
        z = np.asarray(x @ self.coef_.T) + self.intercept_
        p = 1.0 / (1.0 + np.exp(-z))
        out: F64 = np.log(p / p.sum(axis=1, keepdims=True))
        return out


class ArrayBinary:
    """LogisticRegression.predict_proba for two classes."""

    def __init__(self, coef: F64, intercept: float) -> None:
        self.coef_, self.intercept_ = np.asarray(coef).reshape(1, -1), np.array([intercept])

    def predict_proba(self, x: F64) -> F64:
        p = 1.0 / (1.0 + np.exp(-(x @ self.coef_[0] + self.intercept_[0])))
        return np.column_stack([1.0 - p, p])


def to_bytes(labeller: Any, key: str) -> bytes:
    """A trained StarLabeller (words expert only) as .npz bytes."""
    ((features, model, weight),) = labeller._classifier._experts
    vec = features._vectorizer
    terms = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        key=np.array(key),
        terms=np.array(terms),
        idf=vec.idf_,
        coef=np.asarray(model.coef_, dtype=np.float64) * weight,
        intercept=np.asarray(model.intercept_, dtype=np.float64) * weight,
        classes=np.array([str(c) for c in model.classes_]),
        presence_coef=np.asarray(labeller._presence.coef_[0], dtype=np.float64),
        presence_intercept=np.array(float(labeller._presence.intercept_[0])),
        costs=np.array(
            [
                labeller.costs.enter,
                labeller.costs.skip,
                labeller.costs.back,
                labeller.costs.other,
                labeller.costs.weight,
            ]
        ),
    )
    return buffer.getvalue()


def from_bytes(data: bytes, key: str) -> Any | None:
    """The StarLabeller stored by `to_bytes`, if it was made with `key`; else None."""
    from app.analysis.star import SentenceClassifier, StarLabeller, _Features, _normalise

    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        if str(z["key"]) != key:
            return None
        vec = ArrayTfidf([str(t) for t in z["terms"]], z["idf"], _normalise, r"(?u)\b\w+\b")
        model = ArrayOvR(z["coef"], z["intercept"], [str(c) for c in z["classes"]])
        presence = ArrayBinary(z["presence_coef"], float(z["presence_intercept"]))
        enter, skip, back, other, weight = (float(v) for v in z["costs"])
    classifier = SentenceClassifier([(_Features(vec), model, 1.0)])
    return StarLabeller(classifier, presence, DecoderCosts(enter, skip, back, other, weight))
