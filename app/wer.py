"""Word error rate as the benchmarks and tests report it.

Engines spell the same speech differently ("10 meters" / "ten meters", "Mr." / "mister",
"cold-hearted" / "cold hearted"), so both sides are normalised before words are compared; otherwise
the figure measures spelling conventions, not recognition.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from num2words import num2words  # no stubs or py.typed

# A number as engines write it: "$1,000.50", "20%", "3.5", "1st", "10th". Digits grouped by commas
# only in threes, so "1, 2, 3" stays three numbers.
_NUMBER = re.compile(
    r"(?P<cur>\$)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:(?P<pct>\s?%|\s?percent\b)|(?P<ord>st|nd|rd|th)\b)?",
    re.IGNORECASE,
)
# Titles Whisper abbreviates and references spell out (LibriVox texts write "mister").
_ABBREVIATIONS = {"mr": "mister", "mrs": "missus", "dr": "doctor"}
_NOT_WORD = re.compile(r"[^\w\s]|_")


def _number_words(match: re.Match[str]) -> str:
    raw = match.group("num").replace(",", "")
    words: str
    if match.group("ord") and raw.isdigit():
        words = num2words(int(raw), to="ordinal")
    elif "." in raw:
        words = num2words(float(raw))
    elif len(raw) == 4 and "," not in match.group("num") and 1100 <= int(raw) < 2000:
        # "1863" is said "eighteen sixty-three"; from 2000 on people say "two thousand ten" too.
        words = num2words(int(raw), to="year")
    else:
        words = num2words(int(raw))
    # num2words writes "one hundred and twenty-three"; speakers and references drop the "and" as
    # often as not, and an "and" that is not in the audio must not count as an error.
    words = words.replace(",", " ").replace("-", " ").replace(" and ", " ")
    if match.group("cur"):
        words += " dollars"
    if match.group("pct"):
        words += " percent"
    return f" {words} "


def normalize(text: str) -> str:
    """Lower case, numbers as words, no punctuation, single spaces."""
    text = _NUMBER.sub(_number_words, text.lower())
    text = text.replace("-", " ").replace("'", "").replace("’", "")
    text = _NOT_WORD.sub(" ", text)
    words = [_ABBREVIATIONS.get(w, w) for w in text.split()]
    return " ".join(words)


@dataclass(frozen=True)
class Alignment:
    """Edit counts of a hypothesis against a reference, for reports that say what kind of errors."""

    hits: int
    substitutions: int
    deletions: int
    insertions: int

    @property
    def reference_words(self) -> int:
        return self.hits + self.substitutions + self.deletions

    @property
    def wer(self) -> float:
        errors = self.substitutions + self.deletions + self.insertions
        if self.reference_words == 0:
            return 0.0 if errors == 0 else float("inf")
        return errors / self.reference_words


def align(reference: str | Sequence[str], hypothesis: str | Sequence[str]) -> Alignment:
    """Counts after normalisation; lists are pooled (one rate over all clips, not a mean of rates)."""
    import jiwer  # rapidfuzz underneath; not needed until a figure is asked for

    refs = [reference] if isinstance(reference, str) else list(reference)
    hyps = [hypothesis] if isinstance(hypothesis, str) else list(hypothesis)
    if len(refs) != len(hyps):
        raise ValueError(f"{len(refs)} references but {len(hyps)} hypotheses")
    pairs = [(normalize(r), normalize(h)) for r, h in zip(refs, hyps, strict=True)]
    # jiwer rejects empty references; every word said against nothing is an insertion.
    extra = sum(len(h.split()) for r, h in pairs if not r)
    pairs = [(r, h) for r, h in pairs if r]
    if not pairs:
        return Alignment(0, 0, 0, extra)
    out = jiwer.process_words([r for r, _ in pairs], [h for _, h in pairs])
    return Alignment(out.hits, out.substitutions, out.deletions, out.insertions + extra)


def word_error_rate(reference: str | Sequence[str], hypothesis: str | Sequence[str]) -> float:
    """(substitutions + deletions + insertions) / reference words, after `normalize`."""
    return align(reference, hypothesis).wer
