"""The person's own words, given to Whisper in its prompt so that it hears them: the names and jargon of
their written stories, their story titles, and a list they keep in Settings. Tried as a new user would,
tiny.en heard a logistics candidate's "depots" as "deepest" and "four deep", and the app quoted it back.

Only words that a general model is likely to miss are kept: capitalised names, words with digits or
inner capitals ("SKU", "XGBoost"), hyphenated terms, and every word of the Settings list (first); a cap
of MAX_TERMS keeps the prompt short.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# More words in the prompt cost accuracy on everything else: with 36 terms (six jobs' words) the word
# error on the human clips of ../shared/audio doubled (0.042 -> 0.091); with 12, 0.036; one job's 6
# terms, 0.042-0.047 (`bench --only jargon`).
MAX_TERMS = 12
_WORD = re.compile(r"[A-Za-z][\w'\-]*[\w]|[A-Za-z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)([A-Z][\w'\-]*)")
COMMON_CAPITALS = frozenset({"I", "I'm", "I'd", "I've", "I'll", "OK", "Okay"})


def _distinctive(text: str) -> list[str]:
    starts = {m.group(1) for m in _SENTENCE_START.finditer(text)}
    out = []
    for w in _WORD.findall(text):
        if w in COMMON_CAPITALS:
            continue
        inner_caps = any(c.isupper() for c in w[1:])
        if inner_caps or any(c.isdigit() for c in w) or "-" in w or (w[0].isupper() and w not in starts):
            out.append(w)
    return out


def own_words(own_words: str, titles: Iterable[str] = (), written: Iterable[str] = ()) -> str | None:
    """The terms for Whisper's prompt, most important first (the person's list, then titles, then the written
    stories), each once; None when there are none."""
    terms: list[str] = [t.strip() for t in re.split(r"[,\n;]", own_words) if t.strip()]
    for title in titles:
        terms += _distinctive(title)
    for text in written:
        terms += _distinctive(text)
    seen: dict[str, str] = {}
    for t in terms:
        seen.setdefault(t.lower(), t)
    chosen = list(seen.values())[:MAX_TERMS]
    return ", ".join(chosen) if chosen else None
