"""The transcription thread started at launch: the model loads on it before the practice exists, and
the practice then transcribes on that same thread (a CTranslate2 model used from another thread than
the one that built it, after that one ended, ran 4-6x slower: docs/speech-findings.md)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.analysis.labeller_files import default_labeller
from app.bank.questions import load_bank_or_builtin
from app.core.settings import Settings
from app.services import Services
from app.speech.audio import SAMPLE_RATE, Samples
from app.speech.gate import silent_transcript
from app.speech.speech_thread import SpeechThread, speech_thread_for
from app.speech.streaming import StreamingTranscriber
from app.speech.transcribe import WhisperTranscriber
from app.speech.transcript import Transcript


class ThreadNoting:
    """An engine that notes the thread of every call."""

    name = "noting"
    model_name = "none"

    def __init__(self) -> None:
        self.loads: list[int] = []
        self.transcribes: list[int] = []

    def load(self) -> None:
        self.loads.append(threading.get_ident())

    def transcribe(self, samples: Samples, offset: float = 0.0) -> Transcript:
        self.transcribes.append(threading.get_ident())
        return silent_transcript(
            self.name, self.model_name, len(samples) / SAMPLE_RATE, time.perf_counter(), ""
        )


@pytest.fixture
def speech() -> Iterator[SpeechThread]:
    thread = SpeechThread(ThreadNoting())
    yield thread
    thread.shutdown()


def test_a_streaming_transcriber_takes_over_the_thread_the_model_loaded_on(
    qtbot: QtBot, speech: SpeechThread
) -> None:
    engine = speech.engine
    assert isinstance(engine, ThreadNoting)
    with qtbot.waitSignal(speech.worker.loaded, timeout=5000):
        speech.load()  # at launch, before the practice exists
    streaming = StreamingTranscriber(engine, speech=speech)
    with qtbot.waitSignal(streaming.ready, timeout=5000):
        streaming.load()  # the practice asks again, after the model loaded: it still hears `ready`
    with qtbot.waitSignal(streaming.finished, timeout=5000):
        streaming.begin()
        streaming.feed(np.zeros(SAMPLE_RATE, dtype=np.float32))
        streaming.finish()
    assert engine.transcribes, "nothing was transcribed"
    assert set(engine.loads) | set(engine.transcribes) == {engine.loads[0]}
    assert engine.loads[0] != threading.get_ident()  # not the GUI thread
    streaming.shutdown()
    speech.shutdown()  # again, as the app does at exit: nothing happens


class SlowLoading(ThreadNoting):
    def load(self) -> None:
        time.sleep(0.5)
        super().load()


def test_practice_is_ready_once_when_the_model_was_loading_before_the_services_were_made(
    qtbot: QtBot,
) -> None:
    """As at launch: the model starts loading, then the services are made and ask for it again, so
    that it says "loaded" twice; the labeller (loaded already here) is ready before either."""
    bank = load_bank_or_builtin(None).bank
    default_labeller(bank)
    speech = SpeechThread(SlowLoading())
    speech.load()
    services = Services.create(bank, Settings(), speech=speech)
    try:
        assert services.practice.engine is speech.engine
        ready: list[str] = []
        services.start_background_loading(lambda: ready.append("ready"))
        qtbot.waitUntil(lambda: bool(ready), timeout=60_000)
        qtbot.wait(1000)  # the model's second "loaded" has come by now
        assert ready == ["ready"]
    finally:
        services.shutdown()


def test_the_thread_must_run_the_engine_given(speech: SpeechThread) -> None:
    with pytest.raises(ValueError):
        StreamingTranscriber(ThreadNoting(), speech=speech)


def test_an_unknown_engine_in_the_settings_runs_whisper_and_says_why() -> None:
    speech = speech_thread_for(Settings(engine="vosk"))
    try:
        assert isinstance(speech.engine, WhisperTranscriber)
        assert "vosk" in speech.notices[0] and "Whisper tiny.en" in speech.notices[0]
        assert not speech.engine.loaded  # loading waits for load()
    finally:
        speech.shutdown()
