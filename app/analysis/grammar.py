"""A sentence's grammatical form, for the STAR labeller: what its words alone cannot say across jobs.

Terse and spoken answers drop the subject: "Called the engineer." is an action, "Fix the no-shows." a
task, "Peak season, regional centre." a situation, "Ask early, offer something back." a lesson. Which
word is a verb in which form comes from lemminflect's English lexicon (a kept library), extracted once
into app/resources/verb_forms.tsv.xz (scripts/make_verb_forms.py), not from lists of our own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.core import paths

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SUBJECTS = frozenset(
    ["i", "we", "he", "she", "they", "you", "it", "i'd", "we'd", "i've", "we've", "i'm", "we're"]
)
_MODALS = frozenset(
    [
        "would",
        "should",
        "could",
        "will",
        "might",
        "i'd",
        "we'd",
        "i'll",
        "we'll",
        "won't",
        "wouldn't",
        "shouldn't",
    ]
)
_PRESENT_BE = frozenset(
    [
        "is",
        "are",
        "am",
        "isn't",
        "aren't",
        "do",
        "does",
        "don't",
        "doesn't",
        "has",
        "have",
        "i'm",
        "we're",
        "it's",
    ]
)
_HABIT = frozenset(["now", "always", "never", "nowadays", "since", "every"])
# "Task:", "Lesson -": people who write their answer down often name the section.
_NAMED = {
    "situation": r"situation|context|background|setting",
    "task": r"task|goal|aim|ask|brief|objective|job|challenge|mission",
    "action": r"action|actions|what i did|steps|approach|fix",
    "result": r"result|results|outcome|impact|upshot",
    "reflection": r"lesson|lessons|learning|takeaway|reflection|in hindsight|looking back",
}
_NAMED_RX = tuple(re.compile(rf"^\W*(?:{rx})\s*[:\-–—]") for rx in _NAMED.values())

FEATURES = (
    "starts_past_verb",
    "starts_base_verb",
    "starts_ing_verb",
    "starts_subject",
    "no_verb",
    "past_verbs",
    "present_form",
    "modal",
    "habit",
    "words_1_4",
    "words_5_8",
    "words_9_15",
    "words_16_up",
    *(f"named_{name}" for name in _NAMED),
)


def verb_forms_path() -> Path:
    return paths.resource("verb_forms.tsv.xz")


@functools.cache
def _table() -> dict[str, frozenset[str]]:
    """Word -> the verb tags it can be, made from lemminflect by scripts/make_verb_forms.py: the
    library itself holds 50 MB of tables once asked (practice was ready 0.5 s later and recording
    took 45 MB more); its answers for all 69,000 words fit in 57 KB."""
    import lzma

    table: dict[str, frozenset[str]] = {}
    # 27,000 words have 18 different tag lists: one frozenset each, shared (13 MB -> 5 MB resident).
    shared: dict[str, frozenset[str]] = {}
    for line in lzma.decompress(verb_forms_path().read_bytes()).decode("utf-8").splitlines():
        word, _, tags = line.partition("\t")
        table[word] = shared.setdefault(tags, frozenset(tags.split(",")))
    return table


def _forms(word: str) -> frozenset[str]:
    """The verb tags (VB, VBD, VBN, VBG, VBZ, VBP) that `word` can be."""
    return _table().get(word, frozenset())


@functools.lru_cache(maxsize=16384)
def grammar_of(text: str) -> tuple[float, ...]:
    lowered = text.lower()
    words = _WORD.findall(lowered)
    first = words[0] if words else ""
    for filler in ("so", "and", "then", "but", "um", "uh", "well", "okay", "also", "just"):
        if first == filler and len(words) > 1:  # "And called the supplier."
            words = words[1:]
            first = words[0]
            break
    first_forms = _forms(first) if first else frozenset()
    tags = [_forms(w) for w in words]
    past = sum(1 for t in tags if t & {"VBD", "VBN"})
    n = len(words)
    values = [
        float(bool(first_forms & {"VBD", "VBN"}) and first not in _SUBJECTS),
        float("VB" in first_forms and not first_forms & {"VBD"}),
        float("VBG" in first_forms),
        float(first in _SUBJECTS or first in ("my", "our")),
        # No finite verb: a base form alone does not count ("Peak season, regional centre.": "peak" and
        # "centre" can be verbs too).
        float(
            not any(t & {"VBD", "VBZ"} for t in tags)
            and not any(w in _PRESENT_BE or w in _MODALS for w in words)
        ),
        min(past, 3) / 3,
        float(any(w in _PRESENT_BE for w in words) or any("VBZ" in t for t in tags)),
        float(any(w in _MODALS for w in words)),
        float(any(w in _HABIT for w in words)),
        float(n <= 4),
        float(5 <= n <= 8),
        float(9 <= n <= 15),
        float(n >= 16),
        *(float(bool(rx.search(lowered))) for rx in _NAMED_RX),
    ]
    return tuple(values)


def grammar_features(texts: Sequence[str], weight: float) -> npt.NDArray[np.float64]:
    """One row per sentence, FEATURES in order, times `weight`."""
    rows = np.array([grammar_of(t) for t in texts], dtype=np.float64)
    return rows.reshape(len(texts), len(FEATURES)) * weight
