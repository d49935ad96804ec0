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
import os
import re
import threading
import time
import wave
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from app import paths

log = logging.getLogger(__name__)

DEFAULT_RATE = 175  # words per minute; espeak-ng's own default, calmer than pyttsx3's 200
MIN_RATE, MAX_RATE = 80, 450  # what espeak-ng accepts
CACHE_VERSION = "1"  # bump when the way audio is made changes, so old files are not reused

# pyttsx3 keeps one engine per driver for the whole process and espeak-ng's state is global:
# whoever touches the engine holds this lock.
_ENGINE_LOCK = threading.Lock()
# Threads that did not stop in time are kept referenced: destroying a running QThread aborts.
_LEAKED: list[object] = []
# The engine lives as long as the process. Freeing it resets espeak's (global) audio callback, which
# deafens an engine made in the meantime; a new engine is also the one state where a run can be
# cancelled by leftovers of the driver's own start-up.
_KEEP_ENGINE: list[Any] = []
ATTEMPTS = 3  # pyttsx3 cancels a run now and then (see `_synthesize`); a second attempt has always worked
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # \x01 would start an espeak embedded command


def _driver_print(*args: object, **_kwargs: object) -> None:
    log.debug(" ".join(str(a) for a in args))


class TtsError(RuntimeError):
    """Speech could not be produced; the message is meant for the user."""


class Voice(NamedTuple):
    id: str
    name: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Latency:
    """Request → WAV ready, the part of "first audio" that text-to-speech owns."""

    request_id: int
    cached: bool
    ms: float


@dataclass
class _Job:
    request_id: int
    text: str
    voice: str | None
    rate: int
    path: Path
    started: float
    quiet: bool = False  # blocking requests answer through `future`, not signals
    future: Future[Path] = field(default_factory=Future)


@dataclass(frozen=True)
class _EngineInfo:
    available: bool
    reason: str
    voices: tuple[Voice, ...] = ()
    default_voice: str | None = None


def clean_text(text: str) -> str:
    """What is spoken and what the cache key is made of: no control characters, single spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def cache_name(text: str, voice: str | None, rate: int) -> str:
    key = json.dumps([CACHE_VERSION, clean_text(text), voice or "default", int(rate)], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest() + ".wav"


def _usable_wav(path: Path) -> bool:
    """A finished WAV with sound in it; a crash can leave neither a header nor frames."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() > 0
    except (OSError, EOFError, wave.Error):
        return False


class _Worker(QObject):
    """Owns the pyttsx3 engine; lives in the speech thread and never touches the GUI."""

    job_done = Signal(int, str, str, bool)  # request id, path or "", error or "", synthesized
    engine_started = Signal(bool, str)

    def __init__(self, info: Future[_EngineInfo], stop: threading.Event) -> None:
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
            info = _EngineInfo(False, self._reason_for(e))
        if not info.available:
            log.warning("text-to-speech unavailable: %s", info.reason)
        self._info.set_result(info)
        self.engine_started.emit(info.available, info.reason)

    def _start_engine(self) -> _EngineInfo:
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
        return _EngineInfo(True, "", voices, self._default_voice)

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
    def run_job(self, job: _Job) -> None:
        error, made = "", False
        try:
            if self._stop.is_set():
                raise TtsError(self.tr("Speech was stopped because the app is closing."))
            if self._engine is None:
                info = self._info.result() if self._info.done() else None
                raise TtsError(
                    info.reason if info and info.reason else self.tr("The speech engine is not running.")
                )
            if not _usable_wav(job.path):  # an identical request may have been queued twice
                self._synthesize(job)
                made = True
            job.future.set_result(job.path)
        except Exception as e:
            log.warning("speech for request %s failed: %s", job.request_id, e)
            error = str(e) if isinstance(e, TtsError) else self.tr("Speech failed: {0}").format(e)
            job.future.set_exception(TtsError(error))
        if not job.quiet:
            self.job_done.emit(job.request_id, "" if error else str(job.path), error, made)

    def _synthesize(self, job: _Job) -> None:
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
        return self._utterance_completed and _usable_wav(part)

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
        self._jobs: dict[int, _Job] = {}
        self._lock = threading.Lock()  # `_jobs` is touched by blocking callers too
        self._stop = threading.Event()
        self.last_latency: Latency | None = None
        self._info: Future[_EngineInfo] = Future()
        self._thread: QThread | None = QThread()
        self._thread.setObjectName("star-coach-tts")
        self._worker = _Worker(self._info, self._stop)
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

    def _engine_info(self, timeout: float) -> _EngineInfo:
        try:
            return self._info.result(timeout)
        except FutureTimeout:
            return _EngineInfo(
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
        elif _usable_wav(path):
            self._answer_later(request_id, str(path), "", started)
        elif self._info.done() and not self._info.result().available:
            self._answer_later(request_id, "", self._info.result().reason)
        elif self._thread is None:
            self._answer_later(request_id, "", self.tr("Speech was stopped because the app is closing."))
        else:
            job = _Job(request_id, spoken, self._voice, self._rate, path, started)
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
        if _usable_wav(path):
            self._record_latency(request_id, started, cached=True)
            return path
        if not self.available(timeout):
            raise TtsError(self.reason(0))
        if self._thread is None:
            raise TtsError(self.tr("Speech was stopped because the app is closing."))
        job = _Job(request_id, spoken, self._voice, self._rate, path, started, quiet=True)
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
                _EngineInfo(False, self.tr("Speech was stopped because the app is closing."))
            )
        return bool(stopped)
