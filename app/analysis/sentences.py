"""Sentences, each with its start and end time: the unit that gets a STAR label.

Whisper punctuates, so its sentence ends are used as they are. pocketsphinx does not: there a
sentence ends at a pause, or before a cue word ("so", "and then", "as a result") once it is long.
Plain text is split at sentence punctuation, or taken line by line (`--lines`), and given times
from its word count at the speaker's rate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.analysis.types import Sentence
from app.speech.transcript import Transcript, Word

DEFAULT_WPM = 150.0  # a comfortable speaking rate (notes/FINDINGS.md: 130-160)

_ABBREVIATIONS = {
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "prof.",
    "st.",
    "vs.",
    "etc.",
    "e.g.",
    "i.e.",
    "inc.",
    "ltd.",
    "no.",
}
_END = re.compile(r"[.?!…]+[\"'”’)]*$")
_CUES = (
    "so",
    "and then",
    "then",
    "but",
    "after that",
    "as a result",
    "in the end",
    "eventually",
    "finally",
    "that's when",
    "what i did",
    "i learned",
    "looking back",
    "the result",
    "my task",
    "my goal",
    "my job",
)
_TEXT_SPLIT = re.compile(r"(?<=[.?!…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")


def _ends_sentence(token: str) -> bool:
    t = token.strip().lower()
    # ".m." is the end of "a.m." as Whisper splits it, not of a sentence
    return (
        bool(_END.search(t))
        and t not in _ABBREVIATIONS
        and not re.fullmatch(r"\.?(?:[a-z]\.){2,}|\.(?:[a-z]\.)+", t)
    )


# Whisper splits "5 a.m." into "5" "a" ".m.", "$1,100" into "$1" ",100", "40%" into "40" "%" and
# "M-bound" into "M" "-bound": such a piece is glued to the word before it.
_GLUED = ".,;:!?%)"
_GLUED_IF_LONGER = "-'\u2019"


def attached(token: str) -> bool:
    """Whether `token` continues the word before it (no space between them)."""
    return bool(token) and (token[0] in _GLUED or (token[0] in _GLUED_IF_LONGER and len(token) > 1))


def join_words(tokens: Sequence[str]) -> str:
    """The words as one text, spaced as they were written."""
    out: list[str] = []
    for t in (t.strip() for t in tokens):
        if t:
            out.append(t if not out or attached(t) else " " + t)
    return "".join(out)


def _make(words: Sequence[Word], timed: bool = True) -> Sentence:
    text = join_words([w.text for w in words])
    return Sentence(text=text, start=words[0].start, end=words[-1].end, words=tuple(words), timed=timed)


def from_transcript(transcript: Transcript, pause_s: float = 0.7, max_words: int = 35) -> list[Sentence]:
    words = [w for w in transcript.words if w.text.strip()]
    if not words:
        return []
    punctuated = any(_ends_sentence(w.text) for w in words)
    out: list[Sentence] = []
    cur: list[Word] = []
    for i, w in enumerate(words):
        if cur and not punctuated and _unpunctuated_break(cur, w, words[i:], pause_s, max_words):
            out.append(_make(cur))
            cur = []
        cur.append(w)
        if punctuated and _ends_sentence(w.text):
            out.append(_make(cur))
            cur = []
    if cur:
        out.append(_make(cur))
    return out


def _unpunctuated_break(cur: list[Word], nxt: Word, rest: list[Word], pause_s: float, max_words: int) -> bool:
    gap = nxt.start - cur[-1].end
    if gap >= pause_s and len(cur) >= 4:
        return True
    if len(cur) < 8:
        return False
    ahead = " ".join(w.text.strip().lower() for w in rest[:3])
    starts_cue = any(ahead == c or ahead.startswith(c + " ") for c in _CUES)
    return (starts_cue and gap >= 0.25) or (len(cur) >= max_words and starts_cue)


def split_at(sentence: Sentence, cut: int) -> tuple[Sentence, Sentence] | None:
    """The sentence in two at character `cut` of its text (at a word boundary), each part with its
    own words and times; None when the cut leaves a side with no word."""
    starts: list[int] = []
    text = ""
    for w in sentence.words:
        t = w.text.strip()
        if t and text and not attached(t):
            text += " "
        starts.append(len(text))
        text += t
    k = sum(1 for at in starts if at < cut)
    if k == 0 or k >= len(sentence.words):
        return None
    return _make(sentence.words[:k], sentence.timed), _make(sentence.words[k:], sentence.timed)


def timed_words(texts: Sequence[str], wpm: float) -> list[list[Word]]:
    """Words given times at `wpm`, with a short pause between sentences, so timing still adds up."""
    per_word = 60.0 / wpm
    t = 0.0
    out: list[list[Word]] = []
    for text in texts:
        words = []
        for token in text.split():
            words.append(Word(token, t, t + per_word * 0.9))
            t += per_word
        out.append(words)
        t += per_word  # a breath between sentences
    return out


def split_text(text: str) -> list[str]:
    """Sentence-punctuation split that keeps abbreviations ("Dr. Lee", "e.g. this") together."""
    pieces = [p.strip() for p in _TEXT_SPLIT.split(" ".join(text.split())) if p.strip()]
    merged: list[str] = []
    for piece in pieces:
        if merged and merged[-1].split()[-1].lower() in _ABBREVIATIONS:
            merged[-1] += " " + piece
        else:
            merged.append(piece)
    return merged


def from_text(text: str, lines: bool = False, wpm: float = DEFAULT_WPM) -> list[Sentence]:
    """Sentences of plain text; `lines`: each non-empty line is one sentence, never re-split."""
    texts = [line.strip() for line in text.splitlines() if line.strip()] if lines else split_text(text)
    return [_make(words, timed=False) for words in timed_words(texts, wpm) if words]
