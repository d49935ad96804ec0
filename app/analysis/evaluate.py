"""How well the STAR labeller does, measured the way the benchmark reports it.

- leave-one-question-out (LOQO) over the bank's 36 reference answers: train on 35, label the 36th;
- the same answers with one section removed: is it reported missing? and is a complete answer ever
  reported as missing a section it has?
- answers by people outside machine learning (tests/data/offdomain_answers.json), labelled by hand;
- the same reference answers labelled by a second annotator (tests/data/bank_second_annotator.json):
  how often two careful readers agree bounds what a figure measured on one reader's labels can mean.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.analysis.decode import DecoderCosts, missing_sections
from app.analysis.model import LABELS, STAR, Label
from app.analysis.star import StarLabeller
from app.analysis.stories import Story, answer_story, training_stories
from app.questions import Bank


@dataclass(frozen=True)
class Scores:
    accuracy: float
    macro_f1: float
    sentences: int
    missing_recall: float | None = None  # None: no section was missing, nothing to find
    missing_false_alarm: float | None = None
    missing_n: int = 0  # sections removed or really missing: the recall's denominator
    answers: int = 0  # complete answers checked: the false alarm's denominator

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


def _missing_trials(labeller: StarLabeller, answer: Story, full: Sequence[Label]) -> tuple[int, int, bool]:
    """Given the complete answer's labels (`full`): removed sections reported missing, sections removed,
    and whether the complete answer was reported missing a section it has."""
    present = [s for s in STAR if s in answer.labels]
    false_alarm = any(s in missing_sections(full) for s in present)
    hits = 0
    for removed in present:
        kept = answer.without(removed)
        if kept.texts and removed in missing_sections(labeller.label_texts(kept.texts)):
            hits += 1
    return hits, len(present), false_alarm


def _scores(
    truth: Sequence[Label],
    pred: Sequence[Label],
    found: int = 0,
    missing_n: int = 0,
    alarms: int = 0,
    answers: int = 0,
) -> Scores:
    """Rates from counts; a rate with nothing to count is None, not 0."""
    return Scores(
        accuracy=sum(t == p for t, p in zip(truth, pred, strict=True)) / len(truth),
        macro_f1=macro_f1(truth, pred),
        sentences=len(truth),
        missing_recall=found / missing_n if missing_n else None,
        missing_false_alarm=alarms / answers if answers else None,
        missing_n=missing_n,
        answers=answers,
    )


def loqo(bank: Bank, costs: DecoderCosts | None = None, with_missing: bool = True) -> Scores:
    return loqo_sets(bank, {}, costs, with_missing)["bank"]


def loqo_sets(
    bank: Bank,
    other_labels: Mapping[str, Mapping[str, Sequence[Label]]],
    costs: DecoderCosts | None = None,
    with_missing: bool = True,
) -> dict[str, Scores]:
    """LOQO scored against the bank's labels ("bank") and against each other set of labels for the same
    sentences (question id -> one label per sentence), with the same 36 trained labellers."""
    stories = training_stories(bank)
    sets = {"bank": {q.id: answer_story(q).labels for q in bank.questions}} | dict(other_labels)
    truth: dict[str, list[Label]] = {name: [] for name in sets}
    pred: dict[str, list[Label]] = {name: [] for name in sets}
    counts = {name: [0, 0, 0] for name in sets}  # hits, trials, alarms
    for q in bank.questions:
        labeller = StarLabeller.train([s for s in stories if s.group != q.id], costs)
        texts = answer_story(q).texts
        full = labeller.label_texts(texts)  # the same whichever labels it is scored against
        for name, labels in sets.items():
            answer = Story(texts, tuple(labels[q.id]), q.id)
            truth[name] += answer.labels
            pred[name] += full
            if with_missing:
                h, n, alarm = _missing_trials(labeller, answer, full)
                c = counts[name]
                c[0], c[1], c[2] = c[0] + h, c[1] + n, c[2] + alarm
    n_q = len(bank.questions) if with_missing else 0
    return {name: _scores(truth[name], pred[name], c[0], c[1], c[2], n_q) for name, c in counts.items()}


def agreement(a: Sequence[Label], b: Sequence[Label]) -> tuple[float, float]:
    """Share of sentences two sets of labels agree on, and Cohen's kappa (agreement beyond chance)."""
    from sklearn.metrics import cohen_kappa_score

    observed = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
    return observed, float(cohen_kappa_score(a, b))


def load_labels(path: Path) -> dict[str, list[Label]]:
    data: dict[str, dict[str, list[Label]]] = json.loads(path.read_text(encoding="utf-8"))
    return data["labels"]


def load_answers(path: Path) -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    answers: list[dict[str, Any]] = data["answers"]
    return answers


def offdomain(labeller: StarLabeller, answers: Sequence[dict[str, Any]]) -> Scores:
    """Hand-labelled answers from other jobs, labelled by a model trained on the whole bank (one model
    for every set: it takes seconds to train).

    Missing-section figures count the sections an answer really lacks (recall) and the sections it
    has that are reported missing (false alarm, per answer).
    """
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
    return _scores(truth, pred, found, lacking, alarms, len(answers))
