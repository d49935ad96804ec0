"""How the answer sounded, from the recording: a monotone stretch, a voice that fades at the ends of
sentences, an answer that gets quieter. Measured after Stop, beside the second listen for fillers.

- **Pitch variety.** The voice's pitch (pYAAPT, from AMFM-decompy, MIT) over each 20-second stretch, as
  the spread of its semitones; a stretch below MONOTONE_BELOW is monotone, as Speaker Coach flags it.
- **Loudness.** Each sentence's loudness (RMS, dB) in its last 30 % against the rest: a mean drop of
  FADE_DB or more is a voice fading at the ends of sentences; the last third of the speech against the
  first, QUIETER_DB or more, an answer getting quieter.
The lines were chosen on development clips (tests/data/audio/sound/dev_*) and are checked on others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.analysis.types import Sentence

SAMPLE_RATE = 16_000
STRETCH_S = 20.0
STEP_S = 5.0
MONOTONE_BELOW = 1.0  # semitones (standard deviation of the voiced frames' pitch in a stretch)
FADE_DB = 6.0
QUIETER_DB = 6.0
TAIL = 0.3  # the end of a sentence: its last 30 %
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Sound:
    monotone: tuple[tuple[float, float], ...]  # stretches (start, end), seconds
    pitch_spread: float | None  # semitones over the whole answer
    fade_db: float | None  # mean drop at the ends of sentences
    quieter_db: float | None  # last third against the first
    quieter_at: float | None  # where the last third starts


def _db(x: F64) -> float:
    rms = float(np.sqrt(np.mean(x * x))) if len(x) else 0.0
    return float(20 * np.log10(max(rms, 1e-6)))


def pitch_track(samples: F64) -> tuple[F64, F64]:
    """Times (s) and pitch (Hz, 0 where unvoiced) every 10 ms."""
    import amfm_decompy.basic_tools as basic
    import amfm_decompy.pYAAPT as pyaapt

    with np.errstate(all="ignore"):
        pitch = pyaapt.yaapt(
            basic.SignalObj(samples, SAMPLE_RATE), frame_length=35, frame_space=10, f0_min=60, f0_max=400
        )
    f0: F64 = np.asarray(pitch.samp_values, dtype=np.float64)
    times: F64 = np.arange(len(f0), dtype=np.float64) * 0.01
    return times, f0


def _spread(f0: F64) -> float | None:
    voiced = f0[f0 > 0]
    if len(voiced) < 100:  # a second of voiced speech at least
        return None
    semitones = 12 * np.log2(voiced / np.median(voiced))
    return float(np.std(semitones))


def _monotone(times: F64, f0: F64, start: float, end: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    t = start
    while t + STRETCH_S <= end + 1e-6:
        inside = (times >= t) & (times < t + STRETCH_S)
        spread = _spread(f0[inside])
        if spread is not None and spread < MONOTONE_BELOW:
            if out and t <= out[-1][1]:
                out[-1] = (out[-1][0], t + STRETCH_S)
            else:
                out.append((t, t + STRETCH_S))
        t += STEP_S
    return out


def measure_sound(samples: npt.NDArray[np.float32], sentences: Sequence[Sentence]) -> Sound | None:
    """None when there is too little timed speech to judge."""
    timed = [s for s in sentences if s.timed and s.end > s.start]
    if not timed:
        return None
    x = np.asarray(samples, dtype=np.float64)
    start, end = timed[0].start, min(timed[-1].end, len(x) / SAMPLE_RATE)
    times, f0 = pitch_track(x)
    drops = []
    for s in timed:
        a, b = int(s.start * SAMPLE_RATE), int(s.end * SAMPLE_RATE)
        cut = int(b - (b - a) * TAIL)
        if b - a > SAMPLE_RATE:  # a second or more
            drops.append(_db(x[a:cut]) - _db(x[cut:b]))
    third = (end - start) / 3
    first = x[int(start * SAMPLE_RATE) : int((start + third) * SAMPLE_RATE)]
    last = x[int((end - third) * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
    voiced = (times >= start) & (times <= end)
    return Sound(
        monotone=tuple(_monotone(times, f0, start, end)),
        pitch_spread=_spread(f0[voiced]),
        fade_db=float(np.mean(drops)) if drops else None,
        quieter_db=_db(first) - _db(last) if third > 5 else None,
        quieter_at=end - third,
    )
