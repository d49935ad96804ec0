"""Capture from the virtual microphone: what was spoken is what was recorded, and failures are told."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtMultimedia import QAudioFormat
from pytestqt.qtbot import QtBot

from app.speech.audio import SAMPLE_RATE
from app.speech.capture import Recorder
from app.speech.capture_worker import RecordingResult, _Converter
from app.speech.wavfile import PARTIAL_SUFFIX, read_wav_int16, recover_recordings
from tests.audio_utils import (
    RecordedClock,
    _pactl,
    best_match,
    espeak,
    feed,
    restore_devices,
    unplug_all_inputs,
)
from tests.audio_utils import load_mono16k as load
from tests.conftest import ROOT

ANSWER = (
    "In my last role I led the migration of our forecasting pipeline. "
    "I rewrote the feature jobs, and latency fell by forty percent."
)


@pytest.fixture(scope="module")
def answer_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return espeak(ANSWER, tmp_path_factory.mktemp("speech") / "answer.wav")


@pytest.fixture
def recorder(qtbot: QtBot) -> Iterator[Recorder]:
    rec = Recorder()
    yield rec
    rec.shutdown()
    restore_devices()


def _record(
    qtbot: QtBot, rec: Recorder, path: Path, play: Path | None, extra_s: float = 0.4
) -> RecordingResult:
    """Start recording, speak `play` into the microphone after a pause, stop once it has been said."""
    clock = RecordedClock(rec.elapsed)
    rec.start(path)
    qtbot.waitUntil(lambda: path.with_name(path.stem + PARTIAL_SUFFIX).exists(), timeout=5000)
    clock.wait_until(qtbot, 0.6)
    if play is not None:
        player = feed(play)
        qtbot.waitUntil(lambda: player.poll() is not None, timeout=60_000)
    clock.wait_more(qtbot, extra_s)
    with qtbot.waitSignal(rec.finished, timeout=10_000) as blocker:
        rec.stop()
    result = blocker.args[0]
    assert isinstance(result, RecordingResult)
    return result


def test_recording_matches_what_was_spoken(
    qtbot: QtBot, recorder: Recorder, answer_wav: Path, tmp_path: Path
) -> None:
    levels: list[float] = []
    recorder.level.connect(lambda rms, _peak: levels.append(rms))
    result = _record(qtbot, recorder, tmp_path / "take.wav", answer_wav)

    assert result.path == tmp_path / "take.wav" and result.path.exists()
    assert not (tmp_path / f"take{PARTIAL_SUFFIX}").exists()
    assert not result.silent and result.error == ""
    ref, rec = load(answer_wav), load(result.path)
    ncc, lag = best_match(ref, rec)
    assert ncc >= 0.98, f"correlation {ncc:.3f}"
    # Nothing lost at either end: the whole answer sits inside the recording.
    assert lag > 0 and lag + len(ref) / SAMPLE_RATE <= len(rec) / SAMPLE_RATE
    head = ref[: SAMPLE_RATE // 2]
    tail = ref[-SAMPLE_RATE // 2 :]
    assert best_match(head, rec)[0] >= 0.95 and best_match(tail, rec)[0] >= 0.95
    # The meter moved: quiet before speech, loud during it.
    assert min(levels) < -50 and max(levels) > -30
    assert abs(result.seconds - len(rec) / SAMPLE_RATE) < 0.05


def test_silence_is_reported(qtbot: QtBot, recorder: Recorder, tmp_path: Path) -> None:
    warnings: list[str] = []
    recorder.warning.connect(warnings.append)
    recorder.start(tmp_path / "quiet.wav")
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert "hear nothing" in warnings[0]
    with qtbot.waitSignal(recorder.finished, timeout=10_000) as blocker:
        recorder.stop()
    assert blocker.args[0].silent


def test_clipping_is_reported(qtbot: QtBot, recorder: Recorder, tmp_path: Path) -> None:
    loud = tmp_path / "loud.wav"
    subprocess.run(
        ["sox", "-n", "-r", "48000", "-c", "1", "-b", "16", str(loud), "synth", "1.5", "square", "300"],
        check=True,
    )
    warnings: list[str] = []
    recorder.warning.connect(warnings.append)
    result = _record(qtbot, recorder, tmp_path / "clip.wav", loud)
    assert any("too loud" in w for w in warnings), warnings
    assert result.clipped_fraction > 0.002


def test_device_lost_mid_answer_keeps_the_audio(
    qtbot: QtBot, recorder: Recorder, answer_wav: Path, tmp_path: Path
) -> None:
    errors: list[str] = []
    recorder.error.connect(errors.append)
    path = tmp_path / "lost.wav"
    clock = RecordedClock(recorder.elapsed)
    recorder.start(path)
    clock.wait_until(qtbot, 0.5)
    player = feed(answer_wav)
    clock.wait_more(qtbot, 2.5)
    with qtbot.waitSignal(recorder.finished, timeout=15_000) as blocker:
        unplug_all_inputs()
    player.wait(30)
    result = blocker.args[0]
    assert result.device_lost
    assert errors and "disconnected" in errors[0] and "kept" in errors[0]
    kept = load(result.path)
    assert len(kept) / SAMPLE_RATE >= 2.0
    ncc, _ = best_match(load(answer_wav)[:SAMPLE_RATE], kept)  # the first second of speech is there
    assert ncc >= 0.95


NO_MIC_PROBE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication, QTimer
    from app.speech.capture import Recorder
    app = QCoreApplication([])
    rec = Recorder()
    rec.error.connect(lambda m: print("error:", m, flush=True))
    rec.finished.connect(lambda r: (print("finished:", r, flush=True), app.quit()))
    rec.start(Path(sys.argv[1]))
    QTimer.singleShot(10_000, app.quit)
    app.exec()
    rec.shutdown()
    """
)


def test_no_microphone_is_a_clear_error(tmp_path: Path) -> None:
    # A fresh process: Qt reads the device list at start (it stops following it once a stream was open).
    unplug_all_inputs()
    try:
        out = subprocess.run(
            [sys.executable, "-c", NO_MIC_PROBE, str(tmp_path / "none.wav")],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        restore_devices()
    assert out.stdout.splitlines() == [
        "error: No microphone found. Plug one in, or check that it is enabled in your system's sound settings.",
        "finished: None",
    ], out.stderr
    assert list(tmp_path.iterdir()) == []


def test_unwritable_recording_folder_is_a_clear_error(
    qtbot: QtBot, recorder: Recorder, tmp_path: Path
) -> None:
    blocker_file = tmp_path / "not-a-folder"
    blocker_file.write_text("x")
    errors: list[str] = []
    recorder.error.connect(errors.append)
    with qtbot.waitSignal(recorder.finished, timeout=5000):
        recorder.start(blocker_file / "take.wav")
    assert errors and errors[0].startswith("Cannot create the recording file")


def test_abort_keeps_nothing(qtbot: QtBot, recorder: Recorder, tmp_path: Path) -> None:
    clock = RecordedClock(recorder.elapsed)
    recorder.start(tmp_path / "gone.wav")
    clock.wait_until(qtbot, 0.8)
    with qtbot.waitSignal(recorder.finished, timeout=5000) as blocker:
        recorder.abort()
    assert blocker.args[0] is None
    assert list(tmp_path.iterdir()) == []


CRASHING_RECORDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from app.speech.capture import Recorder
    app = QCoreApplication([])
    rec = Recorder()
    rec.elapsed.connect(lambda s: print(f"{s:.2f}", flush=True))
    rec.start(Path(sys.argv[1]))
    app.exec()
    """
)


def test_crash_mid_answer_leaves_a_recoverable_recording(answer_wav: Path, tmp_path: Path) -> None:
    folder = tmp_path / "recordings"
    target = folder / "attempt.wav"
    with subprocess.Popen(
        [sys.executable, "-c", CRASHING_RECORDER, str(target)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        recorded = (float(line) for line in proc.stdout)  # seconds of audio written so far
        next(s for s in recorded if s >= 0.5)
        player = feed(answer_wav)
        next(s for s in recorded if s >= 3.5)
        os.kill(proc.pid, signal.SIGKILL)  # no chance to close the file
        proc.wait(10)
    player.wait(30)

    partial = folder / f"attempt{PARTIAL_SUFFIX}"
    assert partial.exists() and not target.exists()
    recovered = recover_recordings(folder)
    assert [p.name for p in recovered] == ["attempt.recovered.wav"]
    assert not partial.exists()
    audio = read_wav_int16(recovered[0]).astype(np.float32) / 32768.0
    assert len(audio) / SAMPLE_RATE >= 2.5  # up to the last second before the crash
    ncc, _ = best_match(load(answer_wav)[: 2 * SAMPLE_RATE], audio)
    assert ncc >= 0.95


def _fmt(rate: int, channels: int, kind: QAudioFormat.SampleFormat) -> QAudioFormat:
    f = QAudioFormat()
    f.setSampleRate(rate)
    f.setChannelCount(channels)
    f.setSampleFormat(kind)
    return f


@pytest.mark.parametrize(
    ("rate", "channels", "kind", "dtype", "scale"),
    [
        (48000, 2, QAudioFormat.SampleFormat.Float, "<f4", 1.0),
        (44100, 1, QAudioFormat.SampleFormat.Int16, "<i2", 32767.0),
        (16000, 2, QAudioFormat.SampleFormat.Int32, "<i4", 2147483647.0),
    ],
)
def test_other_device_formats_are_converted(
    rate: int, channels: int, kind: QAudioFormat.SampleFormat, dtype: str, scale: float
) -> None:
    """A device that only offers another format still yields 16 kHz mono with the same sound."""
    t = np.arange(rate * 2) / rate
    tone = 0.5 * np.sin(2 * np.pi * 440 * t)
    frames = np.repeat(tone[:, None], channels, axis=1).ravel()
    data = (frames * scale).astype(dtype).tobytes()
    conv = _Converter(_fmt(rate, channels, kind))
    chunks = [conv(data[i : i + 4096]) for i in range(0, len(data), 4096)] + [conv.flush()]
    out = np.concatenate(chunks).astype(np.float32) / 32768
    assert abs(len(out) - 2 * SAMPLE_RATE) <= 2
    spectrum = np.abs(np.fft.rfft(out))
    assert abs(np.argmax(spectrum) * SAMPLE_RATE / len(out) - 440) < 2
    assert 0.45 < np.max(np.abs(out)) < 0.55


def test_a_tone_above_8_khz_does_not_fold_back_into_the_speech_band() -> None:
    """Issue 16: a 10 kHz tone from a 44.1 kHz device came out as a 6 kHz one only 1.5 dB down (the
    averaging resampler had no real low-pass). A speech-band tone passes; the out-of-band one is gone."""
    rate = 44100
    t = np.arange(rate * 2) / rate
    for freq, passes in ((1000, True), (10_000, False)):
        data = (0.5 * np.sin(2 * np.pi * freq * t) * 32767).astype("<i2").tobytes()
        conv = _Converter(_fmt(rate, 1, QAudioFormat.SampleFormat.Int16))
        chunks = [conv(data[i : i + 4096]) for i in range(0, len(data), 4096)] + [conv.flush()]
        out = np.concatenate(chunks).astype(np.float32) / 32768
        assert abs(len(out) - 2 * SAMPLE_RATE) <= 2
        level_db = 20 * np.log10(np.sqrt(np.mean(out[SAMPLE_RATE // 4 :] ** 2)) / (0.5 / np.sqrt(2)))
        if passes:
            assert level_db > -1.0
        else:
            assert level_db < -40.0, f"a {freq} Hz tone came through at {level_db:.1f} dB"


def test_a_microphone_switched_away_mid_answer_stops_and_keeps_the_answer(
    qtbot: QtBot, recorder: Recorder, answer_wav: Path, tmp_path: Path
) -> None:
    """PulseAudio moved the stream to another source (the speakers' idle monitor): the clock ran on and
    a tail of digital silence was saved as the answer. Now the take stops, keeps what was said, and says
    what happened."""
    errors: list[str] = []
    recorder.error.connect(errors.append)
    clock = RecordedClock(recorder.elapsed)
    recorder.start(tmp_path / "moved.wav")
    clock.wait_until(qtbot, 0.5)
    player = feed(answer_wav)
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=60_000)
    clock.wait_more(qtbot, 0.3)
    # the app's own stream (a client's), not the virtual microphone's link to its feed
    ours = [
        line.split()[0]
        for line in _pactl("list", "short", "source-outputs").splitlines()
        if "protocol-native" in line
    ]
    assert len(ours) == 1, "the recorder's stream is not listed"
    with qtbot.waitSignal(recorder.finished, timeout=30_000) as blocker:
        _pactl("move-source-output", ours[0], "speakers.monitor")
    result = blocker.args[0]
    assert result.device_lost and errors and "stopped sending sound" in errors[0], errors
    assert "is kept" in errors[0]
    ncc, _ = best_match(load(answer_wav), load(result.path))  # the whole answer is in the file
    assert ncc >= 0.95
