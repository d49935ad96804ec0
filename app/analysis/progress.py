"""What changed since the last attempt at the same question: which points were fixed, which are new,
and the seconds per section before and after. Shown after a retry (issue 15).

Judged on every topic the feedback rules find, not only the three points on screen: a point that
merely fell below the top three is not "fixed".
"""

from __future__ import annotations

from dataclasses import dataclass

from app.analysis.analyze import Analysis, every_point
from app.analysis.feedback import TOPIC, Point
from app.analysis.types import STAR, Label


@dataclass(frozen=True)
class SectionChange:
    section: Label
    before: float  # seconds
    after: float


@dataclass(frozen=True)
class Progress:
    fixed: tuple[Point, ...]  # the last attempt's points whose topic no rule finds any more
    still: tuple[Point, ...]  # this attempt's points that the last one had too
    new: tuple[Point, ...]  # this attempt's points the last one did not have
    sections: tuple[SectionChange, ...]  # STAR sections told in either attempt, in story order
    total_before: float
    total_after: float


def _topic(p: Point) -> str:
    return TOPIC.get(p.rule, p.rule)


def since_last(previous: Analysis, current: Analysis) -> Progress:
    before = every_point(previous)
    now_topics = {_topic(p) for p in every_point(current)}
    before_topics = {_topic(p) for p in before}
    fixed = tuple(p for p in before if _topic(p) not in now_topics)
    shown = current.points
    sections = tuple(
        SectionChange(s, previous.timing.sections[s].seconds, current.timing.sections[s].seconds)
        for s in STAR
        if previous.timing.sections[s].present or current.timing.sections[s].present
    )
    return Progress(
        fixed=fixed,
        still=tuple(p for p in shown if _topic(p) in before_topics),
        new=tuple(p for p in shown if _topic(p) not in before_topics),
        sections=sections,
        total_before=previous.timing.total_seconds,
        total_after=current.timing.total_seconds,
    )
