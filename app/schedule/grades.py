"""An answer's grade for the practice schedule, from its analysis, on FSRS's four-point scale.

The person can set another grade for any attempt (History, or `python main.py grade`); theirs wins.
The rules follow what the feedback already says, so a grade never disagrees with the screen:
- Again: a section missing, or the answer cut off at the limit: tell it again soon;
- Hard: a section the app was unsure of, a section out of order, an answer far too short, a role
  described in general instead of one time told, or three or
  more things to change;
- Good: a complete answer with one or two things to change;
- Easy: a complete answer the feedback found nothing to change in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from app.analysis.analyze import Analysis

Grade = Literal[1, 2, 3, 4]
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
GRADE_NAMES: dict[int, str] = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
GRADE_BY_NAME: dict[str, Grade] = {"again": 1, "hard": 2, "good": 3, "easy": 4}
ALWAYS_AGAIN = frozenset({"cut_off"})
AT_LEAST_HARD = frozenset({"too_short", "order", "no_event"})
HARD_FROM = 3  # this many things to change make an answer Hard


def grade_of(analysis: Analysis) -> Grade:
    from app.analysis.analyze import every_rule

    rules = every_rule(analysis)
    if analysis.missing or rules & ALWAYS_AGAIN:
        return 1
    if analysis.unclear or rules & AT_LEAST_HARD or len(rules) >= HARD_FROM:
        return 2
    return 3 if rules else 4
