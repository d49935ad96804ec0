"""The follow-up questions an interviewer would ask after an answer, and which one to ask.

A real Amazon interviewer digs into every answer. Each rule below has a trigger (what in the analysis,
or which of the question's Leadership Principles, makes it fire), its wording, and what a reply must
give (`asks_for`, judged by app.followups.judge). Rules on the analysis fire exactly when the feedback
names the same gap (the feedback's own rule names are the trigger), so a follow-up never asks for
something the feedback praised. Principle rules dig where the answer had no gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.analysis.analyze import Analysis, every_rule
from app.bank.questions import Question
from app.followups.asks import ASK_KINDS as ASK_KINDS
from app.followups.asks import ASKS as ASKS
from app.followups.asks import Ask as Ask
from app.followups.dig import DIGS, key_clause


@dataclass(frozen=True)
class Rule:
    id: str
    trigger: str  # in words, for the table, the command line and the screen's tooltip
    wording: str  # what the interviewer says aloud
    asks_for: Ask
    feedback_rules: frozenset[str] = frozenset()  # fires when the feedback names one of these
    principle: str | None = None  # or when the question exercises this principle


def _gap(rule_id: str, trigger: str, wording: str, asks: Ask, *rules: str) -> Rule:
    return Rule(rule_id, trigger, wording, asks, feedback_rules=frozenset(rules))


def _lp(rule_id: str, principle: str, wording: str, asks: Ask) -> Rule:
    return Rule(rule_id, f"the question exercises {principle}", wording, asks, principle=principle)


# Gaps first, most important first (the feedback's own order); then one per Leadership Principle.
RULES: tuple[Rule, ...] = (
    _gap(
        "outcome", "no result, or an unclear one", "How did it turn out in the end?", "outcome",
        "missing_result", "unclear_result",
    ),
    _gap(
        "own_part", "\u201cwe\u201d more than \u201cI\u201d in the action",
        "You said \u201cwe\u201d a lot. What was your own part? What did you do yourself?", "own_part",
        "we_not_i",
    ),
    _gap(
        "responsibility", "no task, or an unclear one",
        "What exactly were you responsible for in that situation?", "task",
        "missing_task", "unclear_task",
    ),
    _gap(
        "measure", "a result without a number", "How did you measure the impact? What changed, in numbers?",
        "number", "unquantified_result",
    ),
    _gap(
        "lesson", "no lesson, or an unclear one", "Looking back, what would you do differently?", "lesson",
        "missing_reflection", "unclear_reflection",
    ),
    _lp(
        "lp_customer", "Customer Obsession",
        "Who was the customer here, and how did you find out what they needed?", "customer",
    ),
    _lp("lp_ownership", "Ownership", "What did you take on that was not strictly your job?", "own_part"),
    _lp(
        "lp_simplify", "Invent and Simplify", "What made your solution simpler than the obvious one?",
        "own_part",
    ),
    _lp("lp_right", "Are Right, A Lot", "How did you check you were right before you committed?", "evidence"),
    _lp("lp_curious", "Learn and Be Curious", "What did you have to learn, and how did you learn it?", "learning"),
    _lp(
        "lp_develop", "Hire and Develop the Best", "How did the person you helped do afterwards?", "outcome",
    ),
    _lp(
        "lp_standards", "Insist on the Highest Standards",
        "What standard did you hold to that others might have let slip?", "own_part",
    ),
    _lp("lp_big", "Think Big", "How did this change things beyond the problem in front of you?", "outcome"),
    _lp(
        "lp_action", "Bias for Action",
        "What did you decide before you had all the information, and why was that safe?", "own_part",
    ),
    _lp("lp_frugal", "Frugality", "What did you do without, and what did that save?", "number"),
    _lp("lp_trust", "Earn Trust", "How did you know the other person trusted you afterwards?", "evidence"),
    _lp("lp_dive", "Dive Deep", "Walk me through the data that told you what was wrong.", "data"),
    _lp(
        "lp_backbone", "Have Backbone; Disagree and Commit",
        "What exactly did you say when you disagreed, and what happened next?", "own_part",
    ),
    _lp(
        "lp_deliver", "Deliver Results",
        "What was the biggest obstacle to delivering, and how did you get past it?", "own_part",
    ),
    _lp(
        "lp_employer", "Strive to be Earth's Best Employer",
        "How did the people on your team find the change?", "outcome",
    ),
    _lp(
        "lp_scale", "Success and Scale Bring Broad Responsibility",
        "Who else could this have affected, and how did you look after them?", "own_part",
    ),
)  # fmt: skip
# Follow-ups on what was said (app.followups.dig): asked when the answer has no gap to ask about first.
DIG_RULES: tuple[Rule, ...] = tuple(
    Rule(d.id, f"the answer's own {d.section}", d.template, d.asks_for) for d in DIGS
)
BY_ID = {r.id: r for r in (*RULES, *DIG_RULES)}


def dig_wording(rule_id: str, said: str) -> str:
    return next(d for d in DIGS if d.id == rule_id).wording(said)


def _dig(analysis: Analysis, question: Question | None) -> FollowUp | None:
    """One follow-up on the answer's own action or result, varied from answer to answer."""
    import zlib

    found = [(d, key_clause(analysis.sentences, d.section)) for d in DIGS]
    usable = [(d, c) for d, c in found if c]
    if not usable:
        return None
    seed = f"{question.id if question else ''} {usable[0][1]}"
    d, clause = usable[zlib.crc32(seed.encode()) % len(usable)]
    return FollowUp(BY_ID[d.id], f"Asked about what you said: \u201c{clause}\u201d.", clause or "")


@dataclass(frozen=True)
class FollowUp:
    rule: Rule
    reason: str  # why this one, for this answer
    said: str = ""  # the answer's own clause it asks about (follow-ups on what was said)

    @property
    def text(self) -> str:
        return dig_wording(self.rule.id, self.said) if self.said else self.rule.wording

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule.id,
            "question": self.rule.wording,
            "asks_for": self.rule.asks_for,
            "trigger": self.rule.trigger,
            "reason": self.reason,
            "said": self.said,
        }


def choose(analysis: Analysis, question: Question | None, limit: int = 1) -> list[FollowUp]:
    """At most `limit` follow-ups for this answer, the most useful first, never two asking for the
    same thing."""
    if limit <= 0 or not analysis.sentences:
        return []
    gaps = every_rule(analysis)
    principles: Sequence[str] = question.principles if question else ()
    chosen: list[FollowUp] = []
    gap_rules = [r for r in RULES if r.feedback_rules]
    if not any(r.feedback_rules & gaps for r in gap_rules):
        dig = _dig(analysis, question)
        if dig is not None:
            chosen.append(dig)
            if len(chosen) >= limit:
                return chosen
    for rule in RULES:
        if rule.feedback_rules & gaps:
            reason = f"Asked because the answer had {rule.trigger}."
        elif rule.principle is not None and rule.principle in principles:
            reason = f"Asked because {rule.trigger}."
        else:
            continue
        if any(c.rule.asks_for == rule.asks_for for c in chosen):
            continue
        chosen.append(FollowUp(rule, reason))
        if len(chosen) >= limit:
            break
    return chosen
