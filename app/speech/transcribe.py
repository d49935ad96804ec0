"""Speech to words with times, behind one small interface so the app and tests can swap engines.

Whisper (faster-whisper, int8 on the CPU) is the default: it is accurate and gives word times.
pocketsphinx is the fallback for a machine with no Whisper model; it is much less accurate and says so.
Neither engine is trusted on silence (both invent words there), so a speech gate runs first.
"""

from __future__ import annotations

import importlib.util
import os
import re
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np

from app.speech.audio import SAMPLE_RATE, Samples
from app.speech.gate import (
    as_samples,
    collapse_loops,
    english_check,
    loud_enough,
    norm_token,
    silent_transcript,
    speech_spans,
    timed_words,
)
from app.speech.models import DEFAULT_MODEL, DownloadProgress, ModelChoice, resolve_model
from app.speech.transcript import SpeechError, Transcriber, Transcript

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

ENGINES = ("whisper", "sphinx")

# Beam 1 vs 5 on ../shared/audio (tiny.en, int8, 2 cores): the same WER on jfk (0 %) and LibriVox
# (4.2 %), 3.7 vs 3.0 % on Gettysburg (two words), but beam 5 takes 1.5-1.9x the time (RTF 0.067-0.071
# vs 0.038-0.045 on 2-minute clips): the time matters more for feedback right after Stop.
DEFAULT_BEAM_SIZE = 1
# A segment Whisper itself thinks is probably not speech and is unsure of is dropped (its defaults).
NO_SPEECH_PROB = 0.6
LOW_AVG_LOGPROB = -1.0
# Above this gzip ratio a segment's text is a repetition loop, not speech (Whisper's own threshold).
LOOP_COMPRESSION_RATIO = 2.4


# pocketsphinx tokens that are not words: sentence marks, silence, noise and filler classes.
_SPHINX_NOT_WORD = re.compile(r"^(<.*>|\[.*\]|\+\+.*\+\+)$")
_SPHINX_ALTERNATE = re.compile(r"\(\d+\)$")


# ---------------------------------------------------------------------------------------------
# Finding a Whisper model


# ---------------------------------------------------------------------------------------------
# Shared by both engines


# ---------------------------------------------------------------------------------------------
# Whisper


class WhisperTranscriber:
    """One faster-whisper model, loaded once and kept for the app's life (loading costs ~0.5 s)."""

    name = "whisper"

    def __init__(
        self,
        model: str | None = None,
        *,
        beam_size: int = DEFAULT_BEAM_SIZE,
        language: str | None = "en",
        initial_prompt: str | None = None,
        cpu_threads: int | None = None,
        allow_download: bool = True,
        progress: DownloadProgress | None = None,
    ) -> None:
        self._setting = model
        self.beam_size = beam_size
        # The app coaches English answers: naming the language skips detection on multilingual models.
        self.language = language
        # Not the previous chunk's text (that caused repetition loops, FINDINGS.md); a fixed prompt only.
        self.initial_prompt = initial_prompt
        # The person's own words (app.speech.vocabulary), set by the app as their stories change. Given as
        # the prompt, not as faster-whisper's hotwords: on jargon clips both raised the terms heard right
        # from 0.78 to 0.94-0.97, but hotwords raised the word error on the human clips of ../shared/audio
        # from 0.042 to 0.069-0.075 (one job's 6 words), the prompt to 0.042-0.047 (`bench --only jargon`).
        self.own_words: str | None = None
        self.cpu_threads = cpu_threads or os.cpu_count() or 1
        self._allow_download = allow_download
        self._progress = progress
        self._model: WhisperModel | None = None
        self._lock = threading.Lock()
        self.choice: ModelChoice | None = None
        self.model_name = model or DEFAULT_MODEL
        self.load_seconds = 0.0

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Resolve and load the model; a second call does nothing. Safe to call from a worker thread."""
        with self._lock:
            if self._model is not None:
                return
            started = time.perf_counter()  # resolving includes the first-run hash check: count it
            choice = resolve_model(
                self._setting, allow_download=self._allow_download, progress=self._progress
            )
            try:
                from faster_whisper import WhisperModel
            except ImportError:
                raise SpeechError(
                    "faster-whisper is not installed: `pip install faster-whisper`, or use the sphinx engine."
                ) from None
            try:
                model = WhisperModel(
                    str(choice.path),
                    device="cpu",
                    compute_type="int8",
                    cpu_threads=self.cpu_threads,
                    local_files_only=True,
                )
            except Exception as e:  # CTranslate2 and tokenizers raise RuntimeError, ValueError, OSError…
                raise SpeechError(
                    f"The Whisper model in {choice.path} could not be loaded ({type(e).__name__}: {e}). "
                    "Choose another model, or download this one again."
                ) from None
            self.load_seconds = time.perf_counter() - started
            self.choice = choice
            self.model_name = choice.name
            self._model = model

    def _prompt(self) -> str | None:
        own = f"Words: {self.own_words}." if self.own_words else None
        return " ".join(p for p in (self.initial_prompt, own) if p) or None

    def transcribe(self, samples: Samples, offset: float = 0.0, *, prompt: str | None = None) -> Transcript:
        """`prompt` replaces the fixed initial prompt for this call (the filler-keeping listen)."""
        x = as_samples(samples)
        seconds = len(x) / SAMPLE_RATE
        self.load()
        assert self._model is not None
        started = time.perf_counter()
        if not loud_enough(x):
            return silent_transcript(self.name, self.model_name, seconds, started, "nothing heard: silence")
        segments, info = self._model.transcribe(
            x,
            language=self.language,
            beam_size=self.beam_size,
            word_timestamps=True,
            condition_on_previous_text=False,
            initial_prompt=self._prompt() if prompt is None else prompt,
            vad_filter=True,  # Silero VAD: no speech in → no segments out, instead of invented words
            no_speech_threshold=NO_SPEECH_PROB,
            log_prob_threshold=LOW_AVG_LOGPROB,
            compression_ratio_threshold=LOOP_COMPRESSION_RATIO,
        )
        notes: list[str] = []
        raw: list[tuple[str, float, float, float]] = []
        texts: list[str] = []
        probabilities: list[float] = []  # of the words kept, for the English check
        previous = ""
        for seg in segments:
            norm = " ".join(norm_token(t) for t in seg.text.split())
            if seg.no_speech_prob > NO_SPEECH_PROB and seg.avg_logprob < LOW_AVG_LOGPROB:
                notes.append(f"dropped an unsure segment at {seg.start + offset:.1f} s: {seg.text.strip()!r}")
                continue
            if seg.compression_ratio > LOOP_COMPRESSION_RATIO or (
                norm == previous and len(norm.split()) >= 3
            ):
                notes.append(
                    f"dropped a repeated segment at {seg.start + offset:.1f} s: {seg.text.strip()!r}"
                )
                continue
            previous = norm
            texts.append(seg.text.strip())
            raw.extend((w.word, w.start, w.end, w.probability) for w in seg.words or ())
            probabilities.extend(w.probability for w in seg.words or ())
        words, removed = collapse_loops(timed_words(raw, offset, seconds))
        if removed:
            notes.append(f"removed {removed} words of a repetition loop")
        text = " ".join(w.text for w in words) if removed else " ".join(texts).strip()
        elapsed = time.perf_counter() - started
        foreign = english_check(probabilities, info.duration_after_vad, offset, offset + seconds)
        if not words:
            why = foreign or "nothing heard: no speech"
            return silent_transcript(self.name, self.model_name, seconds, started, why)
        if foreign:
            notes.append(foreign)
        return Transcript(
            words=tuple(words),
            text=text,
            engine=self.name,
            model=self.model_name,
            audio_seconds=seconds,
            elapsed_seconds=elapsed,
            notes=tuple(notes),
        )


# ---------------------------------------------------------------------------------------------
# pocketsphinx


@contextmanager
def _quiet_deprecations() -> Iterator[None]:
    """SpeechRecognition imports aifc/audioop, deprecated since Python 3.11; not ours to fix."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


class SphinxTranscriber:
    """pocketsphinx through SpeechRecognition: works with no model download, at a cost in accuracy."""

    name = "sphinx"
    model_name = "en-US"
    ACCURACY_NOTE = "pocketsphinx: accuracy is low; a Whisper model transcribes far better"

    def __init__(self) -> None:
        self._sr: Any = None

    def load(self) -> None:
        """Import and check the engine; the decoder itself is built per call by SpeechRecognition."""
        if self._sr is not None:
            return
        for module, package in (
            ("speech_recognition", "SpeechRecognition"),
            ("pocketsphinx", "pocketsphinx"),
        ):
            if importlib.util.find_spec(module) is None:
                raise SpeechError(
                    f"The sphinx engine needs {package}, which is not installed: `pip install {package}`, "
                    "or use the whisper engine."
                )
        with _quiet_deprecations():
            import speech_recognition

        self._sr = speech_recognition

    def transcribe(self, samples: Samples, offset: float = 0.0) -> Transcript:
        x = as_samples(samples)
        seconds = len(x) / SAMPLE_RATE
        self.load()
        started = time.perf_counter()
        if not loud_enough(x):
            return silent_transcript(self.name, self.model_name, seconds, started, "nothing heard: silence")
        spans = speech_spans(x)
        if spans is not None and not spans:
            return silent_transcript(self.name, self.model_name, seconds, started, "nothing heard: no speech")
        pcm = (np.clip(x, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        audio = self._sr.AudioData(pcm, SAMPLE_RATE, 2)
        try:
            with _quiet_deprecations():
                decoder = self._sr.Recognizer().recognize_sphinx(audio, show_all=True)
        except self._sr.RequestError as e:
            raise SpeechError(f"pocketsphinx could not run ({e}): reinstall pocketsphinx.") from None
        frame_rate = float(decoder.config["frate"])
        raw = [
            (
                _SPHINX_ALTERNATE.sub("", s.word),
                s.start_frame / frame_rate,
                (s.end_frame + 1) / frame_rate,
                1.0,
            )
            for s in decoder.seg()
            if not _SPHINX_NOT_WORD.match(s.word)
        ]
        words = timed_words(raw, offset, seconds)
        if not words:
            return silent_transcript(self.name, self.model_name, seconds, started, "nothing heard: no words")
        return Transcript(
            words=tuple(words),
            text=" ".join(w.text for w in words),
            engine=self.name,
            model=self.model_name,
            audio_seconds=seconds,
            elapsed_seconds=time.perf_counter() - started,
            notes=(self.ACCURACY_NOTE,),
        )


def make_transcriber(engine: str = "whisper", model: str | None = None) -> Transcriber:
    """An engine by name, not yet loaded; a missing package is a SpeechError now, not at first use."""
    if engine == "whisper":
        if importlib.util.find_spec("faster_whisper") is None:
            raise SpeechError(
                "The whisper engine needs faster-whisper, which is not installed: "
                "`pip install faster-whisper`, or use the sphinx engine."
            )
        return WhisperTranscriber(model)
    if engine == "sphinx":
        if model:
            raise SpeechError(f"The sphinx engine has one built-in model; {model!r} applies to whisper only.")
        for module, package in (
            ("speech_recognition", "SpeechRecognition"),
            ("pocketsphinx", "pocketsphinx"),
        ):
            if importlib.util.find_spec(module) is None:
                raise SpeechError(
                    f"The sphinx engine needs {package}, which is not installed: `pip install {package}`."
                )
        return SphinxTranscriber()
    raise SpeechError(f"Unknown speech engine {engine!r}: choose one of {', '.join(ENGINES)}.")
