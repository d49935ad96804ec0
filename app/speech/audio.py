"""Audio as numbers: decoding any common file, loudness, and WAV files written a block at a time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.speech.transcript import SpeechError

SAMPLE_RATE = 16_000  # what the recogniser wants and what we record
Samples = npt.NDArray[np.float32]


def decode_audio(path: Path, sample_rate: int = SAMPLE_RATE) -> Samples:
    """Any format FFmpeg reads (WAV, FLAC, MP3, OGG, M4A…) as mono float32 at `sample_rate`."""
    if not path.exists():
        raise SpeechError(f"{path}: file not found")
    from faster_whisper.audio import decode_audio as _decode  # PyAV; imported late, it is slow

    try:
        samples = _decode(str(path), sampling_rate=sample_rate)
    except Exception as e:  # PyAV raises many kinds; all mean the same to the user
        raise SpeechError(f"{path}: not an audio file that can be read ({e})") from None
    return np.asarray(samples, dtype=np.float32)


def rms_dbfs(x: Samples) -> float:
    """Loudness in dB relative to full scale; -120 for silence."""
    if len(x) == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))
    return 20 * np.log10(rms) if rms > 1e-6 else -120.0


def peak(x: Samples) -> float:
    return float(np.max(np.abs(x))) if len(x) else 0.0
