"""WAV files written as audio arrives, so that a crash mid-answer leaves a playable recording.

While recording, the file is named `*.recording.wav`; its header is rewritten with every block
(the stdlib `wave` module patches sizes on each write) and the data is fsynced once a second.
At the next start `recover_recordings` repairs and renames whatever a crash left behind.
"""

from __future__ import annotations

import contextlib
import os
import time
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.speech.audio import SAMPLE_RATE

PARTIAL_SUFFIX = ".recording.wav"
RECOVERED_SUFFIX = ".recovered.wav"
_HEADER_BYTES = 44  # the canonical header `wave` writes for PCM


class StreamingWavWriter:
    """16-bit mono PCM at 16 kHz, appended block by block; `close()` gives the final name."""

    def __init__(self, final_path: Path, sync_every_s: float = 1.0) -> None:
        self.final_path = final_path
        self.partial_path = final_path.with_name(final_path.stem + PARTIAL_SUFFIX)
        final_path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.partial_path, "wb")  # noqa: SIM115 (closed in close/abort)
        self._wav = wave.open(self._file, "wb")  # noqa: SIM115
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(SAMPLE_RATE)
        self._sync_every = sync_every_s
        self._last_sync = time.monotonic()
        self.frames = 0

    @property
    def seconds(self) -> float:
        return self.frames / SAMPLE_RATE

    def write(self, pcm: npt.NDArray[np.int16]) -> None:
        """Raises OSError (e.g. ENOSPC) to the caller, which must stop and keep what was written."""
        self._wav.writeframes(pcm.astype("<i2", copy=False).tobytes())
        self.frames += len(pcm)
        now = time.monotonic()
        if now - self._last_sync >= self._sync_every:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._last_sync = now

    def close(self) -> Path:
        self._wav.close()  # patches the header one last time
        self._file.close()
        os.replace(self.partial_path, self.final_path)
        return self.final_path

    def abort(self) -> None:
        """Throw the take away (the user pressed Escape)."""
        with contextlib.suppress(OSError):
            self._wav.close()
        self._file.close()
        self.partial_path.unlink(missing_ok=True)


def read_wav_int16(path: Path) -> npt.NDArray[np.int16]:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").copy()


def recover_recordings(folder: Path) -> list[Path]:
    """Repair every recording a crash left unfinished; returns the recovered files.

    Whatever bytes reached the disk after the header are audio, so the header is rebuilt from the
    file's real length (a half sample at the end is dropped).
    """
    recovered: list[Path] = []
    if not folder.is_dir():
        return recovered
    for partial in sorted(folder.rglob(f"*{PARTIAL_SUFFIX}")):
        raw = partial.read_bytes()[_HEADER_BYTES:]
        raw = raw[: len(raw) - len(raw) % 2]
        target = partial.with_name(partial.name.removesuffix(PARTIAL_SUFFIX) + RECOVERED_SUFFIX)
        tmp = target.with_suffix(".part")
        with wave.open(str(tmp), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes(raw)
        os.replace(tmp, target)
        partial.unlink()
        recovered.append(target)
    return recovered
