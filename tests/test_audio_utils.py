"""The check the sound tests lean on: it passes a question heard whole and fails one that lost a part."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.audio_utils import RATE, Samples, heard_as_sent, write_mono16k


def _speechlike(seconds: float, seed: int = 7) -> Samples:
    """Noise shaped into syllables (4 a second) with short pauses: what correlation sees of speech."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = np.clip(np.sin(2 * np.pi * 2 * t), 0, None) ** 0.5
    return (0.3 * envelope * rng.standard_normal(len(t))).astype(np.float32)


def _silence(seconds: float) -> Samples:
    return np.zeros(int(seconds * RATE), dtype=np.float32)


def _check(tmp_path: Path, ref: Samples, rec: Samples) -> str | None:
    return heard_as_sent(
        write_mono16k(tmp_path / "ref.wav", ref), write_mono16k(tmp_path / "rec.wav", rec), tmp_path / "kept"
    )


def test_heard_whole_after_a_lead_in(tmp_path: Path) -> None:
    ref = _speechlike(5)
    assert _check(tmp_path, ref, np.concatenate([_silence(0.3), ref, _silence(0.4)])) is None


def test_a_short_underrun_is_a_click_not_a_lost_word(tmp_path: Path) -> None:
    """What CI's sound server did once: 12 ms of nothing after the first second."""
    ref = _speechlike(5)
    cut = RATE
    rec = np.concatenate([_silence(0.2), ref[:cut], _silence(0.012), ref[cut:], _silence(0.3)])
    assert _check(tmp_path, ref, rec) is None


@pytest.mark.parametrize(
    "what",
    ["a long gap", "a lost half second", "the start cut off"],
)
def test_a_part_missing_or_late_fails(tmp_path: Path, what: str) -> None:
    ref = _speechlike(5)
    half = RATE // 2
    if what == "a long gap":
        rec = np.concatenate([_silence(0.2), ref[: 2 * RATE], _silence(0.3), ref[2 * RATE :]])
    elif what == "a lost half second":
        rec = np.concatenate([_silence(0.2), ref[: 2 * RATE], ref[2 * RATE + half :], _silence(0.5)])
    else:
        rec = np.concatenate([ref[RATE:], _silence(0.5)])
    reason = _check(tmp_path, ref, rec)
    assert reason is not None and "per-chunk" in reason
