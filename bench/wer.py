"""Word error rate as the benchmarks and tests report it.

Engines spell the same speech differently ("10 meters" / "ten meters", "Mr." / "mister",
"colour" / "color"), so both sides go through Whisper's own English normaliser (the
`whisper-normalizer` package) before words are compared: the figure measures recognition, not
spelling, and is comparable with published Whisper figures. One thing that normaliser leaves
apart is a compound written as one word on one side and two on the other ("coldhearted" /
"cold hearted"); `_join_compounds` counts those as the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol


class _Normalizer(Protocol):
    def __call__(self, s: str) -> str: ...


@cache
def _english() -> _Normalizer:
    from whisper_normalizer.english import EnglishTextNormalizer  # loads a spelling table: on first use

    normalizer: _Normalizer = EnglishTextNormalizer()
    return normalizer


def normalize(text: str) -> str:
    """Whisper's English normalisation: lower case, numbers as digits, American spelling, no fillers."""
    # The normaliser expands "it's" but splits "it’s" at the typographic apostrophe.
    return str(_english()(text.replace("’", "'").replace("‘", "'")))


def _join_compounds(words: list[str], other: set[str]) -> list[str]:
    """Two neighbours that the other side writes as one word become that word."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and words[i] + words[i + 1] in other:
            out.append(words[i] + words[i + 1])
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


def _comparable(reference: str, hypothesis: str) -> tuple[str, str]:
    ref, hyp = normalize(reference).split(), normalize(hypothesis).split()
    ref, hyp = _join_compounds(ref, set(hyp)), _join_compounds(hyp, set(ref))
    return " ".join(ref), " ".join(hyp)


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
    pairs = [_comparable(r, h) for r, h in zip(refs, hyps, strict=True)]
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
