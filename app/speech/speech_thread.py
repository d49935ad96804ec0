"""The thread speech is transcribed on, started at launch and kept for the app's life.

The Whisper model is built on this thread and used only from it: a CTranslate2 model built on a thread
that then ends ran every transcription 4-6x slower (docs/speech-findings.md). Starting it at launch,
before the window is built, lets the model load while the window, the history and the practice
services are made; the `StreamingTranscriber` of the practice then takes the thread over.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.core.settings import Settings
from app.speech.audio import SAMPLE_RATE
from app.speech.transcribe import make_transcriber
from app.speech.transcript import SpeechError, Transcriber, Transcript

log = logging.getLogger(__name__)
Samples = npt.NDArray[np.float32]

TRAILING_SILENCE = SAMPLE_RATE  # samples


@dataclass(frozen=True)
class Segment:
    start: int  # first sample, counted from the start of the recording
    samples: Samples

    @property
    def offset(self) -> float:
        return self.start / SAMPLE_RATE


class SpeechWorker(QObject):
    """Owns the engine on its own thread; segments are handled one at a time, in order."""

    loaded = Signal()
    done = Signal(int, object)  # job number, Transcript
    failed = Signal(int, str)  # job number (-1: loading), message
    looked = Signal(int, object, float)  # job number, Transcript or None, CPU seconds: a provisional look

    def __init__(self, engine: Transcriber) -> None:
        super().__init__()
        self.engine = engine

    @Slot()
    def load(self) -> None:
        try:
            self.engine.load()
        except SpeechError as e:
            self.failed.emit(-1, str(e))
            return
        self.loaded.emit()

    @Slot(int, object)
    def look(self, job: int, segment: Segment) -> None:
        """A provisional look at the open stretch: for the screen only, so a failure just shows nothing."""
        samples = np.concatenate([segment.samples, np.zeros(TRAILING_SILENCE, dtype=np.float32)])
        cpu = time.process_time()  # the whole process's: CTranslate2 decodes on threads of its own
        try:
            transcript: Transcript | None = self.engine.transcribe(samples, offset=segment.offset)
        except Exception:
            log.exception("provisional transcription failed")
            transcript = None
        self.looked.emit(job, transcript, time.process_time() - cpu)

    @Slot(int, object)
    def run(self, job: int, segment: Segment) -> None:
        # A second of silence after each stretch: cut right after the last word, Whisper dropped the
        # answer's closing words (the walk-through of issue 24 lost "and that cut the false alarms by
        # two-thirds", the whole result); the same audio with a second of silence after it kept them.
        samples = np.concatenate([segment.samples, np.zeros(TRAILING_SILENCE, dtype=np.float32)])
        try:
            self.done.emit(job, self.engine.transcribe(samples, offset=segment.offset))
        except SpeechError as e:
            self.failed.emit(job, str(e))
        except Exception as e:  # an engine bug must reach the screen, not kill the thread
            log.exception("transcription failed")
            self.failed.emit(job, f"Transcription failed: {e}")


class SpeechThread(QObject):
    """One engine on one long-lived thread. `load()` loads its model there (again: a no-op, and
    `worker.loaded` or `worker.failed` is sent again, so a listener connected late still hears it)."""

    _load = Signal()

    def __init__(self, engine: Transcriber, notices: list[str] | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.notices = notices or []  # why this is not the engine the settings name
        self._thread = QThread()
        self._thread.setObjectName("transcribe")
        self.worker = SpeechWorker(engine)
        self.worker.moveToThread(self._thread)
        self._load.connect(self.worker.load)
        self._thread.start()

    def load(self) -> None:
        """Load the model on this thread (call early: a practice should not wait for it)."""
        self._load.emit()

    def shutdown(self) -> None:
        """After the transcription under way (a load takes ~1 s; a stretch a few); again: a no-op."""
        self._thread.quit()
        self._thread.wait(60_000)


def speech_thread_for(settings: Settings) -> SpeechThread:
    """The engine and model in the settings, or the bundled Whisper model, saying why; not yet loading."""
    # A model applies to Whisper only; the saved one is kept for when Whisper is chosen again.
    model = (settings.model or None) if settings.engine == "whisper" else None
    try:
        return SpeechThread(make_transcriber(settings.engine, model))
    except SpeechError as e:
        notice = f"{e} STAR Coach uses Whisper tiny.en instead; choose the engine in Settings (Ctrl+,)."
        return SpeechThread(make_transcriber("whisper", None), [notice])
