"""One spoken answer: record it, transcribe it while it is spoken, and hand over both after Stop.

This is the pipeline the practice screen drives; it owns no widgets, so tests and the benchmark
drive exactly the same code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from app.speech.capture import Recorder
from app.speech.capture_worker import RecordingResult
from app.speech.speech_thread import SpeechThread
from app.speech.streaming import StreamingTranscriber
from app.speech.transcript import Transcriber, Transcript


@dataclass(frozen=True)
class AnswerResult:
    recording: RecordingResult
    transcript: Transcript
    stop_to_transcript_s: float  # from the Stop press to the final transcript
    # Why stretches could not be transcribed (a broken model): the transcript is then not the answer.
    transcription_errors: tuple[str, ...] = ()


class AnswerSession(QObject):
    level = Signal(float, float)
    elapsed = Signal(float)
    partial = Signal(object)  # Transcript so far, for the live view
    provisional = Signal(object)  # Transcript of the words not in `partial` yet (the screen only)
    warning = Signal(str)
    error = Signal(str)
    finished = Signal(object)  # AnswerResult, or None when nothing was kept (Escape, no microphone)
    model_ready = Signal()

    def __init__(
        self, engine: Transcriber, parent: QObject | None = None, *, speech: SpeechThread | None = None
    ) -> None:
        super().__init__(parent)
        self.recorder = Recorder(self)
        self.streaming = StreamingTranscriber(engine, self, speech=speech)
        self.recorder.level.connect(self.level)
        self.recorder.elapsed.connect(self.elapsed)
        self.recorder.warning.connect(self.warning)
        self.recorder.error.connect(self.error)
        self.recorder.chunk.connect(self.streaming.feed)
        self.recorder.finished.connect(self._on_recorded)
        self.streaming.partial.connect(self.partial)
        self.streaming.provisional.connect(self.provisional)
        self.streaming.error.connect(self.error)
        self.streaming.ready.connect(self.model_ready)
        self.streaming.finished.connect(self._on_transcribed)
        self._stop_pressed = 0.0
        self._recording: RecordingResult | None = None

    def load_model(self) -> None:
        self.streaming.load()

    def start(self, path: Path, device_id: str = "") -> None:
        self._recording = None
        self._stop_pressed = 0.0
        self.streaming.begin()
        self.recorder.start(path, device_id)

    def stop(self) -> None:
        self._stop_pressed = time.perf_counter()
        self.recorder.stop()
        self.streaming.stopping()

    def abort(self) -> None:
        self.streaming.cancel()
        self.recorder.abort()

    def shutdown(self) -> None:
        self.recorder.shutdown()
        self.streaming.shutdown()

    @Slot(object)
    def _on_recorded(self, result: RecordingResult | None) -> None:
        if result is None:
            self.streaming.cancel()
            self.finished.emit(None)
            return
        self._recording = result
        if not self._stop_pressed:  # ended by the device, not by the user
            self._stop_pressed = time.perf_counter()
        self.streaming.finish()

    @Slot(object)
    def _on_transcribed(self, transcript: Transcript) -> None:
        if self._recording is None:
            return
        recording, self._recording = self._recording, None
        self.finished.emit(
            AnswerResult(
                recording,
                transcript,
                time.perf_counter() - self._stop_pressed,
                tuple(self.streaming.failures),
            )
        )
