"""Label every sentence situation, task, action, result, reflection or other.

Two parts, each simple:
1. A linear classifier (scikit-learn) scores each sentence from its words and its relative place in
   the answer, plus a few job-independent cue phrases ("my job was", "as a result", "looking back"). It
   learns from the bank's labelled example sections, plus a small set of the things
   people say that are not part of the story (greetings, "great question", a restated question).
2. An order-aware decoder (Viterbi) picks the labels for the whole answer at once: a story moves
   forward through S, T, A, R, reflection; a section may be skipped at a cost; "other" may come
   anywhere; going back costs more, so that only strong evidence reports a broken order.
On written answers, position alone labels ~80 % of sentences and nearly all errors sit at a section
boundary (notes/FINDINGS.md): the decoder is what keeps sections whole.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from app.analysis.model import LABELS, STAR, Label, Sentence
from app.analysis.sentences import split_text
from app.questions import Bank

if TYPE_CHECKING:
    from scipy.sparse import spmatrix

POSITION_BINS = 10
# Position features are scaled down: at full weight they labelled sentences beside a missing section
# with that section (missing-section recall 0.0 in leave-one-question-out), at 0.1 words decide.
POSITION_WEIGHT = 0.1
# A section is reported missing when the best labelling without it scores less than this much worse
# (log-likelihood): a lone boundary sentence does not make a section, two clear sentences do.
MISSING_MARGIN = 0.5

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
        r"\b(at the time|back then|a (few|couple of) (years|months) (ago|back)|in my (previous|last|old) "
        r"(role|job)|i was working|i work(ed)? (as|at|in|for)|we had a|there was a|there were)\b",
    ),
    ("situation_ongoing", r"\b(was|were) (\w+ )?\w+ing\b"),
    ("situation_problem", r"\b(problem|issue|challenge|struggl\w*|however|but the)\b"),
    (
        "task_duty",
        r"\b(my (job|role|responsibility|task|goal|aim|brief|remit)|it was (on )?(me|my)|i was (asked|"
        r"responsible|tasked|in charge)|asked me to|i (had|needed|wanted) to|we (had|needed) to|the "
        r"(goal|aim|task|challenge) was|in charge of)\b",
    ),
    (
        "action_i_did",
        r"\b(i (decided|started|began|set up|put|made|went|called|asked|talked|spoke|sat|built|wrote|"
        r"proposed|offered|organi[sz]ed|created|introduced|suggested|changed|got|took|used|tried|brought|"
        r"arranged|booked|told|showed|ran|worked|reached|met|checked|moved|kept|implemented|developed|"
        r"designed|analy[sz]ed|collaborated|led|scheduled)|so i|first i|what i did|then i|i also|we "
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
CUE_WEIGHT = 0.3


def _normalise(text: str) -> str:
    return _NUMBER.sub(" 0 ", text.lower())


@dataclass(frozen=True)
class Example:
    text: str
    label: Label
    position: float  # 0 = first sentence of the answer, 1 = last
    group: str  # the question it belongs to (for leave-one-question-out)


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


def training_examples(bank: Bank) -> list[Example]:
    examples: list[Example] = []
    for q in bank.questions:
        pairs = answer_sentences(q)
        examples += [
            Example(t, lab, p, q.id) for (t, lab), p in zip(pairs, _positions(len(pairs)), strict=True)
        ]
        # The guide's advice per section ("describe the outcome…") uses words that are not about
        # machine learning: it lifted accuracy on answers from other jobs.
        examples += [
            Example(t, sec.section, TYPICAL_POSITION[sec.section], q.id)
            for sec in q.sections
            for t in split_text(sec.guidance)
        ]
        # A restated question is an opener too.
        examples += [Example(s, "other", 0.0, q.id) for s in split_text(q.question)]
    examples += [Example(t, "other", 0.0, "_other") for t in OTHER_OPENERS]
    examples += [Example(t, "other", 1.0, "_other") for t in OTHER_CLOSERS]
    return examples


@dataclass(frozen=True)
class DecoderCosts:
    """Measured by leave-one-question-out: a cost for skipping or entering a section made missing
    sections disappear into their neighbours; going back and "other" costs barely mattered."""

    enter: float = 0.0  # starting a section
    skip: float = 0.0  # per section skipped
    back: float = 5.0  # going back to an earlier section
    other: float = 1.5  # a sentence outside the story
    weight: float = 1.0  # how much the classifier's scores count against these costs
    missing_margin: float = MISSING_MARGIN


class StarLabeller:
    def __init__(self, vectorizer: Any, classifier: Any, costs: DecoderCosts) -> None:
        self._vectorizer = vectorizer
        self._classifier = classifier
        self.costs = costs
        classes = list(classifier.classes_)
        self._order = [classes.index(lab) for lab in LABELS]  # columns in LABELS order

    @classmethod
    def train(cls, examples: Sequence[Example], costs: DecoderCosts | None = None) -> StarLabeller:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import SGDClassifier

        vectorizer = TfidfVectorizer(
            preprocessor=_normalise, ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
        )
        x_text = vectorizer.fit_transform([e.text for e in examples])
        x = _with_position(x_text, [e.position for e in examples], [e.text for e in examples])
        # Logistic loss by SGD: the same model as LogisticRegression, 20x faster to fit (0.05 s vs 0.9 s).
        # alpha 5e-5 (was 2e-4): LOQO about the same, off-domain accuracy +1 point.
        classifier = SGDClassifier(
            loss="log_loss", alpha=5e-5, max_iter=100, tol=1e-4, class_weight="balanced", random_state=0
        )
        classifier.fit(x, [e.label for e in examples])
        return cls(vectorizer, classifier, costs or DecoderCosts())

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """log P(label | sentence, its place), one row per sentence, columns in LABELS order."""
        x = _with_position(self._vectorizer.transform(list(texts)), _positions(len(texts)), texts)
        probs: npt.NDArray[np.float64] = self._classifier.predict_log_proba(x)
        return probs[:, self._order]

    def label_texts(self, texts: Sequence[str]) -> list[Label]:
        if not texts:
            return []
        return label_with_missing(self.scores(texts), self.costs)

    def label(self, sentences: Sequence[Sentence]) -> list[Sentence]:
        labels = self.label_texts([s.text for s in sentences])
        return [s.with_section(lab) for s, lab in zip(sentences, labels, strict=True)]


def _cue_features(texts: Sequence[str]) -> npt.NDArray[np.float64]:
    out = np.zeros((len(texts), len(_CUES)))
    for i, t in enumerate(texts):
        norm = _normalise(t)
        for j, (_, rx) in enumerate(_CUES):
            if rx.search(norm):
                out[i, j] = 1.0
    return out * CUE_WEIGHT


def _with_position(x_text: spmatrix, positions: Sequence[float], texts: Sequence[str] = ()) -> Any:
    from scipy.sparse import csr_matrix, hstack

    if texts and CUE_WEIGHT:
        x_text = hstack([x_text, csr_matrix(_cue_features(texts))])
    bins = np.zeros((len(positions), POSITION_BINS + 2))
    for i, p in enumerate(positions):
        bins[i, min(int(p * POSITION_BINS), POSITION_BINS - 1)] = 1.0
        bins[i, POSITION_BINS] = p
        bins[i, POSITION_BINS + 1] = p * p
    return hstack([x_text, csr_matrix(bins * POSITION_WEIGHT)]).tocsr()


def label_with_missing(scores: npt.NDArray[np.float64], costs: DecoderCosts) -> list[Label]:
    """Labels in which a section appears only if the answer is clearly better with it.

    For each section the decoder used, the answer is decoded again without it; if that costs less
    than `missing_margin`, the section is taken as missing and the labels without it are kept.
    """
    labels, best = viterbi(scores, costs)
    missing = {s for s in STAR if s not in labels}
    for section in STAR:
        if section in missing:
            continue
        without, score = viterbi(scores, costs, frozenset(missing | {section}))
        if best - score < costs.missing_margin:
            missing.add(section)
            labels, best = without, score
    return labels


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
    neg = -1e18

    def last_of(state: int) -> int:
        return state if state < star_n else state - star_n - 1

    def step_cost(last: int, to: int) -> float:
        if to >= star_n:  # into "other": the last section is kept
            return -costs.other if last_of(to) == last else neg
        if to == last:
            return 0.0
        if to > last:
            return -costs.enter - costs.skip * (to - last - 1)
        return -costs.enter - costs.back

    trans = np.full((n_states, n_states), neg)
    for a in range(n_states):
        for b in range(n_states):
            trans[a, b] = step_cost(last_of(a), b)
    start = np.array([step_cost(-1, b) for b in range(n_states)])
    emit = np.empty((n, n_states))
    for s in range(n_states):
        emit[:, s] = scores[:, s] if s < star_n else scores[:, other_col]
    emit *= costs.weight
    for lab in forbidden:
        emit[:, STAR.index(lab)] = neg

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


def default_labeller(bank: Bank) -> StarLabeller:
    """Trained once per bank and kept (training takes a fraction of a second)."""
    key = f"{bank.source}:{len(bank.questions)}:{bank.questions[0].id}"
    with _LOCK:
        if key not in _DEFAULT:
            _DEFAULT[key] = StarLabeller.train(training_examples(bank))
        return _DEFAULT[key]
