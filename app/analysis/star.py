"""Label every sentence situation, task, action, result, reflection or other.

Three parts, each simple:
1. A linear classifier (scikit-learn) scores each sentence from its words, the words of the sentences
   either side, its relative place in the answer and a few job-independent cue phrases ("my job was",
   "as a result", "looking back"). It learns from the bank's example answers and guidance, 44 answers by
   people in other jobs (resources/star_training_answers.json) and the things people say around a
   story; every answer is also shown with each section taken out or cut to one sentence, and whole
   in five sentences.
2. A presence model says which sections the answer has at all, from how many sentences and how much
   evidence the decoder finds for each. It learns from answers the classifier was not trained on.
3. An order-aware decoder (Viterbi) picks the labels for the whole answer at once, without the
   sections judged absent: a story moves forward through S, T, A, R, reflection; "other" may come
   anywhere; going back costs more, so that only strong evidence reports a broken order.
Nearly all remaining errors sit at a section boundary; measured in app/analysis/evaluate.py.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from app.analysis.model import LABELS, STAR, Label, Sentence
from app.analysis.sentences import split_text
from app.questions import Bank

POSITION_BINS = 10
# Position features are scaled down: at full weight they labelled sentences beside a missing section
# with that section. 0.05: LOQO accuracy 0.940, 0.1: 0.948, 0.2 and 0.3: 0.951.
POSITION_WEIGHT = 0.2
# Neighbouring sentences' words count at this weight (0.4: 0.943, 0.7: 0.954, 1.5: 0.944 LOQO accuracy).
CONTEXT_WEIGHT = 0.7
# A section is reported missing when the presence model gives it less than this probability. Measured
# by nested LOQO (removed sections found / complete answers wrongly missing one): 0.8: 0.888 / 0.083,
# 0.85: 0.916 / 0.083, 0.9: 0.944 / 0.139; the 20 answers from other jobs: 0.889 / 0.10 at 0.8, 1.0 / 0.10
# at 0.85. What is still missed is mostly the bank's own labels (a "task" section that is situation).
PRESENCE_THRESHOLD = 0.85
PRESENCE_FOLDS = 3
# One-sentence sections in training: false "missing" on answers from other jobs 0.25 -> 0.15, but
# removed sections found in the bank's answers 0.88 -> 0.81 (a boundary sentence then passes for one).
SHORT_VARIANTS = True
# And each answer told in five sentences: before it, a 5-sentence answer with two clear "we" actions
# was told it had no action (presence 0.64, now 0.84).
CONDENSED_VARIANT = True
# alpha 5e-5 (was 2e-4): LOQO about the same, off-domain accuracy +1 point.
SGD_ALPHA = 5e-5

# What people say around a story, for the "other" class: the bank has none of it.
OTHER_OPENERS = (
    "That's a great question.",
    "That's a good one.",
    "Sure, let me think about that for a second.",
    "Okay, so, um, let me think.",
    "Yeah, I have a good example for that.",
    "Great question, thank you.",
    "Hmm, give me a moment.",
    "Right, okay.",
    "Sure.",
    "Yes, absolutely, I can talk about that.",
    "One example that comes to mind is from a few years ago.",
    "I'd like to tell you about a time from my last job.",
    "Thanks for asking.",
    "Let me see, there are a couple I could pick.",
    "Oh, that's a tough one.",
    "I think the best example would be this one.",
    "Um, okay, so, yeah.",
    "Let me pick one that I think really fits.",
    "Honestly there are a few, but I'll go with the most recent one.",
    "Well, uh, this happens a lot in my line of work.",
    "Okay, so the one that springs to mind is from my old job.",
    "Right, so, I'll tell you about one from last year.",
    "Good question, I had to think about this one beforehand.",
    "Can I use an example from outside work?",
    "So, yeah, I've actually got a pretty good story for this.",
    "I mean, where do I start.",
    "Ha, yes, I definitely have one of those.",
    "Okay, bear with me, it's a bit of a long one.",
)
OTHER_CLOSERS = (
    "So yeah, that's that story.",
    "That's pretty much it.",
    "Does that answer your question?",
    "I hope that answers the question.",
    "So, yeah.",
    "Anyway, that's the example I'd give.",
    "Happy to go into more detail on any part of it.",
    "I can talk more about that if you want.",
    "That's it, really.",
    "Sorry, I went on a bit there.",
    "Okay, I think that's all.",
    "Yeah, so that's what happened, more or less.",
    "So, um, yeah, that was that.",
    "Not the most fun week I've had, I'll say that.",
    "Anyway, I could go on, but that's the gist.",
    "That was a wild couple of months, honestly.",
    "Sorry, that was a long answer.",
    "Yeah, that's the one I'd pick.",
    "I don't know if that's the kind of thing you were looking for.",
    "Is that the sort of example you wanted?",
    "Yeah, I still laugh about it now.",
    "So that's my story.",
)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

# Cues that mark a section in any job: who-was-responsible, what-I-did, what-came-of-it, the lesson.
# Each is one feature, so that one training sentence with "my job was" teaches all the variants.
_CUE_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "situation_context",
        r"\b(at the time|back then|a (few|couple of) (years|months|weeks) (ago|back)|in my (previous|last|old) "
        r"(role|job)|i was working|i work(ed)? (as|at|in|for|on)|i'?m an? |i am an? |we had a|there was a|"
        r"there were|last (year|summer|spring|autumn|fall|winter|month|week|christmas)|one (day|night|"
        r"morning|evening)|kept \w+ing)\b",
    ),
    ("situation_ongoing", r"\b(was|were) (\w+ )?\w+ing\b"),
    ("situation_problem", r"\b(problem|issue|challenge|struggl\w*|however|but the)\b"),
    (
        "task_duty",
        r"\b(my (job|role|responsibility|task|goal|aim|brief|remit|priority)|(our|the|my) (main |primary |"
        r"long-term |overall |immediate |key )?(goal|aim|task|objective|mission|brief|job) was|the challenge "
        r"was (to|how)|it was (on )?(me|my)|it was (up to|down to) me|i was (asked|responsible|tasked|in "
        r"charge|expected|supposed|meant|given)|asked me to|i (had|needed|wanted) to|we (had|needed) to|in "
        r"charge of|took on the|i took it on|it was (crucial|critical|essential|important|vital) (that|to)|i "
        r"had been asked)\b",
    ),
    (
        "action_i_did",
        r"\b(i (decided|started|began|set up|put|made|went|called|asked|talked|spoke|sat|built|wrote|"
        r"proposed|offered|organi[sz]ed|created|introduced|suggested|changed|got|took|used|tried|brought|"
        r"arranged|booked|told|showed|ran|worked|reached|met|checked|moved|kept|implemented|developed|"
        r"designed|analy[sz]ed|collaborated|led|scheduled)|first i|what i did|then i|i also|we "
        r"(started|decided|tried|set|ran|made|put))\b",
    ),
    (
        "result_outcome",
        r"\b(as a result|in the end|by the end|ended up|result(ed|s)?|outcome|which (meant|led)|led to|"
        r"reduc\w+|increas\w+|improv\w+|drop(ped)?|went (up|down)|saved|percent|0|we (got|did|hit|made|"
        r"met|delivered|finished|kept)|it worked|worked out|afterwards|feedback|told me|said)\b",
    ),
    (
        "reflection_lesson",
        r"\b(learn\w*|lesson|taught me|looking back|in hindsight|next time|if i (did|were to do) it again|"
        r"i would|i'?d (do|have|say|probably)|should'?ve|should have|differently|since then|now i (always|"
        r"try|make)|made me (realise|realize|think)|i (realised|realized)|going forward|approach to|"
        r"i continue|takeaway)\b",
    ),
    ("other_filler", r"^(\W*(so|yeah|okay|ok|um|uh|right|sure|yes|hmm|well|anyway|oh)\b\W*)+$"),
    (
        "other_talk",
        r"\b(great question|good (one|question)|tough one|let me think|give me a (second|moment)|that'?s "
        r"(the|my|about|it|that|pretty much)|does that answer|answers? (your|the) question|comes to mind|"
        r"one example|an example|more detail|talk more about|went on a bit|that story)\b",
    ),
    ("starts_with_i", r"^\W*(so |and |then |but )?(i|i'd|i've)\b"),
    ("starts_with_we", r"^\W*(so |and |then |but )?(we|we'd)\b"),
)
_CUES = tuple((name, re.compile(rx)) for name, rx in _CUE_PATTERNS)
# Cue weight 0.3 (0.6 and 1.0 did no better): off-domain accuracy 0.69 -> 0.76, LOQO 0.940 -> 0.934.
# "So I" is no action cue: spoken stories open with it ("So I work as a lifeguard…"), and the app once
# said no situation was heard; with it gone and the time cues ("last summer") added, LOQO accuracy
# 0.951 -> 0.948 but answers from other jobs wrongly "missing" a section 0.15 -> 0.10.
CUE_WEIGHT = 0.3


def _normalise(text: str) -> str:
    return _NUMBER.sub(" 0 ", text.lower())


@dataclass(frozen=True)
class Story:
    """Sentences told together, in order, with their labels: an example answer, or one lone sentence
    (guidance, an opener) that has no neighbours and a typical place in an answer."""

    texts: tuple[str, ...]
    labels: tuple[Label, ...]
    group: str  # the question it belongs to: leave-one-question-out leaves out the whole group
    place: float | None = None  # a lone sentence's typical place (0 = start, 1 = end)

    @property
    def is_answer(self) -> bool:
        return self.place is None

    def positions(self) -> list[float]:
        return [self.place] * len(self.texts) if self.place is not None else _positions(len(self.texts))

    def _keeping(self, keep: Callable[[int], bool]) -> Story:
        idx = [i for i in range(len(self.texts)) if keep(i)]
        return Story(tuple(self.texts[i] for i in idx), tuple(self.labels[i] for i in idx), self.group)

    def without(self, section: Label) -> Story:
        return self._keeping(lambda i: self.labels[i] != section)

    def shortened(self, section: Label) -> Story:
        """The answer with `section` told in its first sentence only."""
        first = self.labels.index(section)
        return self._keeping(lambda i: self.labels[i] != section or i == first)

    def variants(self) -> list[Story]:
        """The answer itself, and with each of its sections taken out or cut to one sentence: people
        leave out a section or say it in a breath, and a model that never saw that labels the
        neighbours with it (or takes the one sentence for a neighbour)."""
        if not self.is_answer:
            return [self]
        present = [s for s in STAR if s in self.labels and any(lab != s for lab in self.labels)]
        out = [self] + [self.without(s) for s in present]
        if SHORT_VARIANTS:
            out += [self.shortened(s) for s in present if self.labels.count(s) > 1]
        if CONDENSED_VARIANT and len(self.texts) > len(set(self.labels)):
            out.append(self.condensed())
        return out

    def condensed(self) -> Story:
        """Every section in one sentence, its first: a 30-second answer."""
        firsts = {self.labels.index(lab) for lab in set(self.labels)}
        return self._keeping(lambda i: i in firsts)


def answer_sentences(bank_question: Any) -> list[tuple[str, Label]]:
    """The reference answer of a question as (sentence, section) pairs."""
    out: list[tuple[str, Label]] = []
    for sec in bank_question.sections:
        out += [(s, sec.section) for s in split_text(sec.example)]
    return out


def _positions(n: int) -> list[float]:
    return [i / (n - 1) if n > 1 else 0.0 for i in range(n)]


# Where each section usually sits in an answer, for guidance sentences (which have no place of their own).
TYPICAL_POSITION: dict[Label, float] = {
    "situation": 0.1,
    "task": 0.25,
    "action": 0.5,
    "result": 0.78,
    "reflection": 0.93,
}


def corpus_path() -> Path:
    """Answers by people in other jobs, written and labelled for training (not the test sets)."""
    return Path(__file__).resolve().parent.parent.parent / "resources" / "star_training_answers.json"


def corpus_stories(path: Path | None = None) -> list[Story]:
    """The bank's answers are all by ML engineers: these teach the words of other jobs and spoken
    answers (fillers, preambles, one-sentence tasks). Off-domain accuracy 0.76 -> 0.87 with them."""
    import json

    data = json.loads((path or corpus_path()).read_text(encoding="utf-8"))
    stories = []
    for answer in data["answers"]:
        labels = tuple(s["section"] for s in answer["sentences"])
        if any(lab not in LABELS for lab in labels):
            raise ValueError(f"{answer['id']}: a label is not one of {', '.join(LABELS)}")
        stories.append(Story(tuple(s["text"] for s in answer["sentences"]), labels, answer["question_id"]))
    return stories


def training_stories(bank: Bank, corpus: Sequence[Story] | None = None) -> list[Story]:
    stories: list[Story] = []
    for q in bank.questions:
        pairs = answer_sentences(q)
        stories.append(Story(tuple(t for t, _ in pairs), tuple(lab for _, lab in pairs), q.id))
        # The guide's advice per section ("describe the outcome…") uses words that are not about
        # machine learning: it lifted accuracy on answers from other jobs.
        stories += [
            Story((t,), (sec.section,), q.id, TYPICAL_POSITION[sec.section])
            for sec in q.sections
            for t in split_text(sec.guidance)
        ]
        # A restated question is an opener too.
        stories += [Story((s,), ("other",), q.id, 0.0) for s in split_text(q.question)]
    stories += [Story((t,), ("other",), "_other", 0.0) for t in OTHER_OPENERS]
    stories += [Story((t,), ("other",), "_other", 1.0) for t in OTHER_CLOSERS]
    return stories + list(corpus_stories() if corpus is None else corpus)


class _Features:
    """A sentence's own words, cue phrases and place, plus the words of the sentences either side:
    a boundary sentence is told by its neighbours (LOQO accuracy 0.934 -> 0.948)."""

    def __init__(self, vectorizer: Any) -> None:
        self._vectorizer = vectorizer

    def matrix(self, stories: Sequence[Story]) -> Any:
        from scipy.sparse import csr_matrix, hstack, vstack

        unique: dict[str, int] = {}
        for story in stories:
            for t in story.texts:
                unique.setdefault(t, len(unique))
        texts = list(unique)
        words = self._vectorizer.transform(texts)
        cues = csr_matrix(_cue_features(texts))
        none = len(texts)  # index of an all-zero row: no neighbour
        words = vstack([words, csr_matrix((1, words.shape[1]))]).tocsr()
        own: list[int] = []
        before: list[int] = []
        after: list[int] = []
        places: list[float] = []
        for story in stories:
            ids = [unique[t] for t in story.texts]
            lone = not story.is_answer
            own += ids
            before += [none if lone or i == 0 else ids[i - 1] for i in range(len(ids))]
            after += [none if lone or i == len(ids) - 1 else ids[i + 1] for i in range(len(ids))]
            places += story.positions()
        cue_rows = vstack([cues, csr_matrix((1, cues.shape[1]))]).tocsr()[own]
        return hstack(
            [
                words[own],
                cue_rows,
                csr_matrix(_position_features(places)),
                words[before] * CONTEXT_WEIGHT,
                words[after] * CONTEXT_WEIGHT,
            ]
        ).tocsr()


class SentenceClassifier:
    """log P(label | sentence, its neighbours, its place), by logistic regression (scikit-learn)."""

    def __init__(self, features: _Features, model: Any) -> None:
        self._features = features
        self._model = model
        classes = list(model.classes_)
        self._order = [classes.index(lab) for lab in LABELS]  # columns in LABELS order

    @classmethod
    def train(cls, stories: Sequence[Story]) -> SentenceClassifier:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import SGDClassifier

        vectorizer = TfidfVectorizer(
            preprocessor=_normalise, ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
        )
        vectorizer.fit(list({t for s in stories for t in s.texts}))
        features = _Features(vectorizer)
        variants = [v for s in stories for v in s.variants()]
        # Logistic loss by SGD: the same model as LogisticRegression, 20x faster to fit.
        model = SGDClassifier(
            loss="log_loss",
            alpha=SGD_ALPHA,
            max_iter=100,
            tol=1e-4,
            class_weight="balanced",
            random_state=0,
            average=True,  # the mean of the steps is steadier than the last: LOQO accuracy 0.950 -> 0.951
        )
        model.fit(features.matrix(variants), [lab for v in variants for lab in v.labels])
        return cls(features, model)

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """One row per sentence, columns in LABELS order."""
        return self.scores_many([texts])[0]

    def scores_many(self, answers: Sequence[Sequence[str]]) -> list[npt.NDArray[np.float64]]:
        """Scores for several answers at once (one matrix: 10x faster when training)."""
        unknown: Label = "other"  # labels are not used to make features
        x = self._features.matrix([Story(tuple(a), (unknown,) * len(a), "") for a in answers])
        probs: npt.NDArray[np.float64] = self._model.predict_log_proba(x)[:, self._order]
        ends = np.cumsum([len(a) for a in answers])[:-1]
        return list(np.split(probs, ends))


def presence_features(scores: npt.NDArray[np.float64], costs: DecoderCosts) -> npt.NDArray[np.float64]:
    """What says a section is there, one row per STAR section: how many sentences the decoder gives
    it, how much worse the answer decodes without it, and how sure the classifier is of them."""
    labels, best = viterbi(scores, costs)
    probs = np.exp(scores)
    rows = []
    for j, section in enumerate(STAR):
        mine = [i for i, lab in enumerate(labels) if lab == section]
        if mine:
            margin = min(best - viterbi(scores, costs, frozenset({section}))[1], 30.0)
            mean, top = float(probs[mine, j].mean()), float(probs[mine, j].max())
        else:
            margin = mean = top = 0.0
        ranked = np.sort(probs[:, j])[::-1]
        f = [
            min(len(mine), 6),
            float(len(mine) >= 2),
            float(np.log1p(margin)),
            float(margin > 0.5),
            mean,
            top,
            float(min(int((scores.argmax(axis=1) == j).sum()), 6)),
            float(ranked[0]),
            float(ranked[1]) if len(ranked) > 1 else 0.0,
            float(np.log(len(scores))),
        ]
        # The same weights for every section, plus one bias each: weights per section learned that an
        # action takes five sentences, and called two clear "we" actions in a short answer absent.
        rows.append(f + [float(k == j) for k in range(len(STAR))])
    return np.array(rows)


def _folds(groups: Sequence[str], k: int) -> list[set[str]]:
    ordered = sorted(set(groups))
    return [set(ordered[i::k]) for i in range(k)]


@dataclass(frozen=True)
class DecoderCosts:
    """Measured by leave-one-question-out: a cost for skipping or entering a section made missing
    sections disappear into their neighbours; going back and "other" costs barely mattered."""

    enter: float = 0.0  # starting a section
    skip: float = 0.0  # per section skipped
    back: float = 5.0  # going back to an earlier section
    other: float = 1.0  # a sentence outside the story (1.5: "Sure." before a story was labelled situation)
    weight: float = 1.0  # how much the classifier's scores count against these costs
    presence_threshold: float = PRESENCE_THRESHOLD


class StarLabeller:
    """Sentence scores, then which sections are there at all, then the labels in story order."""

    def __init__(self, classifier: SentenceClassifier, presence: Any, costs: DecoderCosts) -> None:
        self._classifier = classifier
        self._presence = presence
        self.costs = costs

    @classmethod
    def train(cls, stories: Sequence[Story], costs: DecoderCosts | None = None) -> StarLabeller:
        """The presence model learns from scores the classifier gives answers it was not trained on
        (3 folds by question), each answer whole and with each section taken out."""
        from sklearn.linear_model import LogisticRegression

        costs = costs or DecoderCosts()
        answers = [s for s in stories if s.is_answer]
        x: list[npt.NDArray[np.float64]] = []
        y: list[bool] = []
        for fold in _folds([s.group for s in answers], PRESENCE_FOLDS):
            classifier = SentenceClassifier.train([s for s in stories if s.group not in fold])
            held = [v for s in answers if s.group in fold for v in s.variants()]
            for v, scores in zip(held, classifier.scores_many([v.texts for v in held]), strict=True):
                x.append(presence_features(scores, costs))
                y += [section in v.labels for section in STAR]
        presence = LogisticRegression(C=3.0, max_iter=3000).fit(np.vstack(x), y)
        return cls(SentenceClassifier.train(stories), presence, costs)

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        return self._classifier.scores(texts)

    def absent(self, scores: npt.NDArray[np.float64]) -> frozenset[Label]:
        present = self._presence.predict_proba(presence_features(scores, self.costs))[:, 1]
        return frozenset(s for s, p in zip(STAR, present, strict=True) if p < self.costs.presence_threshold)

    def label_texts(self, texts: Sequence[str]) -> list[Label]:
        if not texts:
            return []
        scores = self.scores(texts)
        return viterbi(scores, self.costs, self.absent(scores))[0]

    def label(self, sentences: Sequence[Sentence]) -> list[Sentence]:
        labels = self.label_texts([s.text for s in sentences])
        return [s.with_section(lab) for s, lab in zip(sentences, labels, strict=True)]


def _cue_features(texts: Sequence[str]) -> npt.NDArray[np.float64]:
    return np.array([_cues_of(t) for t in texts]).reshape(len(texts), len(_CUES)) * CUE_WEIGHT


@functools.lru_cache(maxsize=16384)
def _cues_of(text: str) -> tuple[float, ...]:
    norm = _normalise(text)
    return tuple(1.0 if rx.search(norm) else 0.0 for _, rx in _CUES)


def _position_features(positions: Sequence[float]) -> npt.NDArray[np.float64]:
    bins = np.zeros((len(positions), POSITION_BINS + 2))
    for i, p in enumerate(positions):
        bins[i, min(int(p * POSITION_BINS), POSITION_BINS - 1)] = 1.0
        bins[i, POSITION_BINS] = p
        bins[i, POSITION_BINS + 1] = p * p
    return bins * POSITION_WEIGHT


_NEG = -1e18


def decode(
    scores: npt.NDArray[np.float64], costs: DecoderCosts, forbidden: frozenset[Label] = frozenset()
) -> list[Label]:
    return viterbi(scores, costs, forbidden)[0]


def viterbi(
    scores: npt.NDArray[np.float64], costs: DecoderCosts, forbidden: frozenset[Label] = frozenset()
) -> tuple[list[Label], float]:
    """Best label sequence under the story-order model, and its score.

    States: "in section j" (j = 0..4) and "outside the story, last section j" (j = -1..4).
    `forbidden` sections may not be used (to ask: how much worse is the answer without them?).
    """
    n = len(scores)
    star_n = len(STAR)
    other_col = LABELS.index("other")
    # state index: 0..4 = in section j; 5..10 = other with last section (k - 6), k = -1..4 -> 5 + (k + 1)
    n_states = star_n + star_n + 1
    trans, start = _transitions(costs)
    emit = np.empty((n, n_states))
    emit[:, :star_n] = scores[:, :star_n]
    emit[:, star_n:] = scores[:, [other_col]]
    emit *= costs.weight
    for lab in forbidden:
        emit[:, STAR.index(lab)] = _NEG

    best = start + emit[0]
    back = np.zeros((n, n_states), dtype=np.int64)
    for i in range(1, n):
        cand = best[:, None] + trans  # from a to b
        back[i] = np.argmax(cand, axis=0)
        best = cand[back[i], np.arange(n_states)] + emit[i]
    state = int(np.argmax(best))
    total = float(best[state])
    path = [state]
    for i in range(n - 1, 0, -1):
        state = int(back[i, state])
        path.append(state)
    path.reverse()
    return [STAR[s] if s < star_n else "other" for s in path], total


@functools.lru_cache(maxsize=32)
def _transitions(costs: DecoderCosts) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Transition and start scores of the decoder's states (see `viterbi`), made once per costs."""
    star_n = len(STAR)
    n_states = 2 * star_n + 1

    def last_of(state: int) -> int:
        return state if state < star_n else state - star_n - 1

    def step_cost(last: int, to: int) -> float:
        if to >= star_n:  # into "other": the last section is kept
            return -costs.other if last_of(to) == last else _NEG
        if to == last:
            return 0.0
        if to > last:
            return -costs.enter - costs.skip * (to - last - 1)
        return -costs.enter - costs.back

    trans = np.array([[step_cost(last_of(a), b) for b in range(n_states)] for a in range(n_states)])
    start = np.array([step_cost(-1, b) for b in range(n_states)])
    return trans, start


def missing_sections(labels: Sequence[Label]) -> list[Label]:
    present = set(labels)
    return [s for s in STAR if s not in present]


def order_problems(sentences: Sequence[Sentence]) -> list[tuple[int, str]]:
    """(sentence index, what is out of place) wherever the story goes back to an earlier section."""
    problems: list[tuple[int, str]] = []
    furthest = -1
    for i, s in enumerate(sentences):
        if s.section == "other":
            continue
        k = STAR.index(s.section)
        if k < furthest:
            problems.append((i, f"{s.section} after {STAR[furthest]}"))
        furthest = max(furthest, k)
    return problems


_DEFAULT: dict[str, StarLabeller] = {}
_LOCK = threading.Lock()


def model_key(stories: Sequence[Story], costs: DecoderCosts) -> str:
    """What the trained labeller depends on: the training stories, this file (features, settings), the
    decoder costs and the library, so that a changed model is never loaded from an old cache."""
    import hashlib

    import sklearn

    digest = hashlib.sha256(f"{sklearn.__version__}|{costs}".encode())
    digest.update(Path(__file__).read_bytes())
    for s in stories:
        digest.update(repr((s.texts, s.labels, s.group, s.place)).encode())
    return digest.hexdigest()[:20]


def load_or_train(
    stories: Sequence[Story], cache: Path | None, costs: DecoderCosts | None = None
) -> StarLabeller:
    """Training takes ~2 s in a fresh process; a labeller saved before loads in ~0.3 s. A cache file
    that cannot be read is trained again and replaced, never an error."""
    import logging
    import pickle

    from app.fileio import atomic_write_bytes

    costs = costs or DecoderCosts()
    path = cache / f"star-labeller-{model_key(stories, costs)}.pickle" if cache else None
    if path and path.exists():
        try:
            loaded = pickle.loads(path.read_bytes())  # our own file, in the user's cache folder
            if isinstance(loaded, StarLabeller):
                return loaded
        except Exception as err:  # a truncated or stale file: train again
            logging.getLogger(__name__).warning(
                "STAR labeller cache %s unreadable (%s): training again", path, err
            )
    labeller = StarLabeller.train(stories, costs)
    if path:
        try:
            for old in path.parent.glob("star-labeller-*.pickle"):
                old.unlink(missing_ok=True)
            atomic_write_bytes(path, pickle.dumps(labeller, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as err:  # a full disk costs the next start a second, nothing more
            logging.getLogger(__name__).warning("could not save the STAR labeller to %s: %s", path, err)
    return labeller


def default_labeller(bank: Bank) -> StarLabeller:
    """Trained once per bank and kept, in memory and in the user's cache folder."""
    from app import paths

    key = f"{bank.source}:{len(bank.questions)}:{bank.questions[0].id}"
    with _LOCK:
        if key not in _DEFAULT:
            _DEFAULT[key] = load_or_train(training_stories(bank), paths.cache_dir())
        return _DEFAULT[key]
