"""Whether a spoken reply to a follow-up gave what it asked for: a responsibility, an outcome, a number,
a lesson, a customer, a reason…

Judged by meaning: each clause of the reply is compared with replies written for training that gave
the thing asked and with ones that did not, a reply asked for a section is labelled as an answer's would
be, and a logistic regression (weights as numbers, app/resources/reply_judge.npz) weighs that with the
word clues. The evidence quoted is the whole clause that gave it, never one word, so "I cut corners and
it never worked" is not praised for "cut", and "nobody asked me to" needs no rule of its own. Without the
meaning model the words alone judge, as before. A reply too short to judge is said to be, never passed.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.analysis.clauses import clauses
from app.analysis.heard import quoted
from app.analysis.meaning import shared_meaning
from app.analysis.sections import Labeller
from app.analysis.types import Sentence
from app.core import paths
from app.followups import reply_features as rf
from app.followups.rules import ASKS, Ask
from app.followups.words import has_number, i_share, word_evidence

MIN_WORDS = 4  # "I don't know." is not a reply to judge
# Below this the reply did not give it; from here to the model's threshold (chosen so that at most 5 %
# of development replies that should fail pass) the app says it is not sure. Development, leave one
# writer out: agreement 0.88 at 0.5.
UNSURE_FROM = 0.5


@dataclass(frozen=True)
class Verdict:
    gave: bool
    message: str  # what the person hears about their reply
    evidence: str = ""  # the clause that gave it, quoted

    def to_json(self) -> dict[str, Any]:
        return {"gave": self.gave, "message": self.message, "evidence": self.evidence}


@dataclass(frozen=True)
class ReplyModel:
    protos: rf.Prototypes
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def probability(self, features: np.ndarray) -> float:
        z = float(((features - self.mean) / self.scale) @ self.coef + self.intercept)
        return 1.0 / (1.0 + float(np.exp(-z)))


def gated(kind: Ask, section: float, p: float) -> float:
    """A reply asked for a section (responsibility, outcome, lesson) that the labeller, reading it after
    the follow-up, gives no sentence of that section is at most "not sure": the labeller decides those
    the way it decides an answer's sections."""
    return p


def model_path() -> Any:
    return paths.resource("reply_judge.npz")


_LOCK = threading.Lock()


@functools.cache
def _load() -> ReplyModel | None:
    try:
        with np.load(model_path(), allow_pickle=False) as data:
            kinds = [str(k) for k in data["kinds"]]
            protos = rf.Prototypes(
                {k: data[f"gave_{k}"].astype(np.float32) for k in kinds},
                {k: data[f"not_{k}"].astype(np.float32) for k in kinds},
                {k: data[f"gave_replies_{k}"].astype(np.float32) for k in kinds},
                {k: data[f"not_replies_{k}"].astype(np.float32) for k in kinds},
            )
            return ReplyModel(
                protos,
                data["mean"],
                data["scale"],
                data["coef"],
                float(data["intercept"]),
                float(data["threshold"]),
            )
    except (OSError, KeyError, ValueError):
        return None


def reply_model() -> ReplyModel | None:
    """The trained judge, or None when its file cannot be read (the words then judge alone)."""
    with _LOCK:
        return _load()


def _gave(kind: Ask, evidence: str, sentences: Sequence[Sentence] = ()) -> Verdict:
    wanted = ASKS[kind]
    return Verdict(True, f"You gave {wanted}: {quoted(evidence.rstrip('.!?;,'), sentences)}.", evidence)


def _not_given(kind: Ask, text: str) -> Verdict:
    wanted = ASKS[kind]
    if kind == "number" and not has_number(text):
        return Verdict(False, f"No number in your reply. Give {wanted}; an estimate is fine if you say so.")
    if kind == "own_part" and i_share(text) < 0.5:
        return Verdict(
            False,
            "Mostly \u201cwe\u201d in your reply. Name the steps you took yourself, with \u201cI\u201d.",
        )
    return Verdict(False, f"The reply did not clearly say {wanted}. Say it plainly, in one sentence.")


def _by_words(kind: Ask, texts: Sequence[str]) -> Verdict:
    """The judge without the meaning model: a phrase of the kind's list, not negated, in a clause."""
    parts = clauses(texts)
    text = " ".join(texts)
    for part in parts:
        if (kind == "number" and has_number(part)) or (kind != "number" and word_evidence(kind, part)):
            return _gave(kind, part)
    return _not_given(kind, text)


def judge_reply(
    asks_for: Ask, sentences: Sequence[Sentence], followup: str = "", labeller: Labeller | None = None
) -> Verdict:
    """Did the reply (sentences as app.analysis.sentences gives them) give `asks_for`? `followup`: the
    question it answers, read before it by the STAR `labeller` (None: no section feature)."""
    texts = [s.text for s in sentences if s.text.strip()]
    text = " ".join(texts)
    if len(text.split()) < MIN_WORDS:
        return Verdict(False, f"Your reply was too short to say {ASKS[asks_for]}.")
    meaning, model = shared_meaning(), reply_model()
    if meaning is None or model is None:
        return _by_words(asks_for, texts)
    parts = clauses(texts) or [text]
    section = rf.section_hits(labeller, followup, texts, asks_for)
    vectors = meaning.encode([*parts, followup or ASKS[asks_for]])
    features, best = rf.reply_features(
        asks_for, parts, vectors[:-1], model.protos, section, text, vectors[-1]
    )
    p = gated(asks_for, section, model.probability(features))
    if p < UNSURE_FROM:
        return _not_given(asks_for, text)
    if rf.result_not_reason(asks_for, text, parts[best], vectors[best], model.protos):
        return Verdict(
            False,
            "Your reply said how it turned out, not why you chose it. "
            f"Say {ASKS[asks_for]}, in one sentence.",
        )
    if p < model.threshold:  # between the two: the app says it is not sure, and quotes what came closest
        clause = rf.evidence_clause(asks_for, parts, best)
        return Verdict(
            False,
            f"Not sure your reply said {ASKS[asks_for]}. The closest was \u201c{clause}\u201d. "
            "If that was it, say it plainly, in one sentence.",
        )
    return _gave(asks_for, rf.evidence_clause(asks_for, parts, best), sentences)
