"""Delivery figures of a spoken answer: rate, fillers, long pauses, "I" vs "we", numbers, lessons,
Leadership Principles and hedges, each with the words and times that back it up.

Every figure can be explained by pointing at words. The rules, in the order a reader needs them:

Words. Each engine word is lower-cased, curly quotes become straight, hyphens and dashes become
spaces ("long-term" matches "long term"), and punctuation is dropped except inside numbers
("$5,000", "2.5") and "%". Punctuation after a word (, . ; : ! ? - …) ends a *clause*; a clause also
starts at each sentence start. Phrases never match across sentences.

Fillers (`FILLER_*` below):
- "um", "uh", "er", "erm", "hmm" (and stretched spellings "umm", "uhh") always count.
- "actually", "basically" (and "kinda", "sorta") always count.
- "like" counts unless one of these says it carries meaning:
  verb            a subject or auxiliary before it, adverbs skipped ("I like", "would like",
                  "they'd like to", "didn't really like");
  comparison      a verb of seeming or a comparing word before it ("looks like", "felt like a",
                  "something like that", "just like", "people like"), or a form of "be" before it
                  and "a/an/the" after it ("it was like a maze");
  demonstrative   "like this/that/these/those" ending the clause ("do it like this.");
  as              "like I said", "like we discussed";
  such as         a capitalised name after it, not at a clause start ("tools like Excel");
  clause end      "like" ending a clause ("what it was like").
  Everything else counts: "and like we", "it was like really hard", "we were, like, behind",
  "Like, I called", "like twenty people" (say "about").
- "you know" counts unless it is the verb: an auxiliary or "if/what/as/let" before it ("do you know",
  "if you know", "let you know"), or an object right after it ("you know the drill").
- "I mean" counts at the start of a clause (or after and/but/so/well), unless "to" follows
  ("I mean to"). Its "I" is not counted as an "I"-statement.
- "kind of"/"sort of" count unless a determiner before it makes it a type ("a kind of model",
  "what sort of data", "the kind of nurse"); "kinds of"/"sorts of" never count.
Whisper keeps only about 45 % of spoken "um"/"uh" (notes/FINDINGS.md): with `engine` "whisper" the
result says the filler counts are a lower bound.

Hedges (`HEDGES`): maybe, perhaps, I think, I guess, I suppose, probably, somewhat, hopefully, might,
I feel like, not sure. A softening "kind of"/"sort of" is counted once, as a filler, never as a hedge;
the "like" of "I feel like" is a comparison, so it is a hedge and not a filler.

Pauses: a gap of more than `LONG_PAUSE_S` seconds from one word's end to the next word's start, within
or between sentences; only between heard (timed) words.

"I" vs "we": whole-word pronouns; "US" written in capitals is the country, not "us".

Quantified result: percentages, money, multiples ("double", "three times", "half"), durations
("two hours a day") and bare numbers (digits or number words, but not a lone "one", not a year such as
2019, not a time of day such as "8 a.m."), looked for in sentences labelled result only; when no
sentence carries a STAR label at all, in every sentence. "two weeks later", "three years ago"
and "one day" tell the story's time, not a result, and are skipped.

Lesson: any sentence labelled reflection, or a lesson cue anywhere (`LESSON_CUES`).

Leadership Principles: a small lexicon per principle (`PRINCIPLE_LEXICON`), written for any job
(nurses, teachers, sales, engineering). `*` ends a word with any ending ("customer*" = customers,
customer's). A match is evidence to show, not proof: negations are not detected.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.analysis.lexicons import HEDGES, LESSON_CUES, PRINCIPLE_LEXICON
from app.analysis.model import LABELS, STAR, Label, Sentence
from app.analysis.sentences import attached, join_words
from app.speech.transcript import Word

# --------------------------------------------------------------------------- data


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LONG_PAUSE_S = 2.0  # FINDINGS: flag pauses over ~1.5-2.5 s; normal ones are 0.25-0.5 s
WHISPER_FILLER_KEEP = 0.45  # share of spoken "um"/"uh" Whisper writes down (measured)

FILLER_HESITATIONS = re.compile(r"u+h*m+|u+h+|e+r+m*|h+m+")  # whole token: um umm uhm uh uhh er erm hmm
_HESITATION_KINDS = frozenset({"um", "uh", "er", "hmm"})
FILLER_ALWAYS = {"actually": "actually", "basically": "basically", "kinda": "kind of", "sorta": "sort of"}

# "like" as a verb: one of these right before it (adverbs in LIKE_SKIP_ADVERBS skipped).
LIKE_SUBJECTS_AUX = _words(
    "i you we they he she who people would wouldn't will won't do does did don't doesn't didn't "
    "to might may could couldn't should shouldn't can can't must also"
)
LIKE_SKIP_ADVERBS = _words(
    "really also just always still never actually genuinely honestly truly definitely even "
    "particularly especially all both not usually generally"
)
# "like" as comparison: one of these right before it.
LIKE_COMPARE_BEFORE = _words(
    "look looks looked looking sound sounds sounded sounding feel feels felt feeling seem seems "
    "seemed seeming taste tastes tasted smell smells smelled act acts acted something anything "
    "nothing everything someone somebody anyone anybody everyone people things stuff just more "
    "much exactly lot little bit"
)
LIKE_BE = _words("is was were are be been being am 's 're")
LIKE_DETERMINERS_AFTER = _words("a an the")
LIKE_DEMONSTRATIVES = _words("this that these those")
LIKE_COMPARE_AFTER = _words("before usual always normal everyone everybody anyone anybody")
LIKE_AS = _words("said mentioned say discussed agreed planned")  # "like I said"

YOU_KNOW_VERB_BEFORE = _words(
    "do does did don't doesn't didn't if whether unless when what how as let would will can could "
    "should might may to that"
)
YOU_KNOW_OBJECT_AFTER = _words(
    "the a an your my our his her their it him them about exactly everything everyone anything "
    "nothing someone that this"
)
I_MEAN_AFTER_CONJ = _words("and but so or well because")
KIND_OF_DETERMINERS = _words(
    "a an the this that these those what which any some every each one same different other "
    "another no whatever certain particular new right wrong my your our their his her its all"
)

SINGULAR = _words("i i'm i've i'd i'll me my mine myself")
PLURAL = _words("we we're we've we'd we'll us our ours ourselves")

_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundreds? thousands? millions? billions? dozens?"
)
_W = "(?:" + "|".join(_NUMBER_WORDS.split()) + ")"
_DIGITS = r"\d[\d,]*(?:\.\d+)?"
_NUM = rf"(?:{_DIGITS}(?: (?:hundred|thousand|million|billion))?|(?:a )?{_W}(?:[ ](?:and )?{_W})*(?: and a half)?)"
_UNIT_TIME = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|shifts?|quarters?)"
_QUANTITY_KINDS = (
    # story time, not a result: "two weeks later", "three years ago", "after three weeks", "one day"
    # and a time of day tells when, not how much: "8 a.m." ("8" "a" ".m." from Whisper), "6:30 pm"
    ("skip", rf"{_NUM} {_UNIT_TIME} (?:ago|later|earlier|before|after|old|into)\b|(?<=after )(?:about |around )?{_NUM} {_UNIT_TIME}\b|one (?:day|time|morning|afternoon|evening|night)\b|(?:\d{{1,2}}(?:[:.]\d\d)?|{_W}) ?(?:[ap] ?\.? ?m\b\.?|o'?clock\b)"),
    ("percent", rf"{_NUM} ?(?:%|percent\b|per cent\b|percentage points?\b)"),
    ("money", rf"[$£€] ?{_NUM}(?: ?(?:k|m|bn)\b)?|{_NUM} ?(?:k |m |bn )?(?:dollars|pounds|euros|bucks|quid)\b|{_DIGITS} ?(?:k|bn)\b"),
    ("multiple", rf"{_NUM} (?:times|fold)\b|{_DIGITS}x\b|double(?! ?check)[a-z]*|tripl[a-z]*|quadrupl[a-z]*|halv[a-z]*|twice|half|(?:a|one|two|three) (?:third|quarter|fifth|tenth)s?"),
    ("time", rf"{_NUM} (?:(?:more|fewer|less|extra|full|whole) )?{_UNIT_TIME}(?: (?:a|per|each|every) (?:day|week|month|year|shift|hour|quarter))?"),
    ("number", _NUM),
)  # fmt: skip
_QUANTITY = re.compile(
    r"(?<![\w$£€])(?:" + "|".join(f"(?P<{k}>{rx})" for k, rx in _QUANTITY_KINDS) + r")(?![\w])"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
# Words after a number that are not what it counts ("cut it to three and…", "three of them").
_NOT_COUNTED = _words("and or but to of in on at by for from with the a an than as so that which who when if")

# --------------------------------------------------------------------------- results


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


@dataclass(frozen=True)
class SectionRate:
    words: int
    seconds: float  # summed durations of the section's sentences
    wpm: float | None  # None when the section has no duration


@dataclass(frozen=True)
class Delivery:
    timed: bool  # False when any sentence's times were estimated from text, not heard
    engine: str | None
    word_count: int
    speaking_seconds: float  # first word's start to last word's end
    wpm: float | None
    section_rates: Mapping[Label, SectionRate]  # sections present, in LABELS order
    fillers: tuple[Evidence, ...]
    fillers_per_minute: float | None
    fillers_per_100_words: float | None
    fillers_lower_bound: bool  # the engine drops fillers (Whisper): the true count is higher
    pauses: tuple[Pause, ...]  # gaps over LONG_PAUSE_S; empty when untimed
    i_count: int
    we_count: int
    action_i_count: int
    action_we_count: int
    quantities: tuple[Evidence, ...]  # numbers in the result (see the module's rules for the scope)
    lessons: tuple[Evidence, ...]
    principles: Mapping[str, tuple[Evidence, ...]]  # only principles with evidence, in Amazon's order
    hedges: tuple[Evidence, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def rates_estimated(self) -> bool:
        return not self.timed

    @property
    def filler_count(self) -> int:
        return len(self.fillers)

    @property
    def long_pause_count(self) -> int:
        return len(self.pauses)

    @property
    def quantified(self) -> bool:
        return bool(self.quantities)

    @property
    def lesson_stated(self) -> bool:
        return bool(self.lessons)

    @property
    def hedge_count(self) -> int:
        return len(self.hedges)

    def filler_counts(self) -> dict[str, int]:
        """Fillers by kind, most frequent first ("like": 4, "um": 2)."""
        return dict(Counter(f.kind for f in self.fillers).most_common())

    def to_json(self) -> dict[str, Any]:
        def r(x: float | None, n: int = 2) -> float | None:
            return None if x is None else round(x, n)

        return {
            "timed": self.timed,
            "rates_estimated": self.rates_estimated,
            "engine": self.engine,
            "word_count": self.word_count,
            "speaking_seconds": round(self.speaking_seconds, 3),
            "wpm": r(self.wpm, 1),
            "sections": {
                k: {"words": v.words, "seconds": round(v.seconds, 3), "wpm": r(v.wpm, 1)}
                for k, v in self.section_rates.items()
            },
            "fillers": {
                "count": self.filler_count,
                "per_minute": r(self.fillers_per_minute),
                "per_100_words": r(self.fillers_per_100_words),
                "lower_bound": self.fillers_lower_bound,
                "by_kind": self.filler_counts(),
                "items": [f.to_json() for f in self.fillers],
            },
            "pauses": {
                "threshold_s": LONG_PAUSE_S,
                "count": self.long_pause_count,
                "items": [p.to_json() for p in self.pauses],
            },
            "pronouns": {
                "i": self.i_count,
                "we": self.we_count,
                "action_i": self.action_i_count,
                "action_we": self.action_we_count,
            },
            "quantified": self.quantified,
            "quantities": [q.to_json() for q in self.quantities],
            "lesson_stated": self.lesson_stated,
            "lessons": [e.to_json() for e in self.lessons],
            "principles": {k: [e.to_json() for e in v] for k, v in self.principles.items()},
            "hedges": {"count": self.hedge_count, "items": [h.to_json() for h in self.hedges]},
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- words


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

    def find(self, t: _Text) -> dict[str, list[Evidence]]:
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


class _Text:
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


_PRINCIPLES = _Lexicon(PRINCIPLE_LEXICON)
_CUES = _Lexicon({"hedge": HEDGES, "lesson": LESSON_CUES})


# --------------------------------------------------------------------------- rules


def _like_is_filler(t: _Text, i: int) -> bool:
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


def _fillers(t: _Text) -> tuple[list[Evidence], set[int]]:
    """Filler evidence, and the indexes of words inside "I mean" (not counted as "I")."""
    out: list[Evidence] = []
    in_i_mean: set[int] = set()
    n = len(t)
    for i, w in enumerate(t.tokens):
        if FILLER_HESITATIONS.fullmatch(w):
            out.append(t.evidence(i, i, _hesitation_kind(w)))
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


def _pauses(t: _Text) -> list[Pause]:
    out = []
    for i in range(1, len(t)):
        gap = t.starts[i] - t.ends[i - 1]
        if gap > LONG_PAUSE_S and t.timed[i] and t.timed[i - 1]:
            out.append(Pause(t.ends[i - 1], gap, t.shown[i - 1], t.shown[i], t.sent[i]))
    return out


def _quantities(t: _Text, sentences: Sequence[Sentence]) -> list[Evidence]:
    # Only the result's figures are the result's: "99 %" in a lesson, "40 minutes" in an action are not.
    labelled = any(s.section in STAR for s in sentences)
    scopes: list[set[Label]] = [{"result"}] if labelled else [set(LABELS)]
    for scope in scopes:
        hits = []
        for si, (a, b) in t.sentence_chars.items():
            if sentences[si].section not in scope:
                continue
            for m in _QUANTITY.finditer(t.text, a, b):
                kind, found = m.lastgroup, m.group()
                if (
                    kind is None
                    or kind == "skip"
                    or (kind == "number" and (found.removeprefix("a ") == "one" or _YEAR.fullmatch(found)))
                ):
                    continue
                i, j = t.span(m.start(), m.end())
                after = t.tok(j + 1) if t.joined(j, j + 1) else ""
                if kind == "number" and after.isalpha() and after not in _NOT_COUNTED:
                    j += 1  # "three stores", not a bare "three"
                hits.append(t.evidence(i, j, kind))
        if hits:
            return hits
    return []


def _rate(words: int, seconds: float) -> float | None:
    return words / seconds * 60.0 if seconds > 0 else None


# --------------------------------------------------------------------------- entry point


def _hesitation_kind(token: str) -> str:
    """One name per hesitation: "umm" is "um", "uhh" "uh", "erm" "er"."""
    return (
        "um" if "m" in token and "u" in token else "uh" if "u" in token else "er" if "e" in token else "hmm"
    )


def _heard(hesitations: Sequence[Word], sentences: Sequence[Sentence]) -> list[Evidence]:
    """ "um"/"uh" from the second, filler-keeping listen (app/speech/fillers.py), each in the sentence
    being said at its time."""
    starts = [s.start for s in sentences]
    out = []
    for w in hesitations:
        token = _clean(w.text)
        if not FILLER_HESITATIONS.fullmatch(token):
            continue
        kind = _hesitation_kind(token)
        si = max(0, bisect_right(starts, w.start) - 1)
        out.append(Evidence(_display(w.text) or token, kind, w.start, w.end, si))
    return out


def measure_delivery(
    sentences: Sequence[Sentence], engine: str | None = None, hesitations: Sequence[Word] | None = None
) -> Delivery:
    """Delivery figures of labelled sentences; `engine` is the transcript's engine (None for typed text).
    `hesitations`: the words of a second listen that keeps "um" and "uh"; when given, they replace the
    transcript's own (Whisper drops nearly all of them) and the count is no longer a lower bound."""
    t = _Text(sentences)
    n = len(t)
    timed = all(s.timed for s in sentences)
    speaking = t.ends[-1] - t.starts[0] if n else 0.0

    counts: Counter[int] = Counter(t.sent)
    section_words: dict[Label, int] = {}
    section_seconds: dict[Label, float] = {}
    for si, s in enumerate(sentences):
        section_words[s.section] = section_words.get(s.section, 0) + counts[si]
        section_seconds[s.section] = section_seconds.get(s.section, 0.0) + max(0.0, s.end - s.start)
    section_rates = {
        label: SectionRate(
            section_words[label], section_seconds[label], _rate(section_words[label], section_seconds[label])
        )
        for label in LABELS
        if label in section_words
    }

    fillers, in_i_mean = _fillers(t)
    minutes = speaking / 60.0
    lower_bound = engine is not None and "whisper" in engine.lower()
    if hesitations is not None and sentences:
        fillers = [f for f in fillers if f.kind not in _HESITATION_KINDS] + _heard(hesitations, sentences)
        fillers.sort(key=lambda f: f.start)
        lower_bound = False

    i_count = we_count = action_i = action_we = 0
    for k, w in enumerate(t.tokens):
        action = sentences[t.sent[k]].section == "action"
        if w in SINGULAR and k not in in_i_mean:
            i_count += 1
            action_i += action
        elif w in PLURAL and not (w == "us" and t.shown[k].replace(".", "") == "US"):
            we_count += 1
            action_we += action

    lessons = [
        Evidence(s.text, "reflection section", s.start, s.end, si)
        for si, s in enumerate(sentences)
        if s.section == "reflection"
    ]
    cues = _CUES.find(t)
    lessons += cues.get("lesson", [])
    lessons.sort(key=lambda e: (e.sentence, e.start))

    found = _PRINCIPLES.find(t)
    principles = {name: tuple(found[name]) for name in PRINCIPLE_LEXICON if name in found}

    notes = []
    if not timed:
        notes.append(
            "Times were estimated from the text, not heard: speaking rates are estimates and pauses are not measured."
        )
    if lower_bound:
        notes.append(
            f"Whisper writes down only about {WHISPER_FILLER_KEEP:.0%} of spoken 'um'/'uh': "
            "the filler count is a lower bound."
        )

    return Delivery(
        timed=timed,
        engine=engine,
        word_count=n,
        speaking_seconds=speaking,
        wpm=_rate(n, speaking),
        section_rates=section_rates,
        fillers=tuple(fillers),
        fillers_per_minute=len(fillers) / minutes if minutes > 0 else None,
        fillers_per_100_words=len(fillers) / n * 100.0 if n else None,
        fillers_lower_bound=lower_bound,
        pauses=tuple(_pauses(t)),
        i_count=i_count,
        we_count=we_count,
        action_i_count=action_i,
        action_we_count=action_we,
        quantities=tuple(_quantities(t, sentences)),
        lessons=tuple(lessons),
        principles=principles,
        hedges=tuple(cues.get("hedge", [])),
        notes=tuple(notes),
    )
