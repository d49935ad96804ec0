"""What speech engines get wrong, caught before anyone sees it: words invented in silence (an energy
gate, then Silero VAD), repetition loops, and other languages that the English-only model turns into
English words."""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from app.speech.audio import SAMPLE_RATE, Samples
from app.speech.transcript import Transcript, Word, not_english_note

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


def as_samples(samples: Samples) -> Samples:
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


def silent_transcript(engine: str, model: str, seconds: float, started: float, why: str) -> Transcript:
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


def timed_words(raw: Iterable[tuple[str, float, float, float]], offset: float, seconds: float) -> list[Word]:
    """Words with times inside the audio and never going backwards, whatever the engine said; each
    (text, start, end, the engine's probability or 1.0)."""
    words: list[Word] = []
    last = 0.0
    for text, start, end, probability in raw:
        text = text.strip()
        if not text:
            continue
        start = min(max(float(start), last), seconds)
        end = min(max(float(end), start), seconds)
        words.append(Word(text, start + offset, end + offset, float(probability)))
        last = start
    return words


def norm_token(text: str) -> str:
    return re.sub(r"[^\w']", "", text.lower())


def collapse_loops(words: list[Word], max_repeats: int = 3) -> tuple[list[Word], int]:
    """Cut runs of an n-gram (n ≤ 6) repeated more than `max_repeats` times in a row to one copy.

    People say "very, very, very"; nobody says the same phrase four times running, but Whisper's
    decoder in a loop does. Returns the words kept and how many were removed.
    """
    tokens = [norm_token(w.text) for w in words]
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
