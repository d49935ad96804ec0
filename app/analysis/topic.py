"""Does the answer address the question? A gentle check, built to stay silent when unsure.

Some questions ask for one particular thing: a disagreement, a customer, a decision taken without
approval (app.analysis.topic_concepts). An answer is compared by meaning (app.analysis.meaning) with
sentences that show that thing: a few written for it, and the two most telling sentences of each
on-topic development answer and bank reference answer. Three measures go into a logistic regression
(weights as numbers, app/resources/topic_check.npz, made by tools/train_topic_check.py):
- how close its two closest sentences come, against what on-topic answers to that concept reach;
- how much closer they come to another concept (an answer to another question);
- how many different words of the concept it says.
The answer is called off topic only above a threshold chosen so that on-topic development answers are
almost never flagged: telling someone with a good answer that they missed the question is the worst
mistake this check can make. Without the meaning model, the words alone decide, as before.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.analysis.meaning import MeaningModel, shared_meaning
from app.analysis.topic_concepts import CONCEPTS, Concept
from app.core import paths

MIN_WORDS = 40  # shorter answers are judged on structure, not topic
# Words alone (no meaning model): an answer has the concept when it says this many different words of it.
MIN_CUES = 2
TOP_SENTENCES = 2  # an answer shows its concept in a sentence or two; the rest is background
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]

_ASKED = [(c, re.compile(c.asked_by, re.IGNORECASE)) for c in CONCEPTS]
_HEARD = {c.name: re.compile(c.heard_as, re.IGNORECASE) for c in CONCEPTS}


def concept_of(question: str) -> Concept | None:
    """What the question asks for, or None when it asks for nothing the check knows."""
    return next((c for c, pattern in _ASKED if pattern.search(question)), None)


def cues(concept: Concept, text: str) -> int:
    """How many different words of the concept the text says."""
    return len({m.group(0).lower() for m in _HEARD[concept.name].finditer(text.replace("\u2019", "'"))})


def closeness(vectors: F32, protos: F32) -> float:
    """The mean of the answer's TOP_SENTENCES best similarities to a concept's sentences."""
    if not len(vectors) or not len(protos):
        return 0.0
    best = np.sort((vectors @ protos.T).max(axis=1))[::-1][:TOP_SENTENCES]
    return float(best.mean())


def topic_features(
    concept: Concept, vectors: F32, text: str, protos: dict[str, F32], base: dict[str, float]
) -> F64:
    own = closeness(vectors, protos[concept.name])
    other = max(closeness(vectors, protos[c.name]) for c in CONCEPTS if c.name != concept.name)
    return np.array([own - base[concept.name], own - other, np.log1p(min(cues(concept, text), 6))])


@dataclass(frozen=True)
class TopicModel:
    protos: dict[str, F32]
    base: dict[str, float]
    mean: F64
    scale: F64
    coef: F64
    intercept: float
    threshold: float

    def probability_off(self, concept: Concept, vectors: F32, text: str) -> float:
        x = (topic_features(concept, vectors, text, self.protos, self.base) - self.mean) / self.scale
        return 1.0 / (1.0 + float(np.exp(-(float(x @ self.coef) + self.intercept))))


def model_path() -> object:
    return paths.resource("topic_check.npz")


@functools.cache
def topic_model() -> TopicModel | None:
    """The trained check, or None when its file cannot be read (the words then decide alone)."""
    try:
        with np.load(paths.resource("topic_check.npz"), allow_pickle=False) as data:
            protos = {c.name: data[f"protos_{i}"].astype(np.float32) for i, c in enumerate(CONCEPTS)}
            base = {c.name: float(data["base"][i]) for i, c in enumerate(CONCEPTS)}
            return TopicModel(
                protos, base, data["mean"], data["scale"], data["coef"], float(data["intercept"]),
                float(data["threshold"]),
            )  # fmt: skip
    except (OSError, KeyError, ValueError, IndexError):
        return None


def _by_meaning(concept: Concept, sentences: Sequence[str], model: MeaningModel, check: TopicModel) -> bool:
    text = " ".join(sentences)
    return check.probability_off(concept, model.encode(list(sentences)), text) >= check.threshold


def off_topic(question: str, sentences: Sequence[str]) -> Concept | None:
    """The concept the answer lacks, or None when it has it, or the check cannot tell."""
    concept = concept_of(question)
    text = " ".join(sentences).replace("\u2019", "'")
    if concept is None or len(text.split()) < MIN_WORDS:
        return None
    meaning, check = shared_meaning(), topic_model()
    if meaning is not None and check is not None:
        return concept if _by_meaning(concept, [s for s in sentences if s.strip()], meaning, check) else None
    return None if cues(concept, text) >= MIN_CUES else concept
