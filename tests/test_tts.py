"""Questions read aloud: real espeak-ng through pyttsx3, real playback, proven on the virtual speakers."""

from __future__ import annotations

import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core import paths
from app.speech.ask import QuestionReader
from app.speech.playback import QtPlayer
from app.speech.tts import DEFAULT_RATE, MAX_RATE, MIN_RATE, Speaker
from app.speech.tts_engine import TtsError
from tests.audio_utils import (
    MonitorRecording,
    correlate_files,
    heard_as_sent,
    load_mono16k,
    rms,
    wav_seconds,
)
from tests.conftest import ARTIFACTS

QUESTION = "Tell me about a time you disagreed with a decision. What did you do, and what happened?"
NO_ESPEAK = (
    "Questions cannot be read aloud: the espeak-ng speech engine is not installed. "
    "Install it with: sudo apt-get install libespeak-ng1"
)


@pytest.fixture
def speaker(qtbot: QtBot, tmp_path: Path) -> Iterator[Speaker]:
    s = Speaker(tmp_path / "tts-cache")
    yield s
    assert s.shutdown(), "the speech thread did not stop"


def _ask(qtbot: QtBot, speaker: Speaker, text: str) -> tuple[int, str]:
    """synthesize() and wait for this request's `ready`."""
    request: list[int] = []
    with qtbot.waitSignal(
        speaker.ready, timeout=10_000, check_params_cb=lambda rid, _path: rid == request[0]
    ) as blocker:
        request.append(speaker.synthesize(text))
    rid, path = blocker.args or (0, "")
    return int(rid), str(path)


def test_question_is_synthesized_and_heard_on_the_speakers(
    qtbot: QtBot, speaker: Speaker, tmp_path: Path
) -> None:
    player = QtPlayer()
    reader = QuestionReader(speaker, player)
    failures: list[str] = []
    reader.failed.connect(failures.append)
    recording = tmp_path / "speakers.wav"
    with MonitorRecording(recording) as monitor:
        with qtbot.waitSignals([reader.started, reader.finished], order="strict", timeout=20_000):
            reader.ask(QUESTION)
        monitor.wait_more(qtbot, 0.4)  # the sink's latency: the end is still on its way to the monitor
    assert failures == []
    wav = speaker.path_for(QUESTION)
    assert speaker.last_latency is not None and not speaker.last_latency.cached
    assert reader.last_start_latency_ms is not None
    ncc, lag = correlate_files(wav, recording)
    print(
        f"\nfirst audio: WAV ready {speaker.last_latency.ms:.1f} ms, playback started "
        f"{reader.last_start_latency_ms:.1f} ms after ask; monitor ncc {ncc:.3f}, lag {lag:.3f} s"
    )
    assert rms(load_mono16k(recording)) > 0.01, "the speakers stayed silent"
    assert (problem := heard_as_sent(wav, recording, ARTIFACTS / "audio")) is None, problem


def test_default_cache_folder_is_in_the_data_folder(qtbot: QtBot) -> None:
    s = Speaker()
    try:
        assert s.cache_dir == paths.data_dir() / "tts-cache"
        path = s.synthesize_blocking("Why do you want this job?")
        assert path.parent == s.cache_dir and path.suffix == ".wav"
    finally:
        assert s.shutdown()


def test_second_request_is_served_from_the_cache(qtbot: QtBot, speaker: Speaker) -> None:
    rid, first = _ask(qtbot, speaker, QUESTION)
    assert first == str(speaker.path_for(QUESTION))
    assert speaker.synthesized_count == 1
    assert speaker.last_latency is not None and speaker.last_latency.request_id == rid
    assert not speaker.last_latency.cached
    made_at = Path(first).stat().st_mtime_ns

    rid2, second = _ask(qtbot, speaker, QUESTION)
    assert second == first
    assert speaker.synthesized_count == 1, "the cached file was synthesized again"
    assert Path(second).stat().st_mtime_ns == made_at
    assert speaker.last_latency.request_id == rid2 and speaker.last_latency.cached
    assert speaker.synthesize_blocking(QUESTION) == Path(first)
    assert speaker.synthesized_count == 1

    speaker.set_rate(DEFAULT_RATE + 60)
    _, faster = _ask(qtbot, speaker, QUESTION)
    assert faster != first
    assert speaker.synthesized_count == 2
    files = sorted(p.name for p in speaker.cache_dir.iterdir())
    assert files == sorted([Path(first).name, Path(faster).name]), "a .part file was left behind"


def test_half_written_cache_file_is_never_used(qtbot: QtBot, speaker: Speaker) -> None:
    target = speaker.path_for(QUESTION)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"RIFF\x00\x00")  # what a crash while writing could leave
    _, path = _ask(qtbot, speaker, QUESTION)
    assert path == str(target)
    assert speaker.synthesized_count == 1
    with wave.open(path, "rb") as w:
        assert w.getnframes() > w.getframerate()  # more than a second of speech


def test_rate_and_voice_change_the_audio(qtbot: QtBot, speaker: Speaker) -> None:
    speaker.set_rate(120)
    slow = speaker.synthesize_blocking(QUESTION)
    speaker.set_rate(300)
    fast = speaker.synthesize_blocking(QUESTION)
    assert slow != fast
    # 300 wpm against 120: well under two thirds of the length (measured: 0.37).
    assert wav_seconds(fast) < 0.6 * wav_seconds(slow)

    ids = {v.id for v in speaker.voices()}
    assert {"gmw/en", "gmw/en-us"} <= ids
    speaker.set_rate(DEFAULT_RATE)
    speaker.set_voice("gmw/en")
    british = speaker.synthesize_blocking(QUESTION)
    speaker.set_voice("gmw/en-us")
    american = speaker.synthesize_blocking(QUESTION)
    assert british != american
    ncc, _ = correlate_files(british, american)
    assert ncc < 0.5, f"two voices sounded alike (ncc {ncc:.2f}; measured ~0.2)"
    assert speaker.synthesized_count == 4


def test_a_run_cancelled_by_pyttsx3_is_repeated(qtbot: QtBot, speaker: Speaker) -> None:
    """The state behind a rare failure: pyttsx3's espeak driver left "stopping" set by a busy check."""
    assert speaker.available()
    driver = speaker._worker._engine.proxy._driver
    driver._stopping = True  # the next run starts, then cancels itself
    long_text = " ".join([QUESTION] * 6)  # long enough that the cancel lands before the end
    path = speaker.synthesize_blocking(long_text)
    assert speaker._worker.retries >= 1
    assert wav_seconds(path) > 20


def test_voices_are_listed_and_settings_are_checked(qtbot: QtBot, speaker: Speaker) -> None:
    assert speaker.available()
    assert speaker.reason() == ""
    voices = speaker.voices()
    assert len(voices) > 10
    assert all(v.id and v.name and isinstance(v.languages, tuple) for v in voices)
    assert speaker.default_voice() in {v.id for v in voices}
    with pytest.raises(ValueError, match="unknown voice"):
        speaker.set_voice("no-such-voice")
    speaker.set_rate(10)
    assert speaker.rate() == MIN_RATE
    speaker.set_rate(10_000)
    assert speaker.rate() == MAX_RATE


def test_empty_text_fails_with_a_message(qtbot: QtBot, speaker: Speaker) -> None:
    with qtbot.waitSignal(speaker.failed, timeout=5000) as blocker:
        rid = speaker.synthesize("  \n ")
    assert blocker.args == [rid, "There is no text to read aloud."]


def test_missing_espeak_gives_the_reason_and_nothing_breaks(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyttsx3

    def no_espeak(*_args: object, **_kwargs: object) -> object:
        # What pyttsx3 raises when libespeak-ng cannot be loaded.
        raise RuntimeError("This means you probably do not have eSpeak or eSpeak-ng installed!")

    monkeypatch.setattr(pyttsx3, "init", no_espeak)
    s = Speaker(tmp_path / "cache")
    # Queued to this thread, so it cannot have been delivered before the event loop runs here.
    with qtbot.waitSignal(s.engine_ready, timeout=5000) as started:
        pass
    assert started.args == [False, NO_ESPEAK]
    try:
        assert not s.available()
        assert s.reason() == NO_ESPEAK
        assert s.voices() == []
        with qtbot.waitSignal(s.failed, timeout=5000) as blocker:
            rid = s.synthesize(QUESTION)
        assert blocker.args == [rid, NO_ESPEAK]
        with pytest.raises(TtsError) as raised:
            s.synthesize_blocking(QUESTION)
        assert str(raised.value) == NO_ESPEAK

        reader = QuestionReader(s, QtPlayer())
        with qtbot.waitSignal(reader.failed, timeout=5000) as told:
            reader.ask(QUESTION)
        assert told.args == [NO_ESPEAK]
    finally:
        assert s.shutdown()


def test_missing_pyttsx3_gives_the_reason(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyttsx3", None)  # `import pyttsx3` now raises ImportError
    s = Speaker(tmp_path / "cache")
    try:
        assert not s.available()
        assert "pip install pyttsx3" in s.reason()
    finally:
        assert s.shutdown()


def test_shutdown_drops_queued_work(qtbot: QtBot, tmp_path: Path) -> None:
    """Closing the app does not wait for twenty questions to be spoken into files first."""
    s = Speaker(tmp_path / "cache")
    for i in range(20):
        s.synthesize(f"Question number {i}: tell me about a time you learned something new.")
    assert s.shutdown()
    assert len(list((tmp_path / "cache").glob("*.wav"))) < 20
    assert s.shutdown(), "a second shutdown must be harmless"
    with qtbot.waitSignal(s.failed, timeout=5000) as blocker:
        s.synthesize("One more question?")
    assert "closing" in blocker.args[1]
