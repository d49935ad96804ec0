"""Speaking to the app through the virtual microphone, and checking what it recorded."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.speech.audio import SAMPLE_RATE, decode_audio

Samples = npt.NDArray[np.float32]

# The devices scripts/headless.sh creates, in the order they depend on each other.
MODULES = {
    "speakers": [
        "module-null-sink",
        "sink_name=speakers",
        "channels=2",
        "rate=48000",
        "norewinds=1",
        "sink_properties=device.description=Virtual_Speakers",
    ],
    "mic_feed": [
        "module-null-sink",
        "sink_name=mic_feed",
        "channels=1",
        "rate=48000",
        "norewinds=1",
        "sink_properties=device.description=Virtual_Mic_Feed",
    ],
    "virtual_mic": [
        "module-remap-source",
        "source_name=virtual_mic",
        "master=mic_feed.monitor",
        "channels=1",
        "source_properties=device.description=Virtual_Microphone",
    ],
}


def espeak(text: str, path: Path, wpm: int = 165) -> Path:
    subprocess.run(["espeak-ng", "-s", str(wpm), "-w", str(path), text], check=True)
    return path


def feed(path: Path) -> subprocess.Popen[bytes]:
    """Play a file into the virtual microphone, as if the user were speaking."""
    return subprocess.Popen(["paplay", "--device=mic_feed", str(path)])


def load(path: Path) -> Samples:
    return decode_audio(path, SAMPLE_RATE)


def best_match(ref: Samples, rec: Samples) -> tuple[float, float]:
    """Normalised cross-correlation peak (0..1) and the lag in seconds of `ref` inside `rec`."""
    n = len(ref) + len(rec) - 1
    nfft = 1 << (n - 1).bit_length()
    c = np.fft.irfft(np.fft.rfft(rec, nfft) * np.conj(np.fft.rfft(ref, nfft)), nfft)
    c = np.concatenate([c[-(len(ref) - 1) :], c[: len(rec)]])
    i = int(np.argmax(np.abs(c)))
    lag = i - (len(ref) - 1)
    r0, s0 = max(0, -lag), max(0, lag)
    k = min(len(ref) - r0, len(rec) - s0)
    denom = float(np.linalg.norm(ref[r0 : r0 + k]) * np.linalg.norm(rec[s0 : s0 + k]))
    return (float(abs(c[i]) / denom) if denom else 0.0), lag / SAMPLE_RATE


def _pactl(*args: str) -> str:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, check=True).stdout


def unplug_all_inputs() -> None:
    """Every capture source goes away, as when a laptop's only (USB) microphone is pulled out.

    With another source left, PulseAudio silently moves the stream there and recording goes on.
    """
    for line in reversed(_pactl("list", "short", "modules").splitlines()):
        if any(f"_name={name}" in line for name in MODULES):
            _pactl("unload-module", line.split()[0])


def restore_devices() -> None:
    present = _pactl("list", "short", "modules")
    for name, module in MODULES.items():
        if f"_name={name}" not in present:
            _pactl("load-module", *module)
    _pactl("set-default-sink", "speakers")
    _pactl("set-default-source", "virtual_mic")
