"""The numbers behind the statistics page, computed from stored attempts without any widget.

Charts stay small and readable: attempts are plotted one by one while they are few (a question's
first weeks), and as daily means (local days) once there are more, so 5,000 attempts over eight
weeks make about 56 points.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from app.analysis.timing import RECOMMENDED_SPLIT
from app.analysis.types import LABELS, Label
from app.history import AttemptSummary, QuestionStats

SECTIONS: tuple[Label, ...] = LABELS
# What a strong answer spends on each section, in percent (app/analysis/timing.py says why).
RECOMMENDED = {s: 100.0 * RECOMMENDED_SPLIT.get(s, 0.0) for s in SECTIONS}
PER_ATTEMPT_MAX = 60  # more attempts than this are plotted as daily means (a few hundred at most)
# Fewer days than this are plotted by attempt number: four attempts over two days drew a vertical line
# over the dates "29 Nov 30 Nov 30 Nov 30 Nov".
DATES_FROM_DAYS = 3


@dataclass(frozen=True)
class Summary:
    attempts: int
    questions: int
    mean_total_s: float | None
    latest_target_s: float | None  # the newest attempt's: a mean of 1:00 and 2:00 was never set
    mean_wpm: float | None
    mean_fillers_per_min: float | None
    pauses_per_attempt: float | None
    complete_share: float | None  # complete STAR answers: every section present, none unclear


@dataclass(frozen=True)
class Series:
    """Points over time, oldest first; x in milliseconds since the epoch (what QDateTimeAxis takes)."""

    per_day: bool
    x_ms: list[float]  # or attempt numbers 1, 2, 3… when `by_attempt`
    length_s: list[float]
    target_s: list[float]
    wpm: list[tuple[float, float]]  # (x, y), only where known
    fillers: list[tuple[float, float]]
    by_attempt: bool = False


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize(attempts: Sequence[AttemptSummary], complete: Collection[int] = ()) -> Summary:
    """`complete`: the ids of the complete STAR answers (Store.complete_ids), which the summaries
    cannot tell: an unclear section is not missing."""
    n = len(attempts)
    wpm = [a.wpm for a in attempts if a.wpm is not None]
    fpm = [a.fillers_per_min for a in attempts if a.fillers_per_min is not None]
    targets = [a.target_s for a in attempts if a.target_s]  # newest first
    return Summary(
        attempts=n,
        questions=len({a.question_id for a in attempts}),
        mean_total_s=_mean([a.total_s for a in attempts]),
        latest_target_s=targets[0] if targets else None,
        mean_wpm=_mean(wpm),
        mean_fillers_per_min=_mean(fpm),
        pauses_per_attempt=sum(a.long_pauses for a in attempts) / n if n else None,
        complete_share=sum(a.id in complete for a in attempts) / n if n else None,
    )


def series(attempts: Sequence[AttemptSummary], max_points: int = PER_ATTEMPT_MAX) -> Series:
    """`attempts` newest first (as the store gives them)."""
    oldest_first = list(reversed(attempts))
    if len(oldest_first) <= max_points:
        xs = [datetime.fromisoformat(a.started_at).timestamp() * 1000 for a in oldest_first]
        dates = {datetime.fromisoformat(a.started_at).astimezone().date() for a in oldest_first}
        by_attempt = len(dates) < DATES_FROM_DAYS
        if by_attempt:
            xs = [float(i + 1) for i in range(len(oldest_first))]
        return Series(
            by_attempt=by_attempt,
            per_day=False,
            x_ms=xs,
            length_s=[a.total_s for a in oldest_first],
            target_s=[a.target_s or 0.0 for a in oldest_first],
            wpm=[(x, a.wpm) for x, a in zip(xs, oldest_first, strict=True) if a.wpm is not None],
            fillers=[
                (x, a.fillers_per_min)
                for x, a in zip(xs, oldest_first, strict=True)
                if a.fillers_per_min is not None
            ],
        )
    # Daily buckets: [count, sum length, sum target, n target, sum wpm, n wpm, sum fpm, n fpm]
    days: dict[str, list[float]] = {}
    for a in oldest_first:
        day = datetime.fromisoformat(a.started_at).astimezone().date().isoformat()
        b = days.get(day)
        if b is None:
            b = days[day] = [0.0] * 8
        b[0] += 1
        b[1] += a.total_s
        if a.target_s:
            b[2] += a.target_s
            b[3] += 1
        if a.wpm is not None:
            b[4] += a.wpm
            b[5] += 1
        if a.fillers_per_min is not None:
            b[6] += a.fillers_per_min
            b[7] += 1
    xs, length, target, wpm, fillers = [], [], [], [], []
    for day, b in days.items():  # insertion order is oldest first
        x = datetime.combine(datetime.fromisoformat(day).date(), time(12)).timestamp() * 1000
        xs.append(x)
        length.append(b[1] / b[0])
        target.append(b[2] / b[3] if b[3] else 0.0)
        if b[5]:
            wpm.append((x, b[4] / b[5]))
        if b[7]:
            fillers.append((x, b[6] / b[7]))
    return Series(per_day=True, x_ms=xs, length_s=length, target_s=target, wpm=wpm, fillers=fillers)


def section_shares(attempts: Sequence[AttemptSummary], n: int = 20) -> list[dict[str, float]]:
    """Percent of each section in the newest `n` attempts, oldest of them first."""
    out: list[dict[str, float]] = []
    for a in reversed(attempts[:n]):
        total = sum(a.section_seconds.values()) or 1.0
        out.append({str(s): 100.0 * a.section_seconds.get(s, 0.0) / total for s in SECTIONS})
    return out


def waited_longest(question_ids: Iterable[str], stats: dict[str, QuestionStats]) -> list[str]:
    """Never-practised questions first (in the given order), then the longest since last practice."""
    ids = list(dict.fromkeys([*question_ids, *stats]))
    never = [q for q in ids if q not in stats]
    practised = sorted((q for q in ids if q in stats), key=lambda q: stats[q].last_at)
    return never + practised


def day_ms(x_ms: Sequence[float]) -> tuple[float, float]:
    """An x range that shows every point, at least one day wide."""
    lo, hi = min(x_ms), max(x_ms)
    if hi - lo < 86_400_000:
        mid = (lo + hi) / 2
        lo, hi = mid - 43_200_000, mid + 43_200_000
    pad = (hi - lo) * 0.02
    return lo - pad, hi + pad
