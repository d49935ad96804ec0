"""The answer's words as the delivery measures read them, and each finding with the words and times that
back it up: fillers, pauses, quantities, hesitations heard on the second listen."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.analysis.lexicons import HEDGES, LESSON_CUES, PRINCIPLE_LEXICON
from app.analysis.sentences import attached, join_words
from app.analysis.spoken_words import (
    FILLER_ALWAYS,
    FILLER_HESITATIONS,
    I_MEAN_AFTER_CONJ,
    KIND_OF_DETERMINERS,
    LIKE_AS,
    LIKE_BE,
    LIKE_COMPARE_AFTER,
    LIKE_COMPARE_BEFORE,
    LIKE_DEMONSTRATIVES,
    LIKE_DETERMINERS_AFTER,
    LIKE_SKIP_ADVERBS,
    LIKE_SUBJECTS_AUX,
    NOT_COUNTED,
    QUANTITY,
    SINGULAR,
    YEAR,
    YOU_KNOW_OBJECT_AFTER,
    YOU_KNOW_VERB_BEFORE,
)
from app.analysis.types import LABELS, STAR, Label, Sentence
from app.speech.transcript import Word

LONG_PAUSE_S = 2.0  # FINDINGS: flag pauses over ~1.5-2.5 s; normal ones are 0.25-0.5 s


@dataclass(frozen=True)
class Evidence:
    """Words that back up a figure: their text as spoken, where they are, and the rule that found them."""

    text: str  # the engine's words, surrounding punctuation removed ("Um", "you know", "40 percent")
    kind: str  # filler: "um" "like" "you know"...; quantity: "percent" "money" "multiple" "time" "number";
    # lesson: "reflection section" or the cue; principle/hedge: the lexicon entry that matched
    start: float
    end: float
    sentence: int  # index into the sentences given to measure_delivery

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Pause:
    start: float  # end of the word before
    seconds: float
    before: str
    after: str
    sentence: int  # the sentence of the word after the pause

    def to_json(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 3),
            "seconds": round(self.seconds, 3),
            "before": self.before,
            "after": self.after,
            "sentence": self.sentence,
        }


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


_SPACE_LIKE = re.compile(r"[-‐‑‒–—_/]+")


_DROP = re.compile(r"[^\w'$£€%., ]")


_NON_NUMBER_PUNCT = re.compile(r"(?<!\d)[.,]|[.,](?!\d)")


_CLAUSE_END = frozenset(",.;:!?…-–—")


_TRAILING_QUOTES = "\"'”’)]»"


_WORD = re.compile(r"[^ \n]+")


_EDGE_PUNCT = ',.;:!?"“”()…'


def _clean(text: str) -> str:
    core = text.strip().lower().strip(_EDGE_PUNCT)
    if core.isalpha():  # the common case, without regexes
        return core
    t = _SPACE_LIKE.sub(" ", text.translate(_APOSTROPHES).lower())
    t = _NON_NUMBER_PUNCT.sub("", _DROP.sub("", t))
    return " ".join(t.split()).strip("'")


def clean_token(text: str) -> str:
    """A word as the filler rules read it: lower case, no surrounding punctuation."""
    return _clean(text)


def _display(text: str) -> str:
    return text.strip().strip("\"“”‘’'()[],.;:!?…-–—")


class _Lexicon:
    """Phrases grouped under names (a principle, "hedge"), looked up by their first word, so that a
    3-minute answer costs a dictionary look-up per word rather than a regex scan per group."""

    def __init__(self, groups: Mapping[str, Iterable[str]]) -> None:
        self.exact: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {}
        self.stems: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {}
        for group, entries in groups.items():
            for entry in dict.fromkeys(entries):
                words = _SPACE_LIKE.sub(" ", entry.lower()).split()
                rx = " ".join(
                    re.escape(w[:-1]) + r"[\w']*" if w.endswith("*") else re.escape(w) for w in words
                )
                item = (group, entry, re.compile(rx + r"(?![\w'])"))
                first = words[0]
                index = self.stems if first.endswith("*") else self.exact
                index.setdefault(first.rstrip("*"), []).append(item)
        self.stem_lengths = sorted({len(k) for k in self.stems})

    def find(self, t: SpokenText) -> dict[str, list[Evidence]]:
        """Per group, its matches in order; the longest phrase wins where two start at one word."""
        out: dict[str, list[Evidence]] = {}
        covered: dict[str, int] = {}
        for pos, word in t.word_starts:
            items = list(self.exact.get(word, ()))
            for n in self.stem_lengths:
                if n <= len(word):
                    items += self.stems.get(word[:n], ())
            best: dict[str, tuple[int, str]] = {}
            for group, entry, rx in items:
                m = rx.match(t.text, pos)
                if m and pos >= covered.get(group, 0) and m.end() > best.get(group, (0, ""))[0]:
                    best[group] = (m.end(), entry)
            for group, (end, entry) in best.items():
                covered[group] = end
                i, j = t.span(pos, end)
                out.setdefault(group, []).append(t.evidence(i, j, entry))
        return out


def _glued(words: Sequence[tuple[str, float, float]]) -> list[tuple[str, float, float]]:
    """Whisper's split tokens as one word: "$1" ",100" is "$1,100", "40" "%" is "40%"."""
    out: list[tuple[str, float, float]] = []
    for raw, start, end in words:
        if out and attached(raw.strip()):
            prev, prev_start, _ = out[-1]
            out[-1] = (prev.rstrip() + raw.strip(), prev_start, end)
        else:
            out.append((raw, start, end))
    return out


class SpokenText:
    """All words of the answer, cleaned, with their times, sentence and clause breaks, and one string
    (words joined by spaces, sentences by newlines) for phrase regexes, mapped back to words."""

    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.tokens: list[str] = []
        self.shown: list[str] = []
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.sent: list[int] = []
        self.clause_start: list[bool] = []
        self.clause_end: list[bool] = []
        self.timed: list[bool] = []
        self.sentence_chars: dict[int, tuple[int, int]] = {}  # sentence -> its characters in `text`
        offsets: list[int] = []
        pieces: list[str] = []
        pos = 0
        for si, s in enumerate(sentences):
            words = [(w.text, w.start, w.end) for w in s.words]
            if not words and s.text.strip():  # no word list: spread the text over the sentence's time
                parts = s.text.split()
                step = (s.end - s.start) / len(parts)
                words = [(p, s.start + k * step, s.start + (k + 1) * step) for k, p in enumerate(parts)]
            words = _glued(words)
            first = True
            sentence_pos = pos
            for raw, start, end in words:
                clean = _clean(raw)
                tail = raw.rstrip().rstrip(_TRAILING_QUOTES)
                if not clean:
                    if tail and self.sent and self.sent[-1] == si:
                        self.clause_end[-1] = True
                    continue
                if not first:
                    pieces.append(" ")
                    pos += 1
                offsets.append(pos)
                pieces.append(clean)
                pos += len(clean)
                self.tokens.append(clean)
                self.shown.append(_display(raw) or clean)
                self.starts.append(start)
                self.ends.append(end)
                self.sent.append(si)
                self.clause_start.append(first or self.clause_end[-1])
                self.clause_end.append(bool(tail) and tail[-1] in _CLAUSE_END)
                self.timed.append(s.timed)
                first = False
            if not first:
                self.clause_end[-1] = True
                self.sentence_chars[si] = (sentence_pos, pos)
                pieces.append("\n")
                pos += 1
        self.text = "".join(pieces)
        self._offsets = offsets
        self.word_starts = [(m.start(), m.group()) for m in _WORD.finditer(self.text)]

    def __len__(self) -> int:
        return len(self.tokens)

    def tok(self, i: int) -> str:
        return self.tokens[i] if 0 <= i < len(self.tokens) else ""

    def joined(self, i: int, j: int) -> bool:
        """Words i and j (= i + 1) are in the same clause."""
        return 0 <= i < len(self.tokens) and 0 <= j < len(self.tokens) and not self.clause_start[j]

    def evidence(self, i: int, j: int, kind: str) -> Evidence:
        """Words i..j inclusive."""
        return Evidence(join_words(self.shown[i : j + 1]), kind, self.starts[i], self.ends[j], self.sent[i])

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Word indexes covering characters a..b (b exclusive) of `text`."""
        return bisect_right(self._offsets, a) - 1, bisect_right(self._offsets, b - 1) - 1


PRINCIPLE_FINDER = _Lexicon(PRINCIPLE_LEXICON)


CUE_LEXICON = _Lexicon({"hedge": HEDGES, "lesson": LESSON_CUES})


def _like_is_filler(t: SpokenText, i: int) -> bool:
    """True for a discourse "like"; False when it is a verb, a comparison or "such as" (module doc)."""
    prev = t.tok(i - 1) if t.joined(i - 1, i) else ""
    nxt = t.tok(i + 1) if t.joined(i, i + 1) else ""
    if not nxt and prev:  # clause end: "what it was like"
        return False
    k = i - 1
    while k >= 0 and t.joined(k, k + 1) and t.tokens[k] in LIKE_SKIP_ADVERBS:
        k -= 1
    subject = t.tok(k) if t.joined(k, k + 1) else ""
    if subject in LIKE_SUBJECTS_AUX or subject.endswith(("'d", "'ll")):
        return False
    if prev in LIKE_COMPARE_BEFORE:
        return False
    if (prev in LIKE_BE or prev.endswith(("'s", "'re"))) and nxt in LIKE_DETERMINERS_AFTER:
        return False
    if nxt in LIKE_DEMONSTRATIVES and not t.joined(i + 1, i + 2):
        return False
    if nxt in LIKE_COMPARE_AFTER:
        return False
    if nxt in ("i", "we") and t.tok(i + 2) in LIKE_AS and t.joined(i + 1, i + 2):
        return False
    shown_next = t.shown[i + 1] if nxt else ""
    return not (prev and shown_next[:1].isupper() and nxt not in SINGULAR)


def find_fillers(t: SpokenText) -> tuple[list[Evidence], set[int]]:
    """Filler evidence, and the indexes of words inside "I mean" (not counted as "I")."""
    out: list[Evidence] = []
    in_i_mean: set[int] = set()
    n = len(t)
    for i, w in enumerate(t.tokens):
        if FILLER_HESITATIONS.fullmatch(w):
            out.append(t.evidence(i, i, hesitation_kind(w)))
        elif w in FILLER_ALWAYS:
            out.append(t.evidence(i, i, FILLER_ALWAYS[w]))
        elif w == "like":
            if _like_is_filler(t, i):
                out.append(t.evidence(i, i, "like"))
        elif w in ("kind", "sort") and i + 1 < n and t.tokens[i + 1] == "of" and t.joined(i, i + 1):
            before = t.tok(i - 1) if t.joined(i - 1, i) else ""
            if before not in KIND_OF_DETERMINERS:
                out.append(t.evidence(i, i + 1, f"{w} of"))
        elif w == "you" and t.tok(i + 1) == "know" and t.joined(i, i + 1):
            before = t.tok(i - 1) if t.joined(i - 1, i) else ""
            after = t.tok(i + 2) if t.joined(i + 1, i + 2) else ""
            if before not in YOU_KNOW_VERB_BEFORE and after not in YOU_KNOW_OBJECT_AFTER:
                out.append(t.evidence(i, i + 1, "you know"))
        elif w == "i" and t.tok(i + 1) == "mean" and t.joined(i, i + 1):
            starts = t.clause_start[i] or t.tok(i - 1) in I_MEAN_AFTER_CONJ
            after = t.tok(i + 2) if t.joined(i + 1, i + 2) else ""
            if starts and after != "to":
                out.append(t.evidence(i, i + 1, "I mean"))
                in_i_mean.add(i)
    return out, in_i_mean


def find_pauses(t: SpokenText) -> list[Pause]:
    out = []
    for i in range(1, len(t)):
        gap = t.starts[i] - t.ends[i - 1]
        if gap > LONG_PAUSE_S and t.timed[i] and t.timed[i - 1]:
            out.append(Pause(t.ends[i - 1], gap, t.shown[i - 1], t.shown[i], t.sent[i]))
    return out


def find_quantities(t: SpokenText, sentences: Sequence[Sentence]) -> list[Evidence]:
    # Only the result's figures are the result's: "99 %" in a lesson, "40 minutes" in an action are not.
    labelled = any(s.section in STAR for s in sentences)
    scopes: list[set[Label]] = [{"result"}] if labelled else [set(LABELS)]
    for scope in scopes:
        hits = []
        for si, (a, b) in t.sentence_chars.items():
            if sentences[si].section not in scope:
                continue
            for m in QUANTITY.finditer(t.text, a, b):
                kind, found = m.lastgroup, m.group()
                if (
                    kind is None
                    or kind == "skip"
                    or (kind == "number" and (found.removeprefix("a ") == "one" or YEAR.fullmatch(found)))
                ):
                    continue
                i, j = t.span(m.start(), m.end())
                after = t.tok(j + 1) if t.joined(j, j + 1) else ""
                if kind == "number" and after.isalpha() and after not in NOT_COUNTED:
                    j += 1  # "three stores", not a bare "three"
                hits.append(t.evidence(i, j, kind))
        if hits:
            return hits
    return []


def per_minute(words: int, seconds: float) -> float | None:
    return words / seconds * 60.0 if seconds > 0 else None


def hesitation_kind(token: str) -> str:
    """One name per hesitation: "umm" is "um", "uhh" "uh", "erm" "er"."""
    return (
        "um" if "m" in token and "u" in token else "uh" if "u" in token else "er" if "e" in token else "hmm"
    )


def hesitations_in(words: Sequence[Word]) -> tuple[Word, ...]:
    """The "um"/"uh" among the words of the second, filler-keeping listen (app/speech/fillers.py)."""
    return tuple(w for w in words if FILLER_HESITATIONS.fullmatch(_clean(w.text)))


def heard_hesitations(hesitations: Sequence[Word], sentences: Sequence[Sentence]) -> list[Evidence]:
    """ "um"/"uh" from the second, filler-keeping listen (app/speech/fillers.py), each in the sentence
    being said at its time."""
    starts = [s.start for s in sentences]
    out = []
    for w in hesitations:
        token = _clean(w.text)
        if not FILLER_HESITATIONS.fullmatch(token):
            continue
        kind = hesitation_kind(token)
        si = max(0, bisect_right(starts, w.start) - 1)
        out.append(Evidence(_display(w.text) or token, kind, w.start, w.end, si))
    return out
