"""An answer's grade for the practice schedule, from its analysis, on FSRS's four-point scale.

The person can set another grade for any attempt (History, or `python main.py grade`); theirs wins.
The grade follows what matters in the interview, the STAR verdicts and the one-event check, so it
never disagrees with the screen; how it was said (length, pace, set-up, fillers, pauses) is feedback
to practise, never a reason on its own to call a well-built answer Hard:
- Again: a Situation, Task, Action or Result missing, or the answer cut off at the limit;
- Hard: one of them unclear, told out of order, a role described in general instead of one time told,
  or an answer to another question;
- Good: a complete story with something to add (an "I", a number, a lesson) or to say better;
- Easy: a complete story of a good length, with at most one point on its delivery (pace, fillers…).
Checked on the bank's 36 reference answers read at 150 words a minute (all Good or Easy) and on the
labeller's blind real-register answers with a section left out or no one event (all Again or Hard).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from app.analysis.types import STAR

if TYPE_CHECKING:
    from app.analysis.analyze import Analysis

Grade = Literal[1, 2, 3, 4]
AGAIN: Grade = 1
HARD: Grade = 2
GOOD: Grade = 3
EASY: Grade = 4
GRADE_NAMES: dict[int, str] = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
GRADE_BY_NAME: dict[str, Grade] = {"again": 1, "hard": 2, "good": 3, "easy": 4}
ALWAYS_AGAIN = frozenset({"cut_off"})
AT_LEAST_HARD = frozenset({"order", "no_event", "off_topic"})
# How it was said: points to practise, not a weak story. Length and balance make it Good at best;
# one of the rest (pace, fillers, pauses, hedges) still leaves it Easy.
SHAPE = frozenset({"too_short", "too_long", "long_setup", "short_action"})
DELIVERY = SHAPE | frozenset(
    {"fast", "slow", "speeding_up", "fillers", "long_pauses", "hedging", "monotone", "fading", "quieter"}
)
STORY = tuple(s for s in STAR if s != "reflection")  # the four a story cannot do without
EASY_DELIVERY_AT_MOST = 1


def grade_of(analysis: Analysis) -> Grade:
    from app.analysis.analyze import every_rule

    rules = every_rule(analysis)
    if any(s in STORY for s in analysis.missing) or rules & ALWAYS_AGAIN:
        return AGAIN
    if any(f.section in STORY for f in analysis.unclear) or rules & AT_LEAST_HARD:
        return HARD
    content = rules - DELIVERY
    if content or rules & SHAPE or len(rules & DELIVERY) > EASY_DELIVERY_AT_MOST:
        return GOOD
    return EASY
