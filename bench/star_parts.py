"""The labeller scored on answers whose labels go below the sentence (a sentence that holds two sections
is labelled in parts), as the app reads them: whole sentences in, parts out.

A part is right when the part of the app's reading that covers most of its characters has its label.
Figures, each with its n: part accuracy and macro-F1 (by register too); complete answers (situation,
task, action and result told) told a section is missing, or flagged (missing or not clear); each section
of a complete answer taken out, then found (missing or not clear) or called missing; for the answers
that leave sections out by themselves (the real register), a section told flagged and a section left
out called missing or found; sentences split that hold one section; the one-event check.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.analysis.sections import Labeller, Reading
from app.analysis.types import LABELS, STAR, Label

Part = tuple[str, Label]
CORE: tuple[Label, ...] = ("situation", "task", "action", "result")


@dataclass(frozen=True)
class Answer:
    sentences: tuple[tuple[Part, ...], ...]
    writer: str
    register: str
    one_event: bool = True
    id: str = ""

    @property
    def texts(self) -> list[str]:
        return [" ".join(t for t, _ in s) for s in self.sentences]

    @property
    def told(self) -> set[str]:
        return {lab for s in self.sentences for _, lab in s if lab != "other"}

    @property
    def complete(self) -> bool:
        return set(CORE) <= self.told

    def without(self, section: Label) -> Answer:
        kept = []
        for s in self.sentences:
            parts = tuple(p for p in s if p[1] != section)
            if parts:
                kept.append(parts)
        return Answer(tuple(kept), self.writer, self.register, self.one_event, self.id)


def _part(raw: dict[str, Any]) -> tuple[Part, ...]:
    parts = raw.get("parts") or [raw]
    out = []
    for p in parts:
        if p["section"] not in LABELS:
            raise ValueError(f"not a label: {p['section']!r}")
        out.append((str(p["text"]), p["section"]))
    return tuple(out)


def load_answers(*paths: Path) -> list[Answer]:
    out = []
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        writer = str(data.get("writer", path.stem))
        for a in data["answers"]:
            out.append(
                Answer(
                    tuple(_part(s) for s in a["sentences"]),
                    writer,
                    str(a.get("register", "written")),
                    bool(a.get("one_event", True)),
                    str(a.get("id", "")),
                )
            )
    return out


def macro_f1(truth: Sequence[Label], pred: Sequence[Label]) -> float:
    from sklearn.metrics import f1_score

    present = sorted(set(truth) | set(pred), key=LABELS.index)  # a label absent from both says nothing
    return float(f1_score(truth, pred, labels=present, average="macro", zero_division=0))


def part_labels(answer: Answer, reading: Reading) -> tuple[list[Label], list[Label], int, int]:
    """(truth per part, the app's label per part, one-section sentences split, sentences split)."""
    truth: list[Label] = []
    pred: list[Label] = []
    wrongly_split = split = k = 0
    for sentence, cut in zip(answer.sentences, reading.cuts, strict=True):
        text = " ".join(t for t, _ in sentence)
        if cut is None:
            units = [(0, len(text), reading.labels[k])]
            k += 1
        else:
            units = [(0, cut, reading.labels[k]), (cut, len(text), reading.labels[k + 1])]
            k += 2
            split += 1
            wrongly_split += len(sentence) == 1
        at = 0
        for part_text, lab in sentence:
            a, b = at, at + len(part_text)
            at = b + 1
            best = max(units, key=lambda u: max(0, min(b, u[1]) - max(a, u[0])))
            truth.append(lab)
            pred.append(best[2])
    return truth, pred, wrongly_split, split


@dataclass
class PartTally:
    truth: list[Label]
    pred: list[Label]
    by_register: dict[str, list[int]]
    complete: int = 0
    told_missing: int = 0
    flagged: int = 0
    task_unclear: int = 0
    trials: int = 0
    found: int = 0
    missing: int = 0
    task_trials: int = 0
    task_found: int = 0
    sections_told: int = 0
    told_flagged: int = 0
    sections_left: int = 0
    left_missing: int = 0
    left_found: int = 0
    one_section_sentences: int = 0
    wrongly_split: int = 0
    two_section_sentences: int = 0
    split_right: int = 0
    general: int = 0
    general_caught: int = 0
    events: int = 0
    event_alarms: int = 0

    def figures(self, name: str) -> dict[str, Any]:
        def share(k: int, n: int) -> float | None:
            return round(k / n, 3) if n else None

        right = sum(t == p for t, p in zip(self.truth, self.pred, strict=True))
        out: dict[str, Any] = {
            f"star_acc_{name}": share(right, len(self.truth)),
            f"star_macro_f1_{name}": round(macro_f1(self.truth, self.pred), 3) if self.truth else None,
            f"star_acc_{name}_n": len(self.truth),
            f"star_false_missing_{name}": share(self.told_missing, self.complete),
            f"star_flagged_on_complete_{name}": share(self.flagged, self.complete),
            f"star_task_unclear_on_complete_{name}": share(self.task_unclear, self.complete),
            f"star_complete_{name}_n": self.complete,
            f"star_removed_found_{name}": share(self.found, self.trials),
            f"star_removed_missing_{name}": share(self.missing, self.trials),
            f"star_removed_{name}_n": self.trials,
            f"star_removed_task_found_{name}": share(self.task_found, self.task_trials),
            f"star_removed_task_{name}_n": self.task_trials,
            f"star_told_flagged_{name}": share(self.told_flagged, self.sections_told),
            f"star_told_{name}_n": self.sections_told,
            f"star_left_out_missing_{name}": share(self.left_missing, self.sections_left),
            f"star_left_out_found_{name}": share(self.left_found, self.sections_left),
            f"star_left_out_{name}_n": self.sections_left,
            f"star_split_one_section_{name}": share(self.wrongly_split, self.one_section_sentences),
            f"star_split_one_section_{name}_n": self.one_section_sentences,
            f"star_split_two_section_{name}": share(self.split_right, self.two_section_sentences),
            f"star_split_two_section_{name}_n": self.two_section_sentences,
            f"one_event_caught_{name}": share(self.general_caught, self.general),
            f"one_event_caught_{name}_n": self.general,
            f"one_event_false_alarm_{name}": share(self.event_alarms, self.events),
            f"one_event_false_alarm_{name}_n": self.events,
        }
        for reg, (r, n) in sorted(self.by_register.items()):
            out[f"star_acc_{name}_{reg.replace('-', '_')}"] = share(r, n)
            out[f"star_acc_{name}_{reg.replace('-', '_')}_n"] = n
        return out


def tally_parts(labeller: Labeller, answers: Iterable[Answer], trials: bool = True) -> PartTally:
    from app.analysis.one_event import tells_no_event

    out = PartTally([], [], {})
    for answer in answers:
        reading = labeller.read_parts(answer.texts)
        truth, pred, wrong, split = part_labels(answer, reading)
        out.truth += truth
        out.pred += pred
        reg = out.by_register.setdefault(answer.register, [0, 0])
        reg[0] += sum(t == p for t, p in zip(truth, pred, strict=True))
        reg[1] += len(truth)
        out.one_section_sentences += sum(len(s) == 1 for s in answer.sentences)
        out.wrongly_split += wrong
        out.two_section_sentences += sum(len(s) > 1 for s in answer.sentences)
        out.split_right += split - wrong
        states: dict[str, str] = {f.section: f.state for f in reading.findings}
        for section in CORE:
            if section in answer.told:
                out.sections_told += 1
                out.told_flagged += states[section] != "present"
            else:
                out.sections_left += 1
                out.left_missing += states[section] == "missing"
                out.left_found += states[section] != "present"
        story = [t for t, lab in zip(answer.texts, _sentence_labels(answer), strict=True) if lab != "other"]
        general = tells_no_event(story)
        if answer.one_event:
            out.events += 1
            out.event_alarms += general
        else:
            out.general += 1
            out.general_caught += general
        if not answer.complete:
            continue
        out.complete += 1
        out.told_missing += any(states[s] == "missing" for s in STAR if s in answer.told)
        out.flagged += any(states[s] != "present" for s in CORE)
        out.task_unclear += states["task"] != "present"
        if not trials:
            continue
        for section in CORE:
            rest = answer.without(section)
            if not rest.sentences:
                continue
            state = next(f.state for f in labeller.read_parts(rest.texts).findings if f.section == section)
            out.trials += 1
            out.found += state != "present"
            out.missing += state == "missing"
            if section == "task":
                out.task_trials += 1
                out.task_found += state != "present"
    return out


def _sentence_labels(answer: Answer) -> list[Label]:
    return [max(s, key=lambda p: len(p[0]))[1] for s in answer.sentences]


def curve(labeller_for: Any, answers: Sequence[Answer], points: Sequence[tuple[float, float]]) -> list[str]:
    """Removed sections found against complete answers flagged, one line per (unsure, missing) point."""
    lines = []
    for unsure, missing in points:
        t = tally_parts(labeller_for(unsure, missing), answers)
        f = t.figures("x")
        lines.append(
            f"unsure<{unsure} missing<{missing}: removed found {f['star_removed_found_x']}, complete flagged "
            f"{f['star_flagged_on_complete_x']}, told missing {f['star_false_missing_x']}, task unclear on "
            f"complete {f['star_task_unclear_on_complete_x']}, removed task found {f['star_removed_task_found_x']}"
        )
    return lines


def _norm(word: str) -> str:
    import re

    return re.sub(r"[^a-z0-9']", "", word.lower())


def tally_transcribed(labeller: Labeller, answers: Sequence[Answer], folder: Path) -> dict[str, Any]:
    """The same answers spoken by a natural voice and transcribed by the app's default model
    (`folder`/<id>.json, as `main.py transcribe --json` prints): the app's labels per transcribed word
    against the label of the written word it aligns with, and the section verdicts."""
    import difflib

    from app.analysis.analyze import labelled_parts
    from app.analysis.sentences import from_transcript
    from app.speech.transcript import Transcript

    right = words = 0
    told = told_flagged = left = left_missing = left_found = complete = flagged = told_missing = n = 0
    for answer in answers:
        path = folder / f"{answer.id}.json"
        if not path.exists():
            continue
        n += 1
        sentences = from_transcript(Transcript.from_json(json.loads(path.read_text(encoding="utf-8"))))
        reading = labeller.read_parts([s.text for s in sentences])
        units = labelled_parts(sentences, reading.cuts, reading.labels)
        hyp = [(_norm(w.text), u.section) for u in units for w in u.words]
        truth = [(_norm(w), lab) for s in answer.sentences for t, lab in s for w in t.split()]
        matcher = difflib.SequenceMatcher(None, [w for w, _ in truth], [w for w, _ in hyp], autojunk=False)
        gold: list[Label | None] = [None] * len(hyp)
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                gold[block.b + k] = truth[block.a + k][1]
        last: Label | None = next((g for g in gold if g is not None), None)
        for i, (_, lab) in enumerate(hyp):
            last = gold[i] or last
            if last is not None:
                words += 1
                right += lab == last
        states = {f.section: f.state for f in reading.findings}
        for section in CORE:
            if section in answer.told:
                told += 1
                told_flagged += states[section] != "present"
            else:
                left += 1
                left_missing += states[section] == "missing"
                left_found += states[section] != "present"
        if answer.complete:
            complete += 1
            flagged += any(states[s] != "present" for s in CORE)
            told_missing += any(states[s] == "missing" for s in STAR if s in answer.told)

    def share(k: int, m: int) -> float | None:
        return round(k / m, 3) if m else None

    return {
        "answers_n": n,
        "word_accuracy": share(right, words),
        "words_n": words,
        "complete_flagged": share(flagged, complete),
        "complete_told_missing": share(told_missing, complete),
        "complete_n": complete,
        "told_flagged": share(told_flagged, told),
        "told_n": told,
        "left_out_missing": share(left_missing, left),
        "left_out_found": share(left_found, left),
        "left_out_n": left,
    }
