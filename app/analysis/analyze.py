"""The whole analysis of one answer, in the JSON shape of DESIGN.md's `analyze` command, and as the
typed, versioned record an attempt is saved with (replay shows it as it was saved, corrections and all).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from app.analysis.decode import order_problems
from app.analysis.delivery import Delivery, measure_delivery
from app.analysis.evidence import hesitations_in
from app.analysis.feedback import MAX_POINTS, Point, feedback
from app.analysis.labeller_files import default_labeller
from app.analysis.one_event import tells_no_event
from app.analysis.sections import SectionFinding, judge, missing_of, unclear_of, with_lesson
from app.analysis.sentences import split_at
from app.analysis.sound import Sound
from app.analysis.stories import answer_sentences
from app.analysis.timing import DEFAULT_TARGET_S, Timing, measure_timing
from app.analysis.topic import off_topic
from app.analysis.types import LABELS, Label, Sentence
from app.bank.questions import Bank, Question
from app.speech.transcript import Word

# The saved record's shape; a record of another version is analysed again from its transcript.
RECORD_VERSION = 2


@dataclass(frozen=True)
class Analysis:
    sentences: tuple[Sentence, ...]
    findings: tuple[SectionFinding, ...]  # one per STAR section: present, unclear or missing
    order_problems: tuple[tuple[int, str], ...]
    timing: Timing
    delivery: Delivery
    points: tuple[Point, ...]
    went_well: tuple[str, ...]
    question_id: str | None = None
    corrections: tuple[tuple[int, Label], ...] = ()  # (sentence, section) the person set by hand
    model_sections: tuple[Label, ...] = ()  # the labeller's own labels, before any correction
    cut_off: bool = False  # the hard stop ended the recording at the target length
    # "um"/"uh" from a second listen that keeps them (app/speech/fillers.py), once it has run
    hesitations: tuple[Word, ...] | None = None
    sound: Sound | None = None  # how it sounded (app.analysis.sound), measured beside that listen
    # Every point the answer earns, one per topic, most important first (`points` are its first three):
    # computed once, read by the follow-ups, the grade, the loop report and the progress view. None in
    # a record saved before it was kept (`every_point` works it out).
    triggered: tuple[Point, ...] | None = None

    @property
    def missing(self) -> tuple[Label, ...]:
        return missing_of(self.findings)

    @property
    def unclear(self) -> tuple[SectionFinding, ...]:
        return unclear_of(self.findings)

    @property
    def order_ok(self) -> bool:
        return not self.order_problems

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question_id,
            "sentences": [
                {"text": s.text, "section": s.section, "start": round(s.start, 2), "end": round(s.end, 2)}
                for s in self.sentences
            ],
            "sections": {lab: t.to_json() for lab, t in self.timing.sections.items()},
            "section_states": {f.section: f.to_json() for f in self.findings},
            "missing": list(self.missing),
            "unclear": [f.section for f in self.unclear],
            "order_ok": self.order_ok,
            "order_problems": [
                {"sentence": i, "problem": p, "at": round(self.sentences[i].start, 2)}
                for i, p in self.order_problems
            ],
            "corrections": [{"sentence": i, "section": lab} for i, lab in self.corrections],
            "metrics": {
                "timing": self.timing.to_json(),
                "delivery": self.delivery.to_json(),
                "went_well": list(self.went_well),
            },
            "feedback": [p.to_json() for p in self.points],
        }


@functools.cache
def _adapter() -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(Analysis)


def to_record(analysis: Analysis) -> dict[str, Any]:
    """Everything the screens show, as plain JSON data with its version."""
    data: dict[str, Any] = _adapter().dump_python(analysis, mode="json")
    return {"version": RECORD_VERSION, "analysis": data}


def from_record(record: Mapping[str, Any]) -> Analysis | None:
    """The saved analysis, or None for a record of another version (or damaged): analyse again."""
    if record.get("version") != RECORD_VERSION:
        return None
    try:
        analysis: Analysis = _adapter().validate_python(record["analysis"])
    except Exception:  # pydantic's ValidationError, a missing key: the caller analyses again
        return None
    return analysis


def analyze(
    sentences: Sequence[Sentence],
    bank: Bank,
    question: Question | None = None,
    engine: str | None = None,
    target_seconds: float = DEFAULT_TARGET_S,
    cut_off: bool = False,
) -> Analysis:
    """Label, time and measure an answer; `sentences` come from app.analysis.sentences."""
    reading = default_labeller(bank).read_parts([s.text for s in sentences])
    labelled = labelled_parts(sentences, reading.cuts, reading.labels)
    labels = tuple(s.section for s in labelled)
    return _measure(labelled, reading.findings, question, engine, target_seconds, (), labels, cut_off)


def labelled_parts(
    sentences: Sequence[Sentence], cuts: Sequence[int | None], labels: Sequence[Label]
) -> list[Sentence]:
    """Each sentence with its label, or its two parts with theirs where the labeller found that it
    changes section ("I checked it against last year's data, and that cut the false alarms by
    two-thirds"): from here on the parts are the units that the timeline, quotes, replay, corrections
    and the saved record work on."""
    out: list[Sentence] = []
    k = 0
    for sentence, cut in zip(sentences, cuts, strict=True):
        parts = split_at(sentence, cut) if cut is not None else None
        if parts:
            out += [parts[0].with_section(labels[k]), parts[1].with_section(labels[k + 1])]
        else:
            out.append(sentence.with_section(labels[k]))
        k += 1 if cut is None else 2
    return out


def relabel(analysis: Analysis, sentence: int, section: Label, question: Question | None) -> Analysis:
    """The person says sentence `sentence` is `section`: labels, section states, timing and feedback
    follow at once, without the model (a few milliseconds). A section the person leaves with no
    sentence is missing; one they give a sentence is present."""
    if section not in LABELS or not 0 <= sentence < len(analysis.sentences):
        raise ValueError(f"no sentence {sentence} or no section {section!r}")
    model = analysis.model_sections or tuple(s.section for s in analysis.sentences)
    corrections = {i: lab for i, lab in analysis.corrections}
    if model[sentence] == section:
        corrections.pop(sentence, None)  # back to what the labeller said
    else:
        corrections[sentence] = section
    labelled = [s.with_section(corrections.get(i, model[i])) for i, s in enumerate(analysis.sentences)]
    labels = [s.section for s in labelled]
    by_hand = judge(labels, None, None)
    before = {f.section: f for f in analysis.findings}
    findings = tuple(
        f if f.state == "present" or before[f.section].state == "present" else before[f.section]
        for f in by_hand
    )
    return _measure(
        labelled,
        findings,
        question,
        analysis.delivery.engine,
        analysis.timing.target_seconds,
        tuple(sorted(corrections.items())),
        model,
        analysis.cut_off,
        analysis.hesitations,
        analysis.sound,
    )


def with_hesitations(
    analysis: Analysis, words: Sequence[Word] | None, question: Question | None, sound: Sound | None = None
) -> Analysis:
    """The same answer, its fillers counted from the words of the second listen (None: no second listen;
    only their "um"/"uh" are kept) and how it sounded: labels, corrections and states stay; the filler
    figures, the points and the timeline's marks follow."""
    return _measure(
        list(analysis.sentences),
        analysis.findings,
        question,
        analysis.delivery.engine,
        analysis.timing.target_seconds,
        analysis.corrections,
        analysis.model_sections,
        analysis.cut_off,
        hesitations_in(words) if words is not None else analysis.hesitations,
        sound or analysis.sound,
    )


def every_point(analysis: Analysis) -> tuple[Point, ...]:
    """Every feedback point the answer earns, not only the three the screen shows: what the follow-ups
    dig into, what the practice schedule grades on and what a retry is compared with."""
    if analysis.triggered is not None:
        return analysis.triggered
    # A record saved before the analysis kept them: worked out again from what it holds. The off-topic
    # point needs the question, which the analysis does not keep: it is taken from the points given.
    points, _ = feedback(
        analysis.sentences,
        analysis.findings,
        analysis.order_problems,
        analysis.timing,
        analysis.delivery,
        analysis.cut_off,
        limit=None,
        no_event=any(p.rule == "no_event" for p in analysis.points),
        off_topic=None,
        sound=analysis.sound,
    )
    seen = {p.rule for p in points}
    return tuple(points) + tuple(p for p in analysis.points if p.rule not in seen)


def every_rule(analysis: Analysis) -> set[str]:
    """The names of `every_point`: the rules the answer triggers."""
    return {p.rule for p in every_point(analysis)}


def _measure(
    labelled: Sequence[Sentence],
    findings: Sequence[SectionFinding],
    question: Question | None,
    engine: str | None,
    target_seconds: float,
    corrections: tuple[tuple[int, Label], ...],
    model_sections: tuple[Label, ...],
    cut_off: bool = False,
    hesitations: tuple[Word, ...] | None = None,
    sound: Sound | None = None,
) -> Analysis:
    delivery = measure_delivery(labelled, engine=engine, hesitations=hesitations)
    # A lesson the delivery measures found means the reflection is at worst unclear, never missing.
    cue = next((e.sentence for e in delivery.lessons if e.kind != "reflection section"), None)
    findings = with_lesson(findings, cue)
    problems = tuple(order_problems(labelled))
    timing = measure_timing(labelled, target_seconds, answer_sentences(question) if question else None)
    missed = off_topic(question.question, [s.text for s in labelled]) if question else None
    no_event = tells_no_event([s.text for s in labelled if s.section != "other"])
    every, good = feedback(  # once per answer: everything else reads `triggered`
        labelled,
        findings,
        problems,
        timing,
        delivery,
        cut_off,
        limit=None,
        off_topic=missed.name if missed else None,
        no_event=no_event,
        sound=sound,
    )
    return Analysis(
        sentences=tuple(labelled),
        findings=tuple(findings),
        order_problems=problems,
        timing=timing,
        delivery=delivery,
        points=tuple(every[:MAX_POINTS]),
        went_well=tuple(good),
        question_id=question.id if question else None,
        corrections=corrections,
        model_sections=model_sections,
        cut_off=cut_off,
        hesitations=hesitations,
        sound=sound,
        triggered=tuple(every),
    )


__all__ = [
    "Analysis",
    "analyze",
    "every_point",
    "every_rule",
    "from_record",
    "relabel",
    "replace",
    "to_record",
    "with_hesitations",
]
