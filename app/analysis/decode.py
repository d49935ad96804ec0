"""Labels for a whole answer at once, in story order (Viterbi): a story moves forward through S, T, A,
R, reflection; "other" may come anywhere; going back costs more, so that only strong evidence reports
a broken order."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.analysis.types import LABELS, STAR, Label, Sentence


@dataclass(frozen=True)
class DecoderCosts:
    """Measured by leave-one-question-out: a cost for skipping or entering a section made missing
    sections disappear into their neighbours; going back and "other" costs barely mattered."""

    enter: float = 0.0  # starting a section
    skip: float = 0.0  # per section skipped
    # Going back to an earlier section. 5.0 was chosen on the bank, whose answers never go back; on
    # answers by outside writers (a task remembered after the actions), 2.5: accuracy 0.869 -> 0.878.
    back: float = 2.5
    other: float = 1.0  # a sentence outside the story (1.5: "Sure." before a story was labelled situation)
    weight: float = 1.0  # how much the classifier's scores count against these costs


_NEG = -1e18


def viterbi(
    scores: npt.NDArray[np.float64], costs: DecoderCosts, forbidden: frozenset[Label] = frozenset()
) -> tuple[list[Label], float]:
    """Best label sequence under the story-order model, and its score.

    States: "in section j" (j = 0..4) and "outside the story, last section j" (j = -1..4).
    `forbidden` sections may not be used (to ask: how much worse is the answer without them?).
    """
    n = len(scores)
    star_n = len(STAR)
    other_col = LABELS.index("other")
    # state index: 0..4 = in section j; 5..10 = other with last section (k - 6), k = -1..4 -> 5 + (k + 1)
    n_states = star_n + star_n + 1
    trans, start = _transitions(costs)
    emit = np.empty((n, n_states))
    emit[:, :star_n] = scores[:, :star_n]
    emit[:, star_n:] = scores[:, [other_col]]
    emit *= costs.weight
    for lab in forbidden:
        emit[:, STAR.index(lab)] = _NEG

    best = start + emit[0]
    back = np.zeros((n, n_states), dtype=np.int64)
    for i in range(1, n):
        cand = best[:, None] + trans  # from a to b
        back[i] = np.argmax(cand, axis=0)
        best = cand[back[i], np.arange(n_states)] + emit[i]
    state = int(np.argmax(best))
    total = float(best[state])
    path = [state]
    for i in range(n - 1, 0, -1):
        state = int(back[i, state])
        path.append(state)
    path.reverse()
    return [STAR[s] if s < star_n else "other" for s in path], total


@functools.lru_cache(maxsize=32)
def _transitions(costs: DecoderCosts) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Transition and start scores of the decoder's states (see `viterbi`), made once per costs."""
    star_n = len(STAR)
    n_states = 2 * star_n + 1

    def last_of(state: int) -> int:
        return state if state < star_n else state - star_n - 1

    def step_cost(last: int, to: int) -> float:
        if to >= star_n:  # into "other": the last section is kept
            return -costs.other if last_of(to) == last else _NEG
        if to == last:
            return 0.0
        if to > last:
            return -costs.enter - costs.skip * (to - last - 1)
        return -costs.enter - costs.back

    trans = np.array([[step_cost(last_of(a), b) for b in range(n_states)] for a in range(n_states)])
    start = np.array([step_cost(-1, b) for b in range(n_states)])
    return trans, start


def missing_sections(labels: Sequence[Label]) -> list[Label]:
    present = set(labels)
    return [s for s in STAR if s not in present]


def order_problems(sentences: Sequence[Sentence]) -> list[tuple[int, str]]:
    """(sentence index, what is out of place) wherever the story goes back to an earlier section.
    A word of background right after the task is no problem: both are the set-up, and people say
    "I was asked to fix the alerts. Most of them came at night…" (only after the actions is it one)."""
    problems: list[tuple[int, str]] = []
    furthest = -1
    for i, s in enumerate(sentences):
        if s.section == "other":
            continue
        k = STAR.index(s.section)
        setup = s.section == "situation" and furthest == STAR.index("task")
        if k < furthest and not setup:
            problems.append((i, f"{s.section} after {STAR[furthest]}"))
        furthest = max(furthest, k)
    return problems
