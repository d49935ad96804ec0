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

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.analysis.evidence import (
    CUE_LEXICON,
    LONG_PAUSE_S,
    PRINCIPLE_FINDER,
    Evidence,
    Pause,
    SpokenText,
    find_fillers,
    find_pauses,
    find_quantities,
    heard_hesitations,
    per_minute,
)
from app.analysis.lexicons import PRINCIPLE_LEXICON
from app.analysis.spoken_words import (
    HESITATION_KINDS,
    PLURAL,
    SINGULAR,
)
from app.analysis.types import LABELS, Label, Sentence
from app.speech.transcript import Word

# --------------------------------------------------------------------------- data


WHISPER_FILLER_KEEP = 0.45  # share of spoken "um"/"uh" Whisper writes down (measured)


# --------------------------------------------------------------------------- results


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
    # Pace of the first and the last third of the words (timed answers of DRIFT_MIN_S or more): speeding
    # up under pressure is heard before anything is said about it. The last third starts at `drift_at`.
    first_third_wpm: float | None = None
    last_third_wpm: float | None = None
    drift_at: float | None = None

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
            "pace_thirds": {"first_wpm": r(self.first_third_wpm, 1), "last_wpm": r(self.last_third_wpm, 1)},
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- words


# --------------------------------------------------------------------------- rules


# --------------------------------------------------------------------------- entry point


def measure_delivery(
    sentences: Sequence[Sentence], engine: str | None = None, hesitations: Sequence[Word] | None = None
) -> Delivery:
    """Delivery figures of labelled sentences; `engine` is the transcript's engine (None for typed text).
    `hesitations`: the words of a second listen that keeps "um" and "uh"; when given, they replace the
    transcript's own (Whisper drops nearly all of them) and the count is no longer a lower bound."""
    t = SpokenText(sentences)
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
            section_words[label],
            section_seconds[label],
            per_minute(section_words[label], section_seconds[label]),
        )
        for label in LABELS
        if label in section_words
    }

    fillers, in_i_mean = find_fillers(t)
    minutes = speaking / 60.0
    lower_bound = engine is not None and "whisper" in engine.lower()
    if hesitations is not None and sentences:
        fillers = [f for f in fillers if f.kind not in HESITATION_KINDS] + heard_hesitations(
            hesitations, sentences
        )
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
    cues = CUE_LEXICON.find(t)
    lessons += cues.get("lesson", [])
    lessons.sort(key=lambda e: (e.sentence, e.start))

    found = PRINCIPLE_FINDER.find(t)
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

    first_wpm, last_wpm, drift_at = _thirds(t) if timed and speaking >= DRIFT_MIN_S else (None, None, None)
    return Delivery(
        timed=timed,
        engine=engine,
        word_count=n,
        speaking_seconds=speaking,
        wpm=per_minute(n, speaking),
        section_rates=section_rates,
        fillers=tuple(fillers),
        fillers_per_minute=len(fillers) / minutes if minutes > 0 else None,
        fillers_per_100_words=len(fillers) / n * 100.0 if n else None,
        fillers_lower_bound=lower_bound,
        pauses=tuple(find_pauses(t)),
        i_count=i_count,
        we_count=we_count,
        action_i_count=action_i,
        action_we_count=action_we,
        quantities=tuple(find_quantities(t, sentences)),
        lessons=tuple(lessons),
        principles=principles,
        hedges=tuple(cues.get("hedge", [])),
        notes=tuple(notes),
        first_third_wpm=first_wpm,
        last_third_wpm=last_wpm,
        drift_at=drift_at,
    )


DRIFT_MIN_S = 30.0  # shorter answers have too few words a third to compare


def _thirds(t: SpokenText) -> tuple[float | None, float | None, float | None]:
    """Words a minute over the first and the last third of the words, each from its first word's start
    to its last word's end, and where the last third starts."""
    n = len(t)
    k = n // 3
    if k < 10:
        return None, None, None
    first = per_minute(k, t.ends[k - 1] - t.starts[0])
    last = per_minute(k, t.ends[n - 1] - t.starts[n - k])
    return first, last, t.starts[n - k]
