"""Seconds, words and share of the answer per STAR section, against the target and the reference.

A sentence owns the time from its start to the next sentence's start: a pause belongs to what was
being said before it. The recommended split below is the one source for every screen and rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.analysis.types import LABELS, STAR, Label, Sentence

# Where a strong answer spends its time. Published STAR guidance (notes/FINDINGS.md, interview guides)
# says Situation ~20 %, Task ~10 %, Action ~60 %, Result with the lesson 10-20 %; the bank's own reference
# answers spend (median by words) 16, 12, 33, 22 and 16 %, action 24-41 %. A split the reference answers
# are far from would contradict them, so the aim is halfway, to the nearest 5 %. The feedback's bounds
# are wider still: advice only beyond both the guide bounds and the question's own reference answer.
RECOMMENDED_SPLIT: dict[Label, float] = {
    "situation": 0.20,
    "task": 0.10,
    "action": 0.45,
    "result": 0.15,
    "reflection": 0.10,
}
SETUP_GUIDE_MAX = 0.30  # situation and task together
ACTION_GUIDE_MIN = 0.40
DEFAULT_TARGET_S = 120


def clock(seconds: float) -> str:
    """m:ss, the one way the app writes a length or a moment (screens, feedback, exports, CLI)."""
    seconds = max(0.0, seconds)
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


@dataclass(frozen=True)
class SectionTiming:
    present: bool
    seconds: float
    share: float
    words: int

    def to_json(self) -> dict[str, Any]:
        return {
            "present": self.present,
            "seconds": round(self.seconds, 2),
            "share": round(self.share, 3),
            "words": self.words,
        }


@dataclass(frozen=True)
class Timing:
    total_seconds: float
    target_seconds: float
    sections: dict[Label, SectionTiming]
    time_to_result_s: float | None  # from the first word to the first result sentence
    speaker_wpm: float
    reference_words: int | None
    reference_seconds: float | None  # the question's reference answer at the speaker's own rate
    reference_shares: dict[Label, float] | None

    @property
    def over_target_s(self) -> float:
        return self.total_seconds - self.target_seconds

    @property
    def setup_share(self) -> float:
        return self.sections["situation"].share + self.sections["task"].share

    @property
    def closing_share(self) -> float:
        return self.sections["result"].share + self.sections["reflection"].share

    def to_json(self) -> dict[str, Any]:
        return {
            "total_seconds": round(self.total_seconds, 2),
            "target_seconds": self.target_seconds,
            "over_target_seconds": round(self.over_target_s, 2),
            "time_to_result_seconds": None
            if self.time_to_result_s is None
            else round(self.time_to_result_s, 2),
            "setup_share": round(self.setup_share, 3),
            "result_and_reflection_share": round(self.closing_share, 3),
            "speaker_wpm": round(self.speaker_wpm, 1),
            "reference_words": self.reference_words,
            "reference_seconds_at_your_rate": None
            if self.reference_seconds is None
            else round(self.reference_seconds, 1),
            "reference_shares": None
            if self.reference_shares is None
            else {k: round(v, 3) for k, v in self.reference_shares.items()},
            "recommended_shares": RECOMMENDED_SPLIT,
        }


def measure_timing(
    sentences: Sequence[Sentence],
    target_seconds: float = DEFAULT_TARGET_S,
    reference: Sequence[tuple[str, Label]] | None = None,
) -> Timing:
    """`reference`: the question's reference answer as (sentence, section) pairs, if any."""
    seconds: dict[Label, float] = dict.fromkeys(LABELS, 0.0)
    words: dict[Label, int] = dict.fromkeys(LABELS, 0)
    for i, s in enumerate(sentences):
        end = sentences[i + 1].start if i + 1 < len(sentences) else s.end
        seconds[s.section] += max(0.0, end - s.start)
        words[s.section] += s.word_count
    total = (sentences[-1].end - sentences[0].start) if sentences else 0.0
    sections = {
        lab: SectionTiming(
            present=words[lab] > 0,
            seconds=seconds[lab],
            share=seconds[lab] / total if total > 0 else 0.0,
            words=words[lab],
        )
        for lab in LABELS
    }
    first_result = next((s.start for s in sentences if s.section == "result"), None)
    time_to_result = None if first_result is None else first_result - sentences[0].start
    total_words = sum(words.values())
    wpm = total_words / total * 60 if total > 0 else 0.0

    ref_words = ref_seconds = None
    ref_shares = None
    if reference:
        per: dict[Label, int] = dict.fromkeys(STAR, 0)
        for text, lab in reference:
            per[lab] += len(text.split())
        ref_words = sum(per.values())
        ref_shares = {lab: n / ref_words for lab, n in per.items()} if ref_words else None
        ref_seconds = ref_words / wpm * 60 if wpm > 0 else None
    return Timing(total, target_seconds, sections, time_to_result, wpm, ref_words, ref_seconds, ref_shares)
