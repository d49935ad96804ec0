"""The pyttsx3/espeak-ng engine on its own thread: it starts once, lists its voices and writes each
question's audio to a WAV file; app.speech.tts.Speaker is its face to the rest of the app."""

from __future__ import annotations

import logging
import os
import threading
import time
import wave
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

# pyttsx3 keeps one engine per driver for the whole process and espeak-ng's state is global:
# whoever touches the engine holds this lock.
_ENGINE_LOCK = threading.Lock()


# The engine lives as long as the process. Freeing it resets espeak's (global) audio callback, which
# deafens an engine made in the meantime; a new engine is also the one state where a run can be
# cancelled by leftovers of the driver's own start-up.
_KEEP_ENGINE: list[Any] = []


ATTEMPTS = 3  # pyttsx3 cancels a run now and then (see `_synthesize`); a second attempt has always worked


def _driver_print(*args: object, **_kwargs: object) -> None:
    log.debug(" ".join(str(a) for a in args))


class TtsError(RuntimeError):
    """Speech could not be produced; the message is meant for the user."""


class Voice(NamedTuple):
    id: str
    name: str
    languages: tuple[str, ...]


@dataclass
class SpeechJob:
    request_id: int
    text: str
    voice: str | None
    rate: int
    path: Path
    started: float
    quiet: bool = False  # blocking requests answer through `future`, not signals
    future: Future[Path] = field(default_factory=Future)


@dataclass(frozen=True)
class EngineInfo:
    available: bool
    reason: str
    voices: tuple[Voice, ...] = ()
    default_voice: str | None = None


def usable_wav(path: Path) -> bool:
    """A finished WAV with sound in it; a crash can leave neither a header nor frames."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() > 0
    except (OSError, EOFError, wave.Error):
        return False


class EngineWorker(QObject):
    """Owns the pyttsx3 engine; lives in the speech thread and never touches the GUI."""

    job_done = Signal(int, str, str, bool)  # request id, path or "", error or "", synthesized
    engine_started = Signal(bool, str)

    def __init__(self, info: Future[EngineInfo], stop: threading.Event) -> None:
        super().__init__()
        self._info = info
        self._stop = stop
        self._engine: Any = None
        self._tokens: list[Any] = []
        self._default_voice: str | None = None
        self._espeak: Any = None  # pyttsx3's ctypes binding of espeak-ng, when that is the driver
        self._utterance_done = threading.Event()
        self._utterance_completed = False
        self._engine_error: str | None = None
        self.retries = 0  # runs pyttsx3 cancelled and we repeated
        self.synthesized = 0  # read by tests and the benchmark: how many files were actually made

    @Slot()
    def start_engine(self) -> None:
        try:
            with _ENGINE_LOCK:
                info = self._start_engine()
        except Exception as e:  # whatever the driver raises, the app goes on without speech
            log.exception("text-to-speech engine failed to start")
            info = EngineInfo(False, self._reason_for(e))
        if not info.available:
            log.warning("text-to-speech unavailable: %s", info.reason)
        self._info.set_result(info)
        self.engine_started.emit(info.available, info.reason)

    def _start_engine(self) -> EngineInfo:
        import pyttsx3  # imported here: the import error is a reason to show, not a crash

        engine = pyttsx3.init()
        self._engine = engine
        if not any(e is engine for e in _KEEP_ENGINE):
            _KEEP_ENGINE[:] = [engine]
        self._tokens = [
            engine.connect("finished-utterance", self._on_finished),
            engine.connect("error", self._on_error),
        ]
        if str(getattr(engine, "driver_name", "")) == "espeak":
            from pyttsx3.drivers import _espeak, espeak

            self._espeak = _espeak
            # The driver prints "Audio saved to …" for every file, which would corrupt the JSON that
            # `main.py bench --json` prints: send it to the log instead.
            espeak.print = _driver_print
        voices = tuple(
            Voice(str(v.id), str(v.name or v.id), tuple(str(lang) for lang in (v.languages or ())))
            for v in engine.getProperty("voices")
        )
        current = engine.getProperty("voice")
        self._default_voice = str(current) if current else None
        self._wait_idle()  # the driver's start-up settings must be applied, not cancelled by the run below
        if engine.isBusy():
            # A new engine queues property changes, and the next run would cancel them. One run with
            # nothing to say empties the queue; only a new engine may have it: a run on a used engine
            # with nothing to say never ends (or says the previous text again).
            engine.runAndWait()
        self._wait_idle()
        return EngineInfo(True, "", voices, self._default_voice)

    def _reason_for(self, error: BaseException) -> str:
        if isinstance(error, ImportError):
            return self.tr(
                "Questions cannot be read aloud: the pyttsx3 package is not installed. "
                "Install it with: pip install pyttsx3"
            )
        if "espeak" in str(error).lower() or isinstance(error, OSError):
            return self.tr(
                "Questions cannot be read aloud: the espeak-ng speech engine is not installed. "
                "Install it with: sudo apt-get install libespeak-ng1"
            )
        return self.tr("Questions cannot be read aloud: the speech engine did not start ({0}).").format(error)

    # Called by pyttsx3 from espeak's own thread: set flags only, never raise.
    def _on_finished(self, name: object = None, completed: object = True) -> None:
        self._utterance_completed = bool(completed)
        self._utterance_done.set()

    def _on_error(self, name: object = None, exception: object = None) -> None:
        self._engine_error = str(exception)
        self._utterance_done.set()

    @Slot(object)
    def run_job(self, job: SpeechJob) -> None:
        error, made = "", False
        try:
            if self._stop.is_set():
                raise TtsError(self.tr("Speech was stopped because the app is closing."))
            if self._engine is None:
                info = self._info.result() if self._info.done() else None
                raise TtsError(
                    info.reason if info and info.reason else self.tr("The speech engine is not running.")
                )
            if not usable_wav(job.path):  # an identical request may have been queued twice
                self._synthesize(job)
                made = True
            job.future.set_result(job.path)
        except Exception as e:
            log.warning("speech for request %s failed: %s", job.request_id, e)
            error = str(e) if isinstance(e, TtsError) else self.tr("Speech failed: {0}").format(e)
            job.future.set_exception(TtsError(error))
        if not job.quiet:
            self.job_done.emit(job.request_id, "" if error else str(job.path), error, made)

    def _synthesize(self, job: SpeechJob) -> None:
        """One file, written to a `.part` beside it and renamed once it is complete."""
        job.path.parent.mkdir(parents=True, exist_ok=True)
        part = job.path.with_name(f".{job.path.stem}.{os.getpid()}.{job.request_id}.part")
        voice = job.voice or self._default_voice
        text = job.text
        if self._espeak is not None:
            text = f"\x01{job.rate}S {text}"  # espeak's embedded rate command, applied in-band
        try:
            for attempt in range(ATTEMPTS):
                part.unlink(missing_ok=True)
                if self._run_once(text, voice, job.rate, part):
                    break
                # pyttsx3 cancels the run it starts when espeak-ng looked busy a moment before
                # (it reports `finished-utterance` with completed=False): seen once in ~150 runs.
                log.info(
                    "speech run %d for request %s was cancelled; repeating it", attempt + 1, job.request_id
                )
                self.retries += 1
            else:
                raise TtsError(self.tr("The speech engine produced no audio for this text."))
            os.replace(part, job.path)
            self.synthesized += 1
        finally:
            part.unlink(missing_ok=True)

    def _run_once(self, text: str, voice: str | None, rate: int, part: Path) -> bool:
        """One save_to_file + runAndWait; True when a complete WAV is in `part`."""
        with _ENGINE_LOCK:
            self._select(voice, rate)
            self._utterance_done.clear()
            self._utterance_completed = False
            self._engine_error = None
            self._engine.save_to_file(text, str(part))
            self._engine.runAndWait()
            if not self._wait_utterance(10.0 + len(text) / 100):
                self._engine.stop()
                if self._stop.is_set():
                    raise TtsError(self.tr("Speech was stopped because the app is closing."))
                raise TtsError(self.tr("The speech engine did not finish in time."))
            self._wait_idle()
        if self._engine_error:
            raise TtsError(self.tr("The speech engine failed: {0}").format(self._engine_error))
        return self._utterance_completed and usable_wav(part)

    def _select(self, voice: str | None, rate: int) -> None:
        """Voice and rate, applied and checked before synthesis starts."""
        for _attempt in range(3):
            self._wait_idle()
            if voice:
                self._engine.setProperty("voice", voice)
            self._engine.setProperty("rate", rate)
            self._wait_idle()
            if not voice or self._espeak is None or self._engine.getProperty("voice") == voice:
                return
        raise TtsError(self.tr("The voice {0} could not be selected.").format(voice))

    def _wait_idle(self, timeout: float = 2.0, settle: int = 3) -> None:
        """Until espeak-ng has run every queued command; pyttsx3 would otherwise cancel them.

        Idle for `settle` checks in a row: a command just queued may not have been picked up yet.
        """
        if self._espeak is None:
            return
        deadline = time.monotonic() + timeout
        quiet = 0
        while quiet < settle and time.monotonic() < deadline:
            quiet = 0 if self._espeak.IsPlaying() else quiet + 1
            time.sleep(0.001)

    def _wait_utterance(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self._utterance_done.wait(0.05):
            if self._stop.is_set() or time.monotonic() > deadline:
                return False
        return True

    @Slot()
    def close(self) -> None:
        """Releases the engine in its own thread, then ends the thread's event loop."""
        if self._engine is not None:
            with _ENGINE_LOCK:
                for token in self._tokens:
                    self._engine.disconnect(token)
                self._tokens = []
                self._engine = None
        thread = QThread.currentThread()
        if thread is not None:
            thread.quit()
