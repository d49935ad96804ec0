"""What every speech engine returns: words with times, so analysis can time each STAR section."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Word:
    text: str  # as the engine wrote it, punctuation attached ("results.")
    start: float  # seconds from the start of the recording
    end: float


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    text: str  # punctuated where the engine punctuates (Whisper), plain otherwise (pocketsphinx)
    engine: str  # "whisper" or "sphinx"
    model: str  # the model's name or folder
    audio_seconds: float
    elapsed_seconds: float = 0.0
    # Set when the audio held no speech: a result the UI shows ("nothing heard"), not an error.
    nothing_heard: bool = False
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The `transcribe --json` shape of DESIGN.md."""
        return {
            "engine": self.engine,
            "model": self.model,
            "audio_seconds": round(self.audio_seconds, 3),
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "text": self.text,
            "nothing_heard": self.nothing_heard,
            "words": [
                {"text": w.text, "start": round(w.start, 3), "end": round(w.end, 3)} for w in self.words
            ],
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Transcript:
        """Refuses times that no recording has (negative, NaN, infinite, ending before they start)."""
        words = tuple(
            Word(str(w["text"]), *_times(w["start"], w["end"], str(w["text"]))) for w in data.get("words", [])
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
