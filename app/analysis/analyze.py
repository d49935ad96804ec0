"""The whole analysis of one answer, in the JSON shape of DESIGN.md's `analyze` command."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.analysis.decode import missing_sections, order_problems
from app.analysis.delivery import Delivery, measure_delivery
from app.analysis.feedback import Point, feedback
from app.analysis.model import STAR, Label, Sentence
from app.analysis.star import default_labeller
from app.analysis.stories import answer_sentences
from app.analysis.timing import DEFAULT_TARGET_S, Timing, measure_timing
from app.questions import Bank, Question


@dataclass(frozen=True)
class Analysis:
    sentences: tuple[Sentence, ...]
    missing: tuple[Label, ...]
    order_problems: tuple[tuple[int, str], ...]
    timing: Timing
    delivery: Delivery
    points: tuple[Point, ...]
    went_well: tuple[str, ...]
    question_id: str | None = None

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
            "missing": list(self.missing),
            "order_ok": self.order_ok,
            "order_problems": [
                {"sentence": i, "problem": p, "at": round(self.sentences[i].start, 2)}
                for i, p in self.order_problems
            ],
            "metrics": {
                "timing": self.timing.to_json(),
                "delivery": self.delivery.to_json(),
                "went_well": list(self.went_well),
            },
            "feedback": [p.to_json() for p in self.points],
        }


def analyze(
    sentences: Sequence[Sentence],
    bank: Bank,
    question: Question | None = None,
    engine: str | None = None,
    target_seconds: float = DEFAULT_TARGET_S,
) -> Analysis:
    """Label, time and measure an answer; `sentences` come from app.analysis.sentences."""
    labelled = default_labeller(bank).label(sentences) if sentences else []
    missing = tuple(missing_sections([s.section for s in labelled])) if labelled else STAR
    problems = tuple(order_problems(labelled))
    timing = measure_timing(labelled, target_seconds, answer_sentences(question) if question else None)
    delivery = measure_delivery(labelled, engine=engine)
    points, good = feedback(labelled, missing, problems, timing, delivery)
    return Analysis(
        sentences=tuple(labelled),
        missing=missing,
        order_problems=problems,
        timing=timing,
        delivery=delivery,
        points=tuple(points),
        went_well=tuple(good),
        question_id=question.id if question else None,
    )
