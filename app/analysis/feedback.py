"""At most three things to change next time, most important first, each with its evidence; and what
went well. Every point comes from a rule with a name, so the person (and a test) can see why.

The rules are one table, `RULES`: each row is a rule's name, its topic (rules about the same thing:
only the most important is said), its priority, its threshold and its wording; its function
(app.analysis.feedback_checks) decides, from the row, whether it fires and fills in the wording.
Adding a rule is one row and one function.

Thresholds from notes/FINDINGS.md: answers of 1-2 minutes (3+ is too long for Amazon); 130-160 wpm
comfortable, under 110 slow, over 175 fast; fillers over ~4 % of words are a problem; pauses over
2 s stand out; Amazon wants "I" in the action, a quantified result and a lesson.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.analysis import feedback_checks as check
from app.analysis.delivery import Delivery
from app.analysis.feedback_checks import PACE_COMFORTABLE as PACE_COMFORTABLE
from app.analysis.feedback_checks import Answer
from app.analysis.point import Point as Point
from app.analysis.sections import SectionFinding
from app.analysis.sound import FADE_DB, QUIETER_DB, Sound
from app.analysis.timing import Timing, clock
from app.analysis.types import STAR, Sentence

# At most three points, one per topic, the most important first: an 11-second answer got five, two of
# them about its missing action, and its length came third.
MAX_POINTS = 3
NO_THRESHOLD = 0.0  # the rule fires on what was found, with no figure to pass


@dataclass(frozen=True)
class FeedbackRule:
    id: str
    topic: str  # rules about the same thing: only the first (most important) is said
    priority: int  # lower first
    threshold: float  # the figure the rule fires beyond (its function says which side)
    wording: str  # what the person reads, with the answer's own figures filled in
    check: Callable[[Answer, FeedbackRule], Point | None]


def _row(
    rule_id: str,
    priority: int,
    wording: str,
    fires: Callable[[Answer, FeedbackRule], Point | None],
    threshold: float = NO_THRESHOLD,
    topic: str | None = None,
) -> FeedbackRule:
    return FeedbackRule(rule_id, topic or rule_id, priority, threshold, wording, fires)


_MISSING = "No {section} heard. {advice}"
_UNCLEAR = "Your {section} was not clear; it may be in \u201c{said}\u201d. If so, say it plainly. {advice}"
# Most important first: a missing part of the story, then length, then what Amazon listens for
# ("I", numbers, a lesson), then balance and order, then delivery. Equal priorities never fire together.
RULES: tuple[FeedbackRule, ...] = (
    _row(  # a role described in general: no STAR advice helps until one time is told
        "no_event", 4,
        "This sounds like what you usually do in the role, not one time it happened. Tell one time: "
        "what happened, when, what you did, and how it turned out.",
        check.no_event,
    ),
    _row(  # an answer to another question: the rest matters less until it answers this one
        "off_topic", 5,
        "This answer may not be about what the question asks. It asks about {asked}, and the app "
        "did not hear one. If your story has it, say it plainly; if not, choose a story that does.",
        check.off_topic,
    ),
    _row("missing_result", 10, _MISSING, check.missing),
    _row("missing_action", 11, _MISSING, check.missing, topic="action"),
    # unsure of a section: right after the missing ones, it is still structure
    _row("unclear_result", 12, _UNCLEAR, check.unclear),
    _row("unclear_action", 13, _UNCLEAR, check.unclear, topic="action"),
    _row("missing_situation", 20, _MISSING, check.missing),
    _row("missing_task", 21, _MISSING, check.missing),
    _row(  # a section told late is found, and said as such, instead of "no task heard"
        "order", 22,
        "Your {early} came after your {late}. Say your {early} before your {late}: situation, task, "
        "action, result.",
        check.order,
    ),
    _row("unclear_situation", 23, _UNCLEAR, check.unclear),
    _row("unclear_task", 24, _UNCLEAR, check.unclear),
    _row(  # a hard stop is said as such, not praised as "on target"
        "cut_off", 30,
        "The answer was cut off at your {limit} limit. Practise a shorter version: one or two sentences "
        "of setup, then straight to what you did.",
        check.cut_off, topic="length",
    ),
    _row(  # seconds over the target (or 3 minutes and more, whatever the target)
        "too_long", 30,
        "The answer took {took}, {over} s over your {target} target. Cut the setup and keep one example "
        "per action.",
        check.too_long, threshold=30, topic="length",
    ),
    _row(  # seconds
        "too_short", 31,
        "The answer took only {took}. Aim for 1\u20132 minutes: add what you did and what changed.",
        check.too_short, threshold=60, topic="length",
    ),
    _row(  # "we" said at least this often, and more than "I", in the action
        "we_not_i", 40,
        "In the action you said \u201cwe\u201d {we} times and \u201cI\u201d {i} times. Say what you "
        "yourself did.",
        check.we_not_i, threshold=2, topic="action",
    ),
    _row(
        "unquantified_result", 41,
        "The result has no number in it. Say how much changed: a percentage, time or money saved, people "
        "affected.",
        check.unquantified_result,
    ),
    _row("missing_reflection", 45, _MISSING, check.missing),
    _row("unclear_reflection", 46, _UNCLEAR, check.unclear),
    _row(  # beyond both the guide's share and the reference answer's, by this margin
        "long_setup", 50,
        "The set-up before your first action took {share:.0%} of the answer (aim for at most {aim:.0%}). "
        "Get to your actions sooner.",
        check.long_setup, threshold=0.05, topic="setup",
    ),
    _row(  # below both the guide's share and the reference answer's, by this margin
        "short_action", 51,
        "Actions were only {share:.0%} of the answer (aim for at least {aim:.0%}). Describe two or three "
        "concrete steps you took and why.",
        check.short_action, threshold=0.05, topic="action",
    ),
    _row(  # fillers per 100 words, or per minute
        "fillers", 60,
        "{n} filler words{low}, {per_minute:.1f} a minute: {kinds}. Pause silently instead.",
        check.fillers, threshold=4,
    ),
    _row(  # pauses over 2 s (app.analysis.delivery), at least this many
        "long_pauses", 61,
        "{n} pauses over 2 s, the first {first:.1f} s after \u201c{before}\u201d. Prepare the order of "
        "your story so you do not lose the thread.",
        check.long_pauses, threshold=2,
    ),
    _row(  # words a minute
        "fast", 62, "You spoke at {wpm:.0f} words a minute; slow down to {slowest}\u2013{fastest}.",
        check.fast, threshold=175, topic="pace",
    ),
    _row(  # words a minute
        "slow", 62, "You spoke at {wpm:.0f} words a minute; {slowest}\u2013{fastest} sounds confident.",
        check.slow, threshold=110, topic="pace",
    ),
    # The last third of the words this much faster than the first (Speaker Coach's kind of advice;
    # issue 26 asks for 25 %). On the clips made for it the steady ones drift by under 10 %. Its own
    # topic: fast overall and speeding up are two things to hear.
    _row(
        "speeding_up", 63,
        "You sped up: {first:.0f} words a minute in the first third, {last:.0f} in the last. Keep the "
        "pace of your opening through to the result.",
        check.speeding_up, threshold=0.25, topic="pace_drift",
    ),
    _row(  # app.analysis.sound measures the stretches (its MONOTONE_BELOW)
        "monotone", 64,
        "Your voice stayed on one note from {start} to {end}. Let it rise and fall: lift the words that "
        "matter, such as the result and its number.",
        check.monotone, topic="voice",
    ),
    _row(  # dB quieter at the ends of sentences
        "fading", 65,
        "Your voice fades at the ends of sentences (about {db:.0f} dB quieter). Keep the last words as "
        "strong as the first: they often carry the result.",
        check.fading, threshold=FADE_DB, topic="voice",
    ),
    _row(  # dB, the last third against the first
        "quieter", 66,
        "The answer got quieter as it went on ({db:.0f} dB from the first third to the last). Keep your "
        "voice up to the end.",
        check.quieter, threshold=QUIETER_DB, topic="voice",
    ),
    _row(  # hedges ("I think", "maybe"…), at least this many
        "hedging", 70, "{n} hedges (\u201c{first}\u201d\u2026). Say what you did and decided plainly.",
        check.hedging, threshold=3,
    ),
)  # fmt: skip
BY_ID = {r.id: r for r in RULES}
# Read by the follow-ups, the progress view and the loop report.
TOPIC = {r.id: r.topic for r in RULES}
PRIORITY = {r.id: r.priority for r in RULES}
LENGTH_TOPIC = "length"
# The length is praised only this close to the target, either side (the seconds over it that the
# too-long rule allows): "Length 1:04 against a 2:30 target" was listed under what went well.
ON_TARGET_WITHIN_S = BY_ID["too_long"].threshold


def _went_well(a: Answer, fired: set[str]) -> list[str]:
    """What went well, in the order the screen lists it; never beside a point on the same thing."""
    good: list[str] = []
    state = a.state
    if all(f.state == "present" for f in a.findings):
        good.append("All of Situation, Task, Action, Result and a reflection were there.")
    elif all(state[s].state == "present" for s in STAR[:4] if s in state):
        # Only sections the app is sure of: "Result were all there" beside "your result was not
        # clear" contradicted itself.
        good.append("Situation, Task, Action and Result were all there.")
    t = a.timing
    on_target = abs(t.total_seconds - t.target_seconds) <= ON_TARGET_WITHIN_S
    if on_target and not any(TOPIC[r] == LENGTH_TOPIC for r in fired):
        good.append(f"Length {clock(t.total_seconds)} against a {clock(t.target_seconds)} target.")
    share = t.sections["action"].share
    if "short_action" not in fired and share >= check.MOSTLY_ACTION:
        good.append(f"Most of the answer ({share:.0%}) was about what you did.")
    quantified = check.quantified(a)
    if quantified and "unquantified_result" not in fired:
        good.append(quantified)
    if "we_not_i" not in fired and a.delivery.action_i_count:
        good.append("You said what you did yourself (\u201cI\u201d in the action).")
    sure_of_lesson = "reflection" not in state or state["reflection"].state == "present"
    if sure_of_lesson and a.delivery.lesson_stated:  # never beside "your reflection was not clear"
        good.append("You closed with what you learned.")
    slowest, fastest = PACE_COMFORTABLE
    wpm = a.delivery.wpm or 0.0
    if a.delivery.timed and slowest <= wpm <= fastest:
        good.append(f"Comfortable pace: {wpm:.0f} words a minute.")
    return good


def feedback(
    sentences: Sequence[Sentence],
    findings: Sequence[SectionFinding],
    order_problems: Sequence[tuple[int, str]],
    timing: Timing,
    delivery: Delivery,
    cut_off: bool = False,
    limit: int | None = MAX_POINTS,
    off_topic: str | None = None,
    no_event: bool = False,
    sound: Sound | None = None,
) -> tuple[list[Point], list[str]]:
    """(points to work on, in order of importance, one per topic, at most `limit`; things that went
    well). `limit=None` gives every topic: what the follow-ups, the grade and a retry are judged on.
    `off_topic`: what the question asks for, when the answer seems not to have it
    (app.analysis.topic). `no_event`: the answer describes a role or a habit and tells no one time
    (app.analysis.one_event)."""
    answer = Answer(
        sentences, findings, order_problems, timing, delivery, cut_off, off_topic, no_event, sound
    )
    points = [p for rule in sorted(RULES, key=lambda r: r.priority) if (p := rule.check(answer, rule))]
    said: set[str] = set()
    kept: list[Point] = []
    for point in points:
        topic = TOPIC[point.rule]
        if topic not in said:
            said.add(topic)
            kept.append(point)
    return kept[:limit], _went_well(answer, {p.rule for p in points})
