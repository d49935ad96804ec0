"""One function per feedback rule: given the measured answer and the rule's own row (its threshold
and wording, app.analysis.feedback.RULES), the point it makes, or None. The functions hold no figure
or sentence of their own, so a rule's threshold and words are read in one place, its row."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from app.analysis.delivery import Delivery
from app.analysis.heard import heard_clearly, unsure_in
from app.analysis.point import Point
from app.analysis.sections import SectionFinding
from app.analysis.sound import Sound
from app.analysis.timing import ACTION_GUIDE_MIN, SETUP_GUIDE_MAX, Timing, clock
from app.analysis.types import Sentence

# Shares of the answer (the guide bounds: app/analysis/timing.py). The bank's own reference answers, at
# any pace, spend 24-41 % (median 33 %) on the action and 21-34 % (median 28 %) on situation and task. A
# point is given only where the answer is beyond both the guide bound and its question's own reference
# answer, by a margin (the rule's threshold), so no reference answer would get it.
BANK_REFERENCE_ACTION_MIN = 0.24  # for an answer with no question: the lowest reference answer
BANK_REFERENCE_SETUP_MAX = 0.34
# What each section is for, said where it is missing or unclear.
ADVICE = {
    "result": "End with what came of it: the outcome, in numbers if you can (time saved, %, money, people helped).",
    "action": "Say what you did, step by step, with \u201cI\u201d: the action is most of a strong answer.",
    "situation": "Open with one or two sentences of context: where you were, what was at stake.",
    "task": "Say what you were responsible for, or what had to be achieved, before the actions.",
    "reflection": "Close with one sentence on what you learned or would do differently.",
}
PLURAL = {"action": "actions", "result": "results"}
# An unclear section with no sentence that comes close (the unclear rules' wording quotes one).
UNHEARD = "The app did not clearly hear a {section}. {advice}"


class Row(Protocol):
    """The parts of a rule's row a check reads."""

    @property
    def id(self) -> str: ...
    @property
    def threshold(self) -> float: ...
    @property
    def wording(self) -> str: ...


def quote(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class Answer:
    """The measured answer every check and praise reads."""

    sentences: Sequence[Sentence]
    findings: Sequence[SectionFinding]
    order_problems: Sequence[tuple[int, str]]
    timing: Timing
    delivery: Delivery
    cut_off: bool = False
    off_topic: str | None = None  # what the question asks for, when the answer seems not to have it
    no_event: bool = False  # a role or a habit described, no one time told
    sound: Sound | None = None

    def rel(self, t: float) -> float:
        """Seconds into the answer, from its first sentence."""
        return t - (self.sentences[0].start if self.sentences else 0.0)

    @functools.cached_property
    def state(self) -> dict[str, SectionFinding]:
        return {f.section: f for f in self.findings}


Check = Callable[[Answer, Row], Point | None]


def no_event(a: Answer, rule: Row) -> Point | None:
    return Point(rule.id, rule.wording) if a.no_event else None


def off_topic(a: Answer, rule: Row) -> Point | None:
    return Point(rule.id, rule.wording.format(asked=a.off_topic)) if a.off_topic else None


def missing(a: Answer, rule: Row) -> Point | None:
    section = rule.id.removeprefix("missing_")
    finding = a.state.get(section)
    if finding is None or finding.state != "missing":
        return None
    return Point(rule.id, rule.wording.format(section=section, advice=ADVICE[section]))


def unclear(a: Answer, rule: Row) -> Point | None:
    """A section the app is unsure of, with the sentence that comes closest when there is one."""
    section = rule.id.removeprefix("unclear_")
    finding = a.state.get(section)
    if finding is None or finding.state in ("present", "missing"):
        return None
    if finding.closest is None or finding.closest >= len(a.sentences):  # no sentence to point at
        return Point(rule.id, UNHEARD.format(section=section, advice=ADVICE[section]))
    near = a.sentences[finding.closest]
    said = quote(near.text, 60).rstrip(".!?")
    message = rule.wording.format(section=section, said=said, advice=ADVICE[section])
    return Point(rule.id, message, at=a.rel(near.start), quote=quote(near.text))


def cut_off(a: Answer, rule: Row) -> Point | None:
    if not a.cut_off:
        return None
    limit = a.timing.target_seconds
    return Point(rule.id, rule.wording.format(limit=clock(limit)), at=limit)


LONGEST_S = 180  # 3 minutes and over is too long for Amazon, whatever the target (notes/FINDINGS.md)


def too_long(a: Answer, rule: Row) -> Point | None:
    t = a.timing
    if a.cut_off or not (t.total_seconds >= LONGEST_S or t.over_target_s > rule.threshold):
        return None
    message = rule.wording.format(
        took=clock(t.total_seconds), over=int(t.over_target_s), target=clock(t.target_seconds)
    )
    return Point(rule.id, message, at=t.target_seconds)


def too_short(a: Answer, rule: Row) -> Point | None:
    t = a.timing  # cut off or too long as well: those rules come first in the same topic
    if not (t.total_seconds < rule.threshold and a.sentences):
        return None
    return Point(rule.id, rule.wording.format(took=clock(t.total_seconds)))


def _first_action(a: Answer) -> Sentence | None:
    return next((s for s in a.sentences if s.section == "action"), None)


def long_setup(a: Answer, rule: Row) -> Point | None:
    """Only the set-up told before the first action delays the actions; a task remembered late is the
    order rule's point, not this one's."""
    ref = a.timing.reference_shares
    margin = rule.threshold
    setup_max = max(SETUP_GUIDE_MAX, (ref["situation"] + ref["task"]) if ref else BANK_REFERENCE_SETUP_MAX)
    first = _first_action(a)
    share = a.timing.setup_share
    if first is not None and a.timing.total_seconds > 0:
        share = min(share, (first.start - a.sentences[0].start) / a.timing.total_seconds)
    if share <= setup_max + margin:
        return None
    return Point(
        rule.id,
        rule.wording.format(share=share, aim=setup_max),
        at=a.rel(first.start) if first else None,
        quote=quote(first.text) if first else "",
    )


def short_action(a: Answer, rule: Row) -> Point | None:
    ref = a.timing.reference_shares
    action_min = min(ACTION_GUIDE_MIN, ref["action"] if ref else BANK_REFERENCE_ACTION_MIN)
    action = a.timing.sections["action"]
    if not (action.present and action.share < action_min - rule.threshold):
        return None
    return Point(rule.id, rule.wording.format(share=action.share, aim=action_min))


def unquantified_result(a: Answer, rule: Row) -> Point | None:
    results = [s for s in a.sentences if s.section == "result"]
    if not results or a.delivery.quantified:
        return None
    return Point(rule.id, rule.wording, at=a.rel(results[0].start), quote=quote(results[0].text))


def we_not_i(a: Answer, rule: Row) -> Point | None:
    d = a.delivery
    if not (d.action_we_count > d.action_i_count and d.action_we_count >= rule.threshold):
        return None
    first_we = next(
        (s for s in a.sentences if s.section == "action" and " we " in f" {s.text.lower()} "), None
    )
    return Point(
        rule.id,
        rule.wording.format(we=d.action_we_count, i=d.action_i_count),
        at=a.rel(first_we.start) if first_we else None,
        quote=quote(first_we.text) if first_we else "",
    )


def fillers(a: Answer, rule: Row) -> Point | None:
    d = a.delivery
    per_minute = d.fillers_per_minute or 0.0
    if not (
        d.filler_count and ((d.fillers_per_100_words or 0.0) > rule.threshold or per_minute > rule.threshold)
    ):
        return None
    kinds = ", ".join(
        f"\u201c{k}\u201d \u00d7{n}" for k, n in sorted(d.filler_counts().items(), key=lambda kv: -kv[1])[:3]
    )
    low = " (at least: the transcriber drops many \u201cum\u201ds)" if d.fillers_lower_bound else ""
    first = d.fillers[0]
    message = rule.wording.format(n=d.filler_count, low=low, per_minute=per_minute, kinds=kinds)
    return Point(rule.id, message, at=a.rel(first.start), quote=first.text)


def long_pauses(a: Answer, rule: Row) -> Point | None:
    d = a.delivery
    if d.long_pause_count < rule.threshold:
        return None
    p = d.pauses[0]
    message = rule.wording.format(n=d.long_pause_count, first=p.seconds, before=p.before)
    return Point(rule.id, message, at=a.rel(p.start))


# Pace, words a minute: one source for the praise and the advice (174 was "comfortable" while 177
# was told "slow down to 130-160"). Comfortable 130-160 (notes/FINDINGS.md); only clear outliers get
# a point (the fast and slow rules' thresholds).
PACE_COMFORTABLE = (130, 160)


def fast(a: Answer, rule: Row) -> Point | None:
    wpm = a.delivery.wpm or 0.0
    if not (a.delivery.timed and wpm > rule.threshold):
        return None
    return Point(
        rule.id, rule.wording.format(wpm=wpm, slowest=PACE_COMFORTABLE[0], fastest=PACE_COMFORTABLE[1])
    )


def slow(a: Answer, rule: Row) -> Point | None:
    wpm = a.delivery.wpm or 0.0
    if not (a.delivery.timed and 0 < wpm < rule.threshold):
        return None
    return Point(
        rule.id, rule.wording.format(wpm=wpm, slowest=PACE_COMFORTABLE[0], fastest=PACE_COMFORTABLE[1])
    )


def speeding_up(a: Answer, rule: Row) -> Point | None:
    d = a.delivery
    first, last = d.first_third_wpm, d.last_third_wpm
    if not (first and last and last > first * (1 + rule.threshold)):
        return None
    at = a.rel(d.drift_at) if d.drift_at is not None else None
    return Point(rule.id, rule.wording.format(first=first, last=last), at=at)


def order(a: Answer, rule: Row) -> Point | None:
    if not a.order_problems:
        return None
    index, problem = a.order_problems[0]
    s = a.sentences[index]
    early, _, late = problem.partition(" after ")
    message = rule.wording.format(early=early, late=PLURAL.get(late, late))
    return Point(rule.id, message, at=a.rel(s.start), quote=quote(s.text))


def hedging(a: Answer, rule: Row) -> Point | None:
    d = a.delivery
    if d.hedge_count < rule.threshold:
        return None
    h = d.hedges[0]
    return Point(rule.id, rule.wording.format(n=d.hedge_count, first=h.text), at=a.rel(h.start), quote=h.text)


# How it sounded (app.analysis.sound): measured from the recording after Stop.
def monotone(a: Answer, rule: Row) -> Point | None:
    if a.sound is None or not a.sound.monotone:
        return None
    start, end = a.sound.monotone[0]
    return Point(
        rule.id, rule.wording.format(start=clock(a.rel(start)), end=clock(a.rel(end))), at=a.rel(start)
    )


def fading(a: Answer, rule: Row) -> Point | None:
    db = a.sound.fade_db if a.sound is not None else None
    if db is None or db < rule.threshold:
        return None
    return Point(rule.id, rule.wording.format(db=db))


def quieter(a: Answer, rule: Row) -> Point | None:
    s = a.sound
    if s is None or s.quieter_db is None or s.quieter_db < rule.threshold:
        return None
    return Point(
        rule.id,
        rule.wording.format(db=s.quieter_db),
        at=a.rel(s.quieter_at) if s.quieter_at is not None else None,
    )


# ---------------------------------------------------------------- what went well

# When praising a quantified result, quote the most telling number: a percentage or a sum of money
# says more than a bare "two".
TELLING = ("percent", "money", "multiple", "time", "number")
MOSTLY_ACTION = 0.45  # "most of the answer was about what you did" from this share of the answer on


def quantified(a: Answer) -> str | None:
    """The most telling number that was heard clearly; if none was, the app says what it heard as such."""
    d = a.delivery
    if not (d.quantified and d.quantities):
        return None
    q = min(
        d.quantities,
        key=lambda e: (
            not heard_clearly(e.text, unsure_in(a.sentences, e.start, e.end)),
            TELLING.index(e.kind) if e.kind in TELLING else len(TELLING),
            -len(e.text),
        ),
    )
    clear = heard_clearly(q.text, unsure_in(a.sentences, q.start, q.end))
    return f"Quantified result: {'' if clear else 'it sounded like '}\u201c{q.text}\u201d."
