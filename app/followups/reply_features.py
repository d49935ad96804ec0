"""What the follow-up judge measures in a reply, clause by clause, for the thing the follow-up asked.

Each clause is compared by meaning (app.analysis.meaning) with clauses that gave that thing in replies
written for training, and with replies that did not; a reply asked for a section (responsibility,
outcome, lesson) is also labelled by the STAR labeller, the follow-up read before it as context. Word
lists are one feature among these, never the verdict. The training tool (tools/train_reply_judge.py)
and the app both compute features here, so that the app reads replies exactly as the model learned.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.analysis.meaning import mean_vector
from app.analysis.sections import Labeller
from app.analysis.types import Label
from app.followups.asks import ASK_KINDS, Ask
from app.followups.words import has_number, i_share, word_evidence

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]

# The asks a section of the answer gives, and that section.
SECTION_OF: dict[Ask, Label] = {"task": "task", "outcome": "result", "lesson": "reflection"}
FEATURES = (
    "like_gave", "gave_minus_not", "reply_like", "section", "words", "number", "i_share", "generic_you",
    "plan", "dodge", "near_gave", "near_not", "to_question",
)  # fmt: skip
# Words that tell a reply that does not give what was asked: a plan or hope for an outcome, general
# advice for a lesson ("you always have to…"), not knowing.
_YOU = re.compile(r"\b(?:you|your|you're|you've|you'd|you'll)\b", re.IGNORECASE)
_PLAN = re.compile(
    r"\b(?:going to|gonna|plan(?:ned)?|the plan|hop(?:e|ed|ing)|supposed to|expect(?:ed)?|would (?:have|be)|"
    r"will|should)\b",
    re.IGNORECASE,
)
_DODGE = re.compile(
    r"\b(?:don't (?:remember|know|recall)|not sure|no idea|can't (?:remember|recall|say)|hard to say|"
    r"don't have (?:them|it|the)|off the top of my head|i guess)\b", re.IGNORECASE)  # fmt: skip


@dataclass(frozen=True)
class Prototypes:
    """Clause vectors from the training replies: those that gave each kind, those that did not."""

    gave: dict[str, F32]
    not_gave: dict[str, F32]
    gave_replies: dict[str, F32]  # whole replies, one vector each
    not_replies: dict[str, F32]


def _best_against(vectors: F32, protos: F32) -> F64:
    if not len(protos) or not len(vectors):
        return np.zeros(len(vectors))
    out: F64 = (vectors @ protos.T).max(axis=1).astype(np.float64)
    return out


def section_hits(labeller: Labeller | None, followup: str, sentences: Sequence[str], kind: Ask) -> float:
    """1.0 when the STAR labeller, reading the follow-up first, gives a reply sentence the asked section."""
    section = SECTION_OF.get(kind)
    if labeller is None or section is None or not sentences:
        return 0.0
    labels = labeller.label_texts([followup or "Tell me more.", *sentences])[1:]
    return 1.0 if section in labels else 0.0


def _nearest(whole: F32, protos: F32, k: int = 3) -> float:
    """The mean similarity of the k replies most like this one."""
    if not len(protos):
        return 0.0
    sims = np.sort((protos @ whole[0]).astype(np.float64))[::-1][:k]
    return float(sims.mean())


def reply_features(
    kind: Ask,
    parts: Sequence[str],
    vectors: F32,
    protos: Prototypes,
    section: float,
    text: str,
    question: F32 | None = None,
) -> tuple[F64, int]:
    """The reply's features (FEATURES, then one column per kind) and the clause that gives it best."""
    empty = np.zeros((0, vectors.shape[1]), np.float32)
    like = _best_against(vectors, protos.gave.get(kind, empty))
    unlike = _best_against(vectors, protos.not_gave.get(kind, empty))
    whole = mean_vector(vectors)[None, :]
    near_gave = _nearest(whole, protos.gave_replies.get(kind, empty))
    near_not = _nearest(whole, protos.not_replies.get(kind, empty))
    lead = like - unlike
    best = int(np.argmax(lead + like)) if len(parts) else 0
    words = len(text.split())
    row = [
        float(like.max()) if len(like) else 0.0,
        float(lead.max()) if len(lead) else 0.0,
        near_gave - near_not,
        section,
        1.0 if word_evidence(kind, text) else 0.0,
        1.0 if kind == "number" and has_number(text) else 0.0,
        i_share(text) if kind == "own_part" else 0.0,
        len(_YOU.findall(text)) / max(words, 1) * 10,
        float(len(_PLAN.findall(text)) > 0),
        float(len(_DODGE.findall(text)) > 0),
        near_gave,
        near_not,
        float(whole[0] @ question) if question is not None else 0.0,
    ]
    onehot = [1.0 if kind == k else 0.0 for k in ASK_KINDS]
    # The word clues matter more for some kinds ("next time I'd…" is most of a lesson) than for others.
    words_by_kind = [v * row[4] for v in onehot]
    return np.array(row + onehot + words_by_kind, dtype=np.float64), best


_NUMBER_CLAUSE = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|"
                            r"fifty|hundred|thousand|million|half|quarter|dozen|percent)\b", re.IGNORECASE)  # fmt: skip


_LEADING_JOIN = re.compile(r"^(?:and|so|but|then|because)\s+", re.IGNORECASE)


def result_not_reason(kind: Ask, text: str, clause: str, vector: F32, protos: Prototypes) -> bool:
    """Asked why, the reply told how it turned out ("It was about 40% fewer complaints, from 500 a week
    to 300"): no word of a reason in it, and the clause it would be praised for says what changed and
    is nearer by meaning to the training clauses that gave an outcome than to those that gave a reason.
    The model alone passed such a reply as the reason (walk-through of issue 27)."""
    if kind != "reason" or word_evidence("reason", text) or not word_evidence("outcome", clause):
        return False
    empty = np.zeros((0, vector.shape[0]), np.float32)
    outcome, reason = protos.gave.get("outcome", empty), protos.gave.get("reason", empty)
    if not len(outcome) or not len(reason):
        return False
    return float((outcome @ vector).max()) > float((reason @ vector).max())


def evidence_clause(kind: Ask, parts: Sequence[str], best: int) -> str:
    """The clause quoted back: for a number, the clause that holds it; else the one most like a reply
    that gave what was asked. A joining word it starts with is left out ("and the client paid…")."""
    chosen = parts[best] if parts else ""
    if kind == "number":
        with_number = [p for p in parts if _NUMBER_CLAUSE.search(p)]
        if with_number and chosen not in with_number:
            chosen = with_number[0]
    return _LEADING_JOIN.sub("", chosen)
