"""A mock loop: which questions to ask (different Leadership Principles), and the report at the end
(each answer's structure, timing and follow-ups, the principles shown, the time used, the three
things to work on first). The report is plain JSON data, saved with the loop, shown by the app,
printed by `python main.py loop-report`, and written as HTML (the app prints that to PDF)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from app.analysis.analyze import Analysis, every_rule
from app.analysis.feedback import PRIORITY, TOPIC
from app.analysis.timing import clock
from app.bank.questions import Question, principle_list
from app.schedule.grades import GRADE_NAMES, grade_of

LOOP_SIZES = (2, 3, 4, 5, 6)
DEFAULT_QUESTIONS, DEFAULT_MINUTES = 4, 45


def draw_questions(questions: Sequence[Question], n: int, seed: int | None = None) -> list[Question]:
    """`n` questions that together cover as many different principles as they can, as an interviewer
    aiming at a few principles each would: each pick adds the most principles not yet covered (ties
    broken at random, so two loops differ)."""
    rng = random.Random(seed)
    pool = list(questions)
    rng.shuffle(pool)
    chosen: list[Question] = []
    covered: set[str] = set()
    while pool and len(chosen) < n:
        best = max(pool, key=lambda q: len(set(q.principles) - covered))
        chosen.append(best)
        covered |= set(best.principles)
        pool.remove(best)
    return chosen


@dataclass(frozen=True)
class LoopAnswer:
    """One question of the loop as the report needs it."""

    question: Question
    analysis: Analysis | None  # None: skipped, or nothing was heard
    attempt_id: int | None
    follow_ups: tuple[tuple[str, bool, str], ...] = ()  # (asked, gave what was asked, verdict)
    story: str | None = None  # the story it told, when known


def build_report(
    answers: Sequence[LoopAnswer], minutes: int, used_s: float, started_at: str
) -> dict[str, Any]:
    """The loop's report as JSON data (its shape is the `loop-report --json` output)."""
    rows = []
    rules: Counter[str] = Counter()
    messages: dict[str, str] = {}
    shown: set[str] = set()
    for a in answers:
        row: dict[str, Any] = {
            "question": a.question.id,
            "text": a.question.question,
            "principles": list(a.question.principles),
            "attempt": a.attempt_id,
            "story": a.story,
            "follow_ups": [{"asked": q, "gave": g, "verdict": v} for q, g, v in a.follow_ups],
        }
        if a.analysis is None:
            rows.append({**row, "answered": False})
            continue
        an = a.analysis
        shown |= set(a.question.principles) | set(an.delivery.principles)
        for p in an.points:
            messages.setdefault(p.rule, p.message)
        rules.update(every_rule(an))
        rows.append(
            {
                **row,
                "answered": True,
                "seconds": round(an.timing.total_seconds, 1),
                "target_seconds": an.timing.target_seconds,
                "sections": {s: round(t.seconds, 1) for s, t in an.timing.sections.items() if t.present},
                "missing": list(an.missing),
                "unclear": [f.section for f in an.unclear],
                "grade": GRADE_NAMES[grade_of(an)],
                "points": [p.message for p in an.points],
            }
        )
    stories = Counter(a.story for a in answers if a.story)
    return {
        "started_at": started_at,
        "minutes": minutes,
        "used_seconds": round(used_s, 1),
        "answers": rows,
        "principles_shown": sorted(shown),
        "work_on": _work_on(rules, messages),
        "repeated_stories": [s for s, n in stories.items() if n > 1],
    }


def _work_on(rules: Counter[str], messages: dict[str, str], n: int = 3) -> list[str]:
    """The three things to work on first: what the most answers got, the more important first, one per
    topic."""
    order = sorted(rules, key=lambda r: (-rules[r], PRIORITY.get(r, 99)))
    said: set[str] = set()
    out = []
    for rule in order:
        topic = TOPIC.get(rule, rule)
        if topic in said or rule not in messages:
            continue
        said.add(topic)
        # The message quotes one answer's figures: with several, say so rather than let it stand for all.
        out.append(
            f"In {rules[rule]} of your answers, for example: {messages[rule]}"
            if rules[rule] > 1
            else messages[rule]
        )
        if len(out) == n:
            break
    return out


def report_lines(report: dict[str, Any]) -> list[str]:
    """The report as plain text lines (the command line)."""
    lines = [
        f"Mock loop of {len(report['answers'])} questions, {clock(report['used_seconds'])} of {report['minutes']} min",
    ]
    for i, a in enumerate(report["answers"], 1):
        lines.append(f"\n{i}. {a['text']}")
        if not a["answered"]:
            lines.append("   not answered")
            continue
        state = ", ".join(f"{s} missing" for s in a["missing"]) or "all sections heard"
        lines.append(
            f"   {clock(a['seconds'])} (target {clock(a['target_seconds'])}); {state}; grade {a['grade']}"
        )
        if a["story"]:
            lines.append(f"   story: {a['story']}")
        for f in a["follow_ups"]:
            lines.append(f"   follow-up: {f['asked']} -> {'gave it' if f['gave'] else 'not given'}")
    lines.append("\nPrinciples shown: " + (principle_list(report["principles_shown"]) or "none"))
    if report["repeated_stories"]:
        lines.append("One story for several questions: " + ", ".join(report["repeated_stories"]))
    lines.append("Work on first:")
    lines += [f"  {i}. {w}" for i, w in enumerate(report["work_on"], 1)] or ["  nothing stood out"]
    return lines


def report_html(report: dict[str, Any]) -> str:
    """The report as one HTML page (export, and what the app prints to PDF)."""
    parts = [
        "<html><head><meta charset='utf-8'><title>STAR Coach mock loop</title></head><body>",
        f"<h1>Mock loop</h1><p>{len(report['answers'])} questions; {clock(report['used_seconds'])} used of "
        f"{report['minutes']} minutes.</p>",
        "<h2>Work on first</h2><ol>",
        *(f"<li>{escape(w)}</li>" for w in report["work_on"]),
        "</ol>",
    ]
    if report["repeated_stories"]:
        parts.append(
            "<p><b>One story for several questions:</b> "
            + escape(", ".join(report["repeated_stories"]))
            + "</p>"
        )
    parts.append("<h2>Answers</h2>")
    for i, a in enumerate(report["answers"], 1):
        parts.append(
            f"<h3>{i}. {escape(a['text'])}</h3><p>Principles: {escape(principle_list(a['principles']))}</p>"
        )
        if not a["answered"]:
            parts.append("<p>Not answered.</p>")
            continue
        sections = ", ".join(f"{escape(s.title())} {clock(t)}" for s, t in a["sections"].items())
        parts.append(
            f"<p>Length {clock(a['seconds'])} (target {clock(a['target_seconds'])}); grade {a['grade']}<br>"
            f"Sections: {sections}<br>Missing: {escape(', '.join(a['missing']) or 'none')}"
            + (f"<br>Story: {escape(a['story'])}" if a["story"] else "")
            + "</p>"
        )
        if a["follow_ups"]:
            parts.append("<ul>")
            parts += [
                f"<li>{escape(f['asked'])} — {'gave it' if f['gave'] else 'not given'}: {escape(f['verdict'])}</li>"
                for f in a["follow_ups"]
            ]
            parts.append("</ul>")
    parts.append(
        f"<p>Principles shown: {escape(principle_list(report['principles_shown']) or 'none')}</p></body></html>"
    )
    return "\n".join(parts)
