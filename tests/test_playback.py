"""Playback on the virtual speakers: to the end, pause, seek, speed, and failures said plainly."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.speech.playback import MAX_SPEED, MIN_SPEED, Player, QtPlayer
from tests.audio_utils import (
    MonitorRecording,
    correlate_files,
    heard_as_sent,
    load_mono16k,
    rms,
    sound_span,
)
from tests.conftest import ARTIFACTS, ROOT

TEXT = "Describe a situation where you had to meet a tight deadline. How did you manage it?"


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 5 s of speech from the espeak-ng program (independent of the app's own TTS)."""
    path = tmp_path_factory.mktemp("clips") / "question.wav"
    subprocess.run(["espeak-ng", "-w", str(path), TEXT], check=True)
    return path


def _run_script(script: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`script` in a Python process of its own, in `env`; it must end well."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def player(qtbot: QtBot) -> Iterator[QtPlayer]:
    p = QtPlayer()
    yield p
    p.stop()


def _as_player(p: QtPlayer) -> Player:
    return p  # the interface the UI depends on; mypy checks QtPlayer satisfies it


def test_plays_to_the_end_and_is_heard(qtbot: QtBot, player: QtPlayer, clip: Path, tmp_path: Path) -> None:
    positions: list[float] = []
    player.position.connect(positions.append)
    recording = tmp_path / "speakers.wav"
    with MonitorRecording(recording) as monitor:
        with qtbot.waitSignal(player.started, timeout=5000):
            _as_player(player).play(clip)
        with qtbot.waitSignal(player.finished, timeout=15_000):
            pass
        monitor.wait_more(qtbot, 0.4)
    sent = load_mono16k(clip)
    assert player.duration() == pytest.approx(len(sent) / 16_000, abs=0.05)
    assert positions[-1] == pytest.approx(player.duration(), abs=0.01)
    assert positions == sorted(positions)
    assert not player.is_playing()
    ncc, lag = correlate_files(clip, recording)
    heard = sound_span(load_mono16k(recording))
    print(
        f"\nplayback: {sound_span(sent):.2f} s of sound sent, {heard:.2f} s heard; ncc {ncc:.3f}, lag {lag:.3f} s"
    )
    assert (problem := heard_as_sent(clip, recording, ARTIFACTS / "audio")) is None, problem
    # at 1x the speakers sound for as long as the clip does: nothing dropped, nothing stretched
    assert heard == pytest.approx(sound_span(sent), abs=0.1)


def test_pause_holds_the_position_and_resume_continues(
    qtbot: QtBot, player: QtPlayer, clip: Path, tmp_path: Path
) -> None:
    finished: list[bool] = []
    player.finished.connect(lambda: finished.append(True))
    with MonitorRecording(tmp_path / "speakers.wav") as monitor:
        player.play(clip)
        qtbot.waitUntil(lambda: player.current_position() >= 0.5, timeout=5000)
        player.pause()
        qtbot.waitUntil(lambda: not player.is_playing(), timeout=2000)
        held = player.current_position()
        monitor.wait_more(qtbot, 0.5)  # what was already on its way to the speakers
        paused_from = monitor.path.stat().st_size
        monitor.wait_more(qtbot, 0.6)
    assert player.current_position() == pytest.approx(held, abs=0.05)
    assert finished == []
    pcm = monitor.path.read_bytes()[paused_from:]
    assert rms(np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2") / 32768.0) < 0.001, "still sounding"
    player.resume()
    qtbot.waitUntil(player.is_playing, timeout=2000)
    qtbot.waitUntil(lambda: player.current_position() > held + 0.3, timeout=3000)
    with qtbot.waitSignal(player.finished, timeout=15_000):
        pass


def test_seek_jumps_ahead(qtbot: QtBot, player: QtPlayer, clip: Path) -> None:
    positions: list[float] = []
    with qtbot.waitSignal(player.started, timeout=5000):
        player.play(clip)
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=5000)
    target = player.duration() - 1.0
    player.seek(target)
    qtbot.waitUntil(lambda: player.current_position() >= target, timeout=3000)
    player.position.connect(positions.append)
    with qtbot.waitSignal(player.finished, timeout=15_000):
        pass
    # one second was left, not the whole clip: playback went on from the new place to the end
    assert positions and min(positions) >= target - 0.05 and positions[-1] == pytest.approx(player.duration())
    player.seek(-3)  # clamped, stopped player: back to the start
    assert player.current_position() == pytest.approx(0.0, abs=0.05)


def test_speed_is_clamped_and_1_5_sounds_for_two_thirds_of_the_time(
    qtbot: QtBot, player: QtPlayer, clip: Path, tmp_path: Path
) -> None:
    assert player.set_speed(3.0) == MAX_SPEED == 1.5
    assert player.set_speed(0.1) == MIN_SPEED == 0.75
    assert player.set_speed(1.5) == 1.5
    assert player.speed() == pytest.approx(1.5)
    with MonitorRecording(tmp_path / "speakers.wav") as monitor:
        with qtbot.waitSignal(player.started, timeout=5000):
            player.play(clip)
        with qtbot.waitSignal(player.finished, timeout=15_000):
            pass
        monitor.wait_more(qtbot, 0.4)
    ratio = sound_span(load_mono16k(monitor.path)) / sound_span(load_mono16k(clip))
    print(f"\nspeed 1.5: sounded for {ratio:.3f} of the clip's length (1/1.5 = 0.667)")
    assert ratio == pytest.approx(1 / 1.5, abs=0.08)


def test_volume_is_clamped(player: QtPlayer) -> None:
    player.set_volume(2.0)
    assert player.volume() == pytest.approx(1.0)
    player.set_volume(-1)
    assert player.volume() == pytest.approx(0.0)
    player.set_volume(0.5)
    assert player.volume() == pytest.approx(0.5)


def test_unreadable_file_is_reported_plainly(qtbot: QtBot, player: QtPlayer, tmp_path: Path) -> None:
    broken = tmp_path / "answer.wav"
    broken.write_bytes(b"RIFF not really a wave file " * 200)
    with qtbot.waitSignal(player.error, timeout=5000) as blocker:
        player.play(broken)
    assert blocker.args == [
        "The audio file answer.wav cannot be played: it is damaged or not in a format that can be decoded."
    ]
    assert not player.is_playing()


def test_switching_files_quickly_never_freezes(
    qtbot: QtBot, player: QtPlayer, clip: Path, tmp_path: Path
) -> None:
    """Playing another file while the first is starting: QMediaPlayer.stop() called with Python's lock
    held froze the app for good within 18-82 rounds (FFmpeg's thread waited for that lock)."""
    for _ in range(100):
        with qtbot.waitSignal(player.duration_changed, timeout=5000):
            player.play(clip)
        with qtbot.waitSignal(player.error, timeout=5000):
            player.play(tmp_path / "gone.wav")
    with qtbot.waitSignal(player.started, timeout=5000):
        player.play(clip)
    assert player.is_playing()


def test_missing_file_is_reported_plainly(qtbot: QtBot, player: QtPlayer, clip: Path, tmp_path: Path) -> None:
    with qtbot.waitSignal(player.duration_changed, timeout=5000):
        player.play(clip)
    with qtbot.waitSignal(player.error, timeout=5000) as blocker:
        player.play(tmp_path / "gone.wav")
    assert blocker.args == ["The audio file gone.wav is missing."]
    assert player.duration() == 0.0  # nothing left over from the previous file
    assert not player.is_playing()


# Run in a child process: a Qt process sees its audio devices once, and this one has speakers.
_PLAY_WITHOUT_SOUND_SERVER = """
import sys
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication
from app.speech.playback import QtPlayer
app = QGuiApplication([])
player, loop, said = QtPlayer(), QEventLoop(), []
player.error.connect(lambda message: (said.append(message), loop.quit()))
player.finished.connect(loop.quit)
player.play(Path(sys.argv[1]))
QTimer.singleShot(10_000, loop.quit)
loop.exec()
print("ERROR:" + (said[0] if said else "none"), flush=True)
"""


def test_no_output_device_is_reported_plainly(clip: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path / 'no-sound-server'}"}
    done = _run_script(_PLAY_WITHOUT_SOUND_SERVER, env, str(clip))
    assert (
        "ERROR:No sound output device was found. Connect speakers or headphones, "
        "or check the system's sound settings." in done.stdout
    ), done.stderr


_PLAY_TWO = """
import sys
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication
from app.speech.playback import QtPlayer
app = QGuiApplication([])
player = QtPlayer()
for name in sys.argv[1:]:
    loop, said = QEventLoop(), []
    player.error.connect(lambda message: (said.append(message), loop.quit()))
    player.finished.connect(loop.quit)
    player.play(Path(name))
    QTimer.singleShot(10_000, loop.quit)
    loop.exec()
    player.error.disconnect()
    player.finished.disconnect()
    print(Path(name).name + ": " + (said[0] if said else "played"), flush=True)
"""


def test_playing_a_sound_leaves_stderr_free_of_ffmpegs_dump(clip: Path, tmp_path: Path) -> None:
    """Issue 27: every sound played printed FFmpeg's dump of the file ("Input #0, wav, from …",
    "Duration: …", "Stream #0:0: Audio: …") to stderr. A damaged file is still said on stderr."""
    broken = tmp_path / "answer.wav"
    broken.write_bytes(b"RIFF not really a wave file " * 200)
    env = {k: v for k, v in os.environ.items() if k not in ("QT_LOGGING_RULES", "QT_FFMPEG_DEBUG")}
    done = _run_script(_PLAY_TWO, env, str(clip), str(clip), str(broken))
    assert done.stdout.splitlines() == [
        "question.wav: played",
        "question.wav: played",
        "answer.wav: The audio file answer.wav cannot be played: it is damaged or not in a format that "
        "can be decoded.",
    ]
    for dump in ("Input #0", "Duration:", "Stream #0", "Using Qt multimedia with FFmpeg"):
        assert dump not in done.stderr, done.stderr
    assert "playback of " in done.stderr and "answer.wav failed" in done.stderr, done.stderr
