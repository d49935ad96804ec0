"""Cutting a recording into stretches at pauses: nothing lost, no word cut, 20-30 s each."""

from __future__ import annotations

import numpy as np

from app.speech.audio import SAMPLE_RATE
from app.speech.streaming import Segmenter


def _speech_like(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Noise shaped into syllables: loud enough to be speech, with the gaps inside words too short to cut."""
    n = int(seconds * SAMPLE_RATE)
    envelope = 0.6 + 0.4 * np.sin(np.arange(n) * 2 * np.pi * 4 / SAMPLE_RATE)
    return (0.1 * rng.standard_normal(n) * envelope).astype(np.float32)


def _answer(rng: np.random.Generator) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """70 s of talk: phrases of 2-5 s separated by 0.6-1.2 s pauses (with faint room noise)."""
    parts, pauses, pos = [], [], 0
    while pos < 70 * SAMPLE_RATE:
        phrase = _speech_like(rng.uniform(2, 5), rng)
        pause = (0.002 * rng.standard_normal(int(rng.uniform(0.6, 1.2) * SAMPLE_RATE))).astype(np.float32)
        parts += [phrase, pause]
        pos += len(phrase)
        pauses.append((pos, pos + len(pause)))
        pos += len(pause)
    return np.concatenate(parts), pauses


def _run(seg: Segmenter, audio: np.ndarray, block: int = 1600) -> list[tuple[int, np.ndarray]]:
    out = []
    for i in range(0, len(audio), block):
        out += [(s.start, s.samples) for s in seg.push(audio[i : i + block])]
    tail = seg.flush()
    if tail is not None:
        out.append((tail.start, tail.samples))
    return out


def test_stretches_are_cut_inside_pauses_and_lose_nothing() -> None:
    rng = np.random.default_rng(7)
    audio, pauses = _answer(rng)
    segments = _run(Segmenter(min_s=20, max_s=30), audio)

    joined = np.concatenate([s for _, s in segments])
    assert np.array_equal(joined, audio)  # every sample exactly once, in order
    starts = [start for start, _ in segments]
    assert starts == list(np.cumsum([0] + [len(s) for _, s in segments[:-1]]))
    for start, samples in segments[:-1]:
        assert 20 <= len(samples) / SAMPLE_RATE <= 30
        cut = start + len(samples)
        assert any(a <= cut <= b for a, b in pauses), f"cut at {cut / SAMPLE_RATE:.2f}s is inside speech"
    assert len(segments) >= 3


def test_no_pause_for_a_long_time_still_cuts_at_the_quietest_moment() -> None:
    rng = np.random.default_rng(3)
    audio = _speech_like(45, rng)
    dip = 27 * SAMPLE_RATE
    audio[dip : dip + 480 * 3] *= 0.01  # a short breath, too short to count as a pause
    segments = _run(Segmenter(min_s=20, max_s=30), audio)
    first_len = len(segments[0][1])
    assert abs(first_len - dip) <= 480 * 3
    assert np.array_equal(np.concatenate([s for _, s in segments]), audio)


def test_short_answer_is_one_stretch() -> None:
    rng = np.random.default_rng(1)
    audio = _speech_like(12, rng)
    segments = _run(Segmenter(min_s=20, max_s=30), audio)
    assert len(segments) == 1 and np.array_equal(segments[0][1], audio)
