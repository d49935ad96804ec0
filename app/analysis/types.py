"""The data every analysis stage passes on: sentences with times and, once labelled, a section."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from app.bank.questions import SECTION_KEYS, SectionKey
from app.speech.transcript import Word

# The five STAR sections are the bank's (app/bank/questions.py); a sentence may also be "other".
Label = Literal[SectionKey, "other"]
STAR: tuple[Label, ...] = SECTION_KEYS
LABELS: tuple[Label, ...] = (*STAR, "other")
# How every screen and export names a section (the colours are ui/common/star_style.py's).
SECTION_TITLES: dict[str, str] = {label: label.title() for label in LABELS}


@dataclass(frozen=True)
class Sentence:
    text: str
    start: float  # seconds; for plain text, estimated from word counts at the speaker's rate
    end: float
    words: tuple[Word, ...]
    section: Label = "other"
    timed: bool = True  # False when times were estimated from text, not heard

    def with_section(self, section: Label) -> Sentence:
        return replace(self, section=section)

    @property
    def word_count(self) -> int:
        return len(self.words)
