"""Questions read aloud: pyttsx3 writes cached WAV files from the one thread that owns its engine.

Measured constraints (notes/FINDINGS.md and below) shape everything here:
- one engine, one thread: using pyttsx3 from two threads deadlocks, so a single worker thread owns it
  and a process-wide lock keeps a second `Speaker` (tests, benchmarks) from using it at the same time;
- `runAndWait()` returns before the WAV exists: we wait for `finished-utterance`;
- one `save_to_file` per `runAndWait`, or only the last file is written;
- espeak-ng runs asynchronously here, and pyttsx3 cancels espeak's queue at the start of a run
  whenever espeak looks busy: setting voice and rate just before a run lost them in about half of 60
  requests (one file came out empty). So the worker waits until espeak is idle around every change,
  checks that the voice took, and sets the rate in-band with espeak's embedded command (400 of 400
  right in a stress run). The same check can leave a stale "stop" flag that cancels the next run
  (`finished-utterance` with completed=False; seen once in ~150 runs): such a run is repeated.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from app.core import paths
from app.speech.tts_engine import EngineInfo, EngineWorker, SpeechJob, TtsError, Voice, usable_wav

log = logging.getLogger(__name__)

DEFAULT_RATE = 175  # words per minute; espeak-ng's own default, calmer than pyttsx3's 200
MIN_RATE, MAX_RATE = 80, 450  # what espeak-ng accepts
CACHE_VERSION = "1"  # bump when the way audio is made changes, so old files are not reused

# Threads that did not stop in time are kept referenced: destroying a running QThread aborts.
_LEAKED: list[object] = []
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # \x01 would start an espeak embedded command


@dataclass(frozen=True)
class Latency:
    """Request → WAV ready, the part of "first audio" that text-to-speech owns."""

    request_id: int
    cached: bool
    ms: float


def clean_text(text: str) -> str:
    """What is spoken and what the cache key is made of: no control characters, single spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def cache_name(text: str, voice: str | None, rate: int) -> str:
    key = json.dumps([CACHE_VERSION, clean_text(text), voice or "default", int(rate)], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest() + ".wav"


class Speaker(QObject):
    """Text → cached WAV file, made off the GUI thread. One per app; call `shutdown()` when closing.

    `synthesize()` answers with `ready(request_id, wav_path)` or `failed(request_id, message)`,
    always later, from the event loop, so callers can connect after calling.
    """

    ready = Signal(int, str)
    failed = Signal(int, str)
    engine_ready = Signal(bool, str)  # once, when the engine has started or failed to: (available, reason)

    _post_job = Signal(object)
    _post_close = Signal()

    def __init__(self, cache_dir: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cache_dir = cache_dir if cache_dir is not None else paths.data_dir() / "tts-cache"
        self._voice: str | None = None
        self._rate = DEFAULT_RATE
        self._next_id = 0
        self._jobs: dict[int, SpeechJob] = {}
        self._lock = threading.Lock()  # `_jobs` is touched by blocking callers too
        self._stop = threading.Event()
        self.last_latency: Latency | None = None
        self._info: Future[EngineInfo] = Future()
        self._thread: QThread | None = QThread()
        self._thread.setObjectName("star-coach-tts")
        self._worker = EngineWorker(self._info, self._stop)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.start_engine)
        self._post_job.connect(self._worker.run_job)
        self._post_close.connect(self._worker.close)
        self._worker.job_done.connect(self._on_job_done)
        self._worker.engine_started.connect(self._on_engine_started)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._thread.start()

    # --- engine state -------------------------------------------------------------------------

    def available(self, timeout: float = 10.0) -> bool:
        """Whether speech can be made; waits for the engine to start (~0.1 s after construction)."""
        return self._engine_info(timeout).available

    def reason(self, timeout: float = 10.0) -> str:
        """Why speech is unavailable, with what to do about it; "" when it is available."""
        return self._engine_info(timeout).reason

    def engine_started(self) -> bool:
        """Whether the engine has started (or failed to): then nothing here waits for it."""
        return self._info.done()

    def known_unavailable(self) -> str:
        """Why speech cannot be made, once the engine has said so; "" while it is still starting or
        when it works. Never waits: a request made while it starts is queued until it has."""
        if not self._info.done():
            return ""
        info = self._info.result()
        return "" if info.available else info.reason

    def voices(self, timeout: float = 10.0) -> list[Voice]:
        return list(self._engine_info(timeout).voices)

    def default_voice(self, timeout: float = 10.0) -> str | None:
        return self._engine_info(timeout).default_voice

    def _engine_info(self, timeout: float) -> EngineInfo:
        try:
            return self._info.result(timeout)
        except FutureTimeout:
            return EngineInfo(
                False, self.tr("Questions cannot be read aloud: the speech engine did not start.")
            )

    @property
    def synthesized_count(self) -> int:
        """Files actually synthesized (not served from the cache) by this speaker."""
        return self._worker.synthesized

    @property
    def cache_dir(self) -> Path:
        return self._cache_dir

    # --- settings -----------------------------------------------------------------------------

    def voice(self) -> str | None:
        """The chosen voice id; None means the engine's default."""
        return self._voice

    def set_voice(self, voice_id: str | None, check: bool = True) -> None:
        """Raises ValueError for an id the engine does not offer (the settings UI lists `voices()`);
        `check=False` takes it unchecked, without waiting for the engine to start (at start-up)."""
        if voice_id is not None and check:
            known = {v.id for v in self.voices()}
            if known and voice_id not in known:
                raise ValueError(f"unknown voice {voice_id!r}")
        self._voice = voice_id

    def rate(self) -> int:
        return self._rate

    def set_rate(self, words_per_minute: int) -> None:
        """Clamped to what espeak-ng accepts (80-450)."""
        self._rate = max(MIN_RATE, min(MAX_RATE, int(words_per_minute)))

    def path_for(self, text: str) -> Path:
        """Where the audio for `text` with the current voice and rate is (or will be) cached."""
        return self._cache_dir / cache_name(text, self._voice, self._rate)

    # --- requests -----------------------------------------------------------------------------

    def synthesize(self, text: str) -> int:
        """Starts making the audio for `text`; returns the request id that `ready`/`failed` carry."""
        started = time.perf_counter()
        request_id = self._new_id()
        spoken = clean_text(text)
        path = self.path_for(spoken)
        if not spoken:
            self._answer_later(request_id, "", self.tr("There is no text to read aloud."))
        elif usable_wav(path):
            self._answer_later(request_id, str(path), "", started)
        elif self._info.done() and not self._info.result().available:
            self._answer_later(request_id, "", self._info.result().reason)
        elif self._thread is None:
            self._answer_later(request_id, "", self.tr("Speech was stopped because the app is closing."))
        else:
            job = SpeechJob(request_id, spoken, self._voice, self._rate, path, started)
            with self._lock:
                self._jobs[request_id] = job
            self._post_job.emit(job)
        return request_id

    def synthesize_blocking(self, text: str, timeout: float = 30.0) -> Path:
        """The WAV for `text`, waiting for it (tests, benchmarks). Raises TtsError with the reason."""
        started = time.perf_counter()
        request_id = self._new_id()
        spoken = clean_text(text)
        path = self.path_for(spoken)
        if not spoken:
            raise TtsError(self.tr("There is no text to read aloud."))
        if usable_wav(path):
            self._record_latency(request_id, started, cached=True)
            return path
        if not self.available(timeout):
            raise TtsError(self.reason(0))
        if self._thread is None:
            raise TtsError(self.tr("Speech was stopped because the app is closing."))
        job = SpeechJob(request_id, spoken, self._voice, self._rate, path, started, quiet=True)
        with self._lock:
            self._jobs[request_id] = job
        self._post_job.emit(job)
        try:
            result = job.future.result(timeout)
        except FutureTimeout:
            raise TtsError(self.tr("The speech engine did not finish in time.")) from None
        finally:
            with self._lock:
                self._jobs.pop(request_id, None)
        self._record_latency(request_id, started, cached=False)
        return result

    def _new_id(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id

    def _record_latency(self, request_id: int, started: float, cached: bool) -> None:
        self.last_latency = Latency(request_id, cached, (time.perf_counter() - started) * 1000)

    def _answer_later(self, request_id: int, path: str, error: str, started: float = 0.0) -> None:
        if error:
            QTimer.singleShot(0, self, lambda: self.failed.emit(request_id, error))
        else:
            QTimer.singleShot(0, self, lambda: self._answer_cached(request_id, path, started))

    def _answer_cached(self, request_id: int, path: str, started: float) -> None:
        self._record_latency(request_id, started, cached=True)
        self.ready.emit(request_id, path)

    @Slot(int, str, str, bool)
    def _on_job_done(self, request_id: int, path: str, error: str, synthesized: bool) -> None:
        with self._lock:
            job = self._jobs.pop(request_id, None)
        if job is None:
            return
        if error:
            self.failed.emit(request_id, error)
            return
        self._record_latency(request_id, job.started, cached=not synthesized)
        self.ready.emit(request_id, path)

    @Slot(bool, str)
    def _on_engine_started(self, available: bool, reason: str) -> None:
        self.engine_ready.emit(available, reason)

    # --- closing ------------------------------------------------------------------------------

    @Slot()
    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stops the speech thread cooperatively; False if it did not stop within `timeout_ms`."""
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        self._stop.set()
        self._post_close.emit()
        stopped = thread.wait(timeout_ms)
        if not stopped:
            log.error("text-to-speech thread did not stop within %d ms", timeout_ms)
            _LEAKED.append((thread, self._worker))
        with self._lock:
            pending, self._jobs = list(self._jobs.values()), {}
        for job in pending:
            if not job.future.done():
                job.future.set_exception(TtsError(self.tr("Speech was stopped because the app is closing.")))
        if not self._info.done():
            self._info.set_result(
                EngineInfo(False, self.tr("Speech was stopped because the app is closing."))
            )
        return bool(stopped)
