"""What every speech engine returns: words with times, so analysis can time each STAR section."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

# How a stretch judged not English is marked (app.speech.transcribe decides; see ENGLISH_CHECK there).
NOT_ENGLISH = "not English"
# The answer is refused as not English only when such stretches cover more than this share of the
# recording: one odd stretch (a quoted phrase, a muffled moment) must not refuse an English answer,
# since a false "not English" costs the person more than a missed one.
NOT_ENGLISH_MIN_SHARE = 0.5
_NOT_ENGLISH_SPAN = re.compile(rf"^{NOT_ENGLISH} \((\d+(?:\.\d+)?) to (\d+(?:\.\d+)?) s\)")


def _probability(value: object) -> float:
    """A stored word probability, or 1.0 where none was stored (transcripts saved before they were)."""
    try:
        p = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0
    return min(max(p, 0.0), 1.0) if p == p else 1.0


def not_english_note(start: float, end: float, why: str) -> str:
    """The note for a stretch judged not English. A note and not a field because notes are what the
    streaming merge keeps when it joins an answer's stretches; the span lets the whole answer be judged."""
    return f"{NOT_ENGLISH} ({start:.1f} to {end:.1f} s): {why}"


@dataclass(frozen=True)
class Word:
    text: str  # as the engine wrote it, punctuation attached ("results.")
    start: float  # seconds from the start of the recording
    end: float
    # How sure the engine was of the word (Whisper's word probability; 1.0 where an engine gives none):
    # a quote offered back as praise or evidence never rests on a word it was unsure of.
    probability: float = 1.0


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    text: str  # punctuated where the engine punctuates (Whisper), plain otherwise (pocketsphinx)
    engine: str  # "whisper" or "sphinx"
    model: str  # the model's name or folder
    audio_seconds: float
    elapsed_seconds: float = 0.0
    # Set when no words came out: the audio held no speech (a result the UI shows, "nothing heard", not an
    # error), or speech Whisper wrote nothing for, which `not_english` then tells apart.
    nothing_heard: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def not_english(self) -> bool:
        """Most of the recording was judged not English: the words are then not what was said."""
        flagged = 0.0
        for note in self.notes:
            if m := _NOT_ENGLISH_SPAN.match(note):
                flagged += float(m[2]) - float(m[1])
        return flagged > NOT_ENGLISH_MIN_SHARE * self.audio_seconds

    def to_json(self, probabilities: bool = False) -> dict[str, Any]:
        """The `transcribe --json` shape of DESIGN.md; `probabilities`: also each word's, where the
        engine gave one below 1 (the saved attempt keeps them, for the quotes)."""
        return {
            "engine": self.engine,
            "model": self.model,
            "audio_seconds": round(self.audio_seconds, 3),
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "text": self.text,
            "nothing_heard": self.nothing_heard,
            "words": [
                {"text": w.text, "start": round(w.start, 3), "end": round(w.end, 3)}
                | ({"probability": round(w.probability, 3)} if probabilities and w.probability < 1.0 else {})
                for w in self.words
            ],
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Transcript:
        """Refuses times that no recording has (negative, NaN, infinite, ending before they start)."""
        words = tuple(
            Word(
                str(w["text"]),
                *_times(w["start"], w["end"], str(w["text"])),
                _probability(w.get("probability")),
            )
            for w in data.get("words", [])
        )
        return Transcript(
            words=words,
            text=str(data.get("text", "")),
            engine=str(data.get("engine", "")),
            model=str(data.get("model", "")),
            audio_seconds=float(data.get("audio_seconds", words[-1].end if words else 0.0)),
            elapsed_seconds=float(data.get("elapsed_seconds", 0.0)),
            nothing_heard=bool(data.get("nothing_heard", not words)),
        )


def _times(start: object, end: object, word: str) -> tuple[float, float]:
    s, e = float(start), float(end)  # type: ignore[arg-type]
    if not (math.isfinite(s) and math.isfinite(e)) or s < 0 or e < s:
        raise ValueError(f"the word {word!r} has times {start!r} to {end!r}: times are seconds from 0 on")
    return s, e


class SpeechError(Exception):
    """A speech component failed in a way the user must hear about; the message says what to do."""


class Transcriber(Protocol):
    """What the app needs of a speech engine (Whisper, Sphinx): `load` is separate so that it can run
    off the GUI thread; `transcribe` takes 16 kHz mono float32 samples, `offset` seconds into the take."""

    @property
    def name(self) -> str: ...

    @property
    def model_name(self) -> str: ...

    def load(self) -> None: ...

    def transcribe(self, samples: npt.NDArray[np.float32], offset: float = 0.0) -> Transcript: ...
