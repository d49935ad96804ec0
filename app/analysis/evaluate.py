"""How well the STAR labeller does, measured the way the benchmark reports it.

- leave-one-question-out (LOQO) over the bank's 36 reference answers: train on 35, label the 36th;
- the same answers with one section removed: is it reported missing? and is a complete answer ever
  reported as missing a section it has?
- answers by people outside machine learning (tests/data/offdomain_answers.json), labelled by hand.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.analysis.model import LABELS, STAR, Label
from app.analysis.star import (
    DecoderCosts,
    StarLabeller,
    answer_sentences,
    missing_sections,
    training_stories,
)
from app.questions import Bank


@dataclass(frozen=True)
class Scores:
    accuracy: float
    macro_f1: float
    sentences: int
    missing_recall: float | None = None
    missing_false_alarm: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def macro_f1(truth: Sequence[Label], pred: Sequence[Label]) -> float:
    f1s = []
    for lab in LABELS:
        tp = sum(t == lab and p == lab for t, p in zip(truth, pred, strict=True))
        fp = sum(t != lab and p == lab for t, p in zip(truth, pred, strict=True))
        fn = sum(t == lab and p != lab for t, p in zip(truth, pred, strict=True))
        if tp + fp + fn == 0:
            continue  # a label absent from both sides says nothing
        f1s.append(2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / len(f1s) if f1s else 0.0


def _missing_trials(labeller: StarLabeller, pairs: Sequence[tuple[str, Label]]) -> tuple[int, int, bool]:
    """(removed sections reported missing, sections removed, complete answer falsely missing one)."""
    present = [s for s in STAR if any(lab == s for _, lab in pairs)]
    full = labeller.label_texts([t for t, _ in pairs])
    false_alarm = any(s in missing_sections(full) for s in present)
    hits = 0
    for removed in present:
        kept = [t for t, lab in pairs if lab != removed]
        if kept and removed in missing_sections(labeller.label_texts(kept)):
            hits += 1
    return hits, len(present), false_alarm


def loqo(bank: Bank, costs: DecoderCosts | None = None, with_missing: bool = True) -> Scores:
    stories = training_stories(bank)
    truth: list[Label] = []
    pred: list[Label] = []
    hits = trials = alarms = 0
    for q in bank.questions:
        labeller = StarLabeller.train([s for s in stories if s.group != q.id], costs)
        pairs = answer_sentences(q)
        truth += [lab for _, lab in pairs]
        pred += labeller.label_texts([t for t, _ in pairs])
        if with_missing:
            h, n, alarm = _missing_trials(labeller, pairs)
            hits, trials, alarms = hits + h, trials + n, alarms + alarm
    acc = sum(t == p for t, p in zip(truth, pred, strict=True)) / len(truth)
    return Scores(
        accuracy=acc,
        macro_f1=macro_f1(truth, pred),
        sentences=len(truth),
        missing_recall=hits / trials if with_missing else None,
        missing_false_alarm=alarms / len(bank.questions) if with_missing else None,
    )


def load_answers(path: Path) -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    answers: list[dict[str, Any]] = data["answers"]
    return answers


def offdomain(bank: Bank, answers: Sequence[dict[str, Any]], costs: DecoderCosts | None = None) -> Scores:
    """Hand-labelled answers from other jobs, labelled by a model trained on the whole bank.

    Missing-section figures count the sections an answer really lacks (recall) and the sections it
    has that are reported missing (false alarm, per answer).
    """
    labeller = StarLabeller.train(training_stories(bank), costs)
    truth: list[Label] = []
    pred: list[Label] = []
    lacking = found = alarms = 0
    for answer in answers:
        labels: list[Label] = [s["section"] for s in answer["sentences"]]
        got = labeller.label_texts([s["text"] for s in answer["sentences"]])
        truth += labels
        pred += got
        really_missing = set(missing_sections(labels))
        reported = set(missing_sections(got))
        lacking += len(really_missing)
        found += len(really_missing & reported)
        alarms += bool(reported - really_missing)
    acc = sum(t == p for t, p in zip(truth, pred, strict=True)) / len(truth)
    return Scores(
        accuracy=acc,
        macro_f1=macro_f1(truth, pred),
        sentences=len(truth),
        missing_recall=found / lacking if lacking else None,
        missing_false_alarm=alarms / len(answers),
    )
