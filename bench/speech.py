"""Speech figures: the model's load and speed, word error rate, question audio, playback timing, and a
2-minute answer spoken in real time."""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.core import collector
from bench.common import Figures, audio, peak_rss_mb

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

WER_CLIPS = {
    "jfk": ["jfk.flac"],
    "librivox": [f"ps_librivox_{n}.wav" for n in ("0870", "0880", "0890", "0920", "0930")],
    "gettysburg": ["gettysburg_speech_only.wav"],
}
RTF_CLIPS = ["ibm_11-ibm-culture-2min.wav", "gettysburg_speech_only.wav"]


def bench_transcribe() -> Figures:
    """The first load checks model.bin's hash (once per install); later loads read the marker."""
    from app.speech.audio import decode_audio
    from app.speech.transcribe import WhisperTranscriber
    from bench.wer import align

    started = time.perf_counter()
    WhisperTranscriber().load()
    first_s = time.perf_counter() - started
    engine = WhisperTranscriber()
    started = time.perf_counter()
    engine.load()
    figures: Figures = {
        "model_load_s": round(time.perf_counter() - started, 3),
        "model_load_s_first": round(first_s, 3),
        "model": engine.model_name,
    }
    rtfs = []
    for name in RTF_CLIPS:
        samples = decode_audio(audio(name))
        t0 = time.perf_counter()
        engine.transcribe(samples)
        rtf = (time.perf_counter() - t0) / (len(samples) / 16_000)
        rtfs.append(rtf)
        figures[f"rtf_{name.split('_')[0].split('.')[0]}"] = round(rtf, 3)
    figures["rtf_default"] = round(max(rtfs), 3)
    errors = words = 0
    for group, names in WER_CLIPS.items():
        g_err = g_words = 0
        for name in names:
            ref = audio(name).with_suffix(".ref.txt").read_text(encoding="utf-8")
            a = align(ref, engine.transcribe(decode_audio(audio(name))).text)
            g_err += a.substitutions + a.deletions + a.insertions
            g_words += a.reference_words
        figures[f"wer_{group}"] = round(g_err / g_words, 3)
        figures[f"wer_{group}_n"] = g_words
        errors += g_err
        words += g_words
    figures["wer_default"] = round(errors / words, 3)  # pooled over every reference word
    figures["wer_default_n"] = words
    figures["rss_mb_transcribe"] = peak_rss_mb()
    return figures


def _wait(
    signals: list[SignalInstance], then: Callable[[], object] = lambda: None, timeout_ms: int = 20_000
) -> None:
    """Call `then`, and run the event loop until the first of `signals` fires (or the timeout).
    Connected first: a player with its file loaded already says "started" inside play(), and a loop
    told to quit before it runs would not."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    fired: list[bool] = []

    def done() -> None:
        fired.append(True)
        loop.quit()

    for s in signals:
        s.connect(done)
    QTimer.singleShot(timeout_ms, loop.quit)
    then()
    if not fired:
        loop.exec()
    for s in signals:
        s.disconnect(done)


def bench_tts() -> Figures:
    """Ask -> the player starts the question, first time (synthesis) and cached; and how long closing
    takes with twenty questions still queued for synthesis."""
    from PySide6.QtCore import QCoreApplication

    from app.speech.ask import QuestionReader
    from app.speech.playback import QtPlayer
    from app.speech.tts import Speaker

    app = QCoreApplication.instance() or QCoreApplication([])
    collector.collect_on_gui_thread()  # as the app runs it: off the speech threads
    text = "Tell me about a time when you disagreed with your manager. How did you handle it?"
    with tempfile.TemporaryDirectory() as cache:
        t0 = time.perf_counter()
        speaker = Speaker(Path(cache))
        if not speaker.available():
            return {"tts_error": speaker.reason()}
        engine_ms = (time.perf_counter() - t0) * 1000
        reader = QuestionReader(speaker, QtPlayer())
        latencies = []
        for _ in range(2):
            _wait([reader.started, reader.failed], lambda: reader.ask(text))
            latencies.append(reader.last_start_latency_ms)
            reader.stop()
        speaker.shutdown()
        queued = Speaker(Path(cache) / "queued")
        for i in range(20):
            queued.synthesize(f"Question number {i}: tell me about a time you learned something new.")
        t0 = time.perf_counter()
        queued.shutdown()
        shutdown_ms = (time.perf_counter() - t0) * 1000
    del app
    if None in latencies:
        return {"tts_error": "the question did not start playing (no audio output?)"}
    cold, cached = latencies
    assert cold is not None and cached is not None
    return {
        "tts_first_audio_ms_cold": round(cold, 1),
        "tts_first_audio_ms_cached": round(cached, 1),
        "tts_engine_start_ms": round(engine_ms, 1),
        "tts_shutdown_ms_20_queued": round(shutdown_ms, 1),
    }


def bench_playback() -> Figures:
    """Wall-clock playback of a 5 s clip at 1x and 1.5x, and the last second after a seek: the tests
    check what reached the speakers; how long it took is measured here."""
    from PySide6.QtCore import QCoreApplication

    from app.speech.playback import QtPlayer

    app = QCoreApplication.instance() or QCoreApplication([])
    collector.collect_on_gui_thread()  # as the app runs it: off the speech threads
    figures: Figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        clip = Path(tmp) / "question.wav"
        text = "Describe a situation where you had to meet a tight deadline. How did you manage it?"
        subprocess.run(["espeak-ng", "-w", str(clip), text], check=True, capture_output=True)
        player = QtPlayer()
        for speed in (1.0, 1.5):
            player.set_speed(speed)
            _wait([player.started, player.error], lambda: player.play(clip))
            t0 = time.perf_counter()
            _wait([player.finished, player.error])
            figures[f"playback_wall_ratio_{speed:g}x"] = round(
                (time.perf_counter() - t0) / player.duration(), 3
            )
        player.set_speed(1.0)
        _wait([player.started, player.error], lambda: player.play(clip))
        t0 = time.perf_counter()
        _wait([player.finished, player.error], lambda: player.seek(player.duration() - 1.0))
        figures["playback_last_second_after_seek_s"] = round(time.perf_counter() - t0, 3)
        player.stop()
    del app
    return figures


def _has_virtual_mic() -> bool:
    try:
        sinks = subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "mic_feed" in sinks.stdout


def bench_live() -> Figures:
    """Gettysburg (119.5 s) spoken in real time into the virtual microphone while the app records and
    transcribes; Stop 0.3 s after the last word. Without the virtual microphone (a user's machine),
    the same audio is fed to the transcriber at real-time pace instead, and the figure says so.
    """
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from app.speech.answer import AnswerResult, AnswerSession
    from app.speech.audio import decode_audio
    from app.speech.streaming import StreamingTranscriber
    from app.speech.transcribe import WhisperTranscriber
    from bench.wer import word_error_rate

    app = QCoreApplication.instance() or QCoreApplication([])
    collector.collect_on_gui_thread()  # as the app runs it: off the speech threads
    clip = audio("gettysburg_speech_only.wav")
    reference = clip.with_suffix(".ref.txt").read_text(encoding="utf-8")
    engine = WhisperTranscriber()
    engine.load()
    loop = QEventLoop()
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if _has_virtual_mic():
            mode = "virtual microphone"
            session = AnswerSession(engine)

            def done(result: object) -> None:
                out["result"] = result
                loop.quit()

            session.finished.connect(done)
            session.start(Path(tmp) / "answer.wav")
            player: list[subprocess.Popen[bytes]] = []

            def speak() -> None:
                player.append(subprocess.Popen(["paplay", "--device=mic_feed", str(clip)]))

            def poll() -> None:
                if player and player[0].poll() is not None:
                    timer.stop()
                    QTimer.singleShot(300, session.stop)

            timer = QTimer()
            timer.timeout.connect(poll)
            QTimer.singleShot(700, speak)
            timer.start(50)
            loop.exec()
            session.shutdown()
            result = out["result"]
            assert isinstance(result, AnswerResult)
            stop_s, text = result.stop_to_transcript_s, result.transcript.text
        else:
            mode = "direct feed (no virtual microphone)"
            samples = decode_audio(clip)
            streaming = StreamingTranscriber(engine)
            streaming.begin()
            pos = [0]
            stopped = [0.0]

            def push() -> None:
                if pos[0] >= len(samples):
                    feeder.stop()
                    stopped[0] = time.perf_counter()
                    streaming.finish()
                    return
                streaming.feed(samples[pos[0] : pos[0] + 1600])
                pos[0] += 1600

            def transcribed(transcript: object) -> None:
                out["transcript"] = transcript
                loop.quit()

            streaming.finished.connect(transcribed)
            feeder = QTimer()
            feeder.timeout.connect(push)
            feeder.start(100)
            loop.exec()
            stop_s = time.perf_counter() - stopped[0]
            streaming.shutdown()
            transcript = out["transcript"]
            text = transcript.text  # type: ignore[attr-defined]
    del app
    return {
        "stop_to_transcript_s_120": round(stop_s, 3),
        # This process holds the recorder and Whisper only: the app's own figure, with the window and
        # every model, is the soak's `rss_mb_recording` (bench/soak.py).
        "rss_mb_answer_pipeline_only": peak_rss_mb(),
        "wer_live_gettysburg": round(word_error_rate(reference, text), 3),
        "live_mode": mode,
    }
