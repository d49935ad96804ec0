"""Label every sentence situation, task, action, result, reflection or other.

Three parts, each simple:
1. A linear classifier (scikit-learn) scores each sentence from its words, the words of the sentences
   either side, its relative place in the answer and a few job-independent cue phrases ("my job was",
   "as a result", "looking back"). What it learns from is in app/analysis/stories.py.
2. A presence model says which sections the answer has at all, from how many sentences and how much
   evidence the decoder finds for each. It learns from answers the classifier was not trained on.
3. An order-aware decoder (app/analysis/decode.py) picks the labels for the whole answer at once,
   without the sections judged absent.
Nearly all remaining errors sit at a section boundary; measured in app/analysis/evaluate.py.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from app.analysis.decode import DecoderCosts, viterbi
from app.analysis.model import LABELS, STAR, Label, Sentence
from app.analysis.stories import Story, training_stories
from app.questions import Bank

POSITION_BINS = 10
# Position features are scaled down: at full weight they labelled sentences beside a missing section
# with that section. 0.05: LOQO accuracy 0.940, 0.1: 0.948, 0.2 and 0.3: 0.951.
POSITION_WEIGHT = 0.2
# Neighbouring sentences' words count at this weight (0.4: 0.943, 0.7: 0.954, 1.5: 0.944 LOQO accuracy).
CONTEXT_WEIGHT = 0.7
PRESENCE_FOLDS = 3
# alpha 5e-5 (was 2e-4): LOQO about the same, off-domain accuracy +1 point.
SGD_ALPHA = 5e-5

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


_DEFAULT: dict[str, StarLabeller] = {}
_LOCK = threading.Lock()


def model_key(stories: Sequence[Story], costs: DecoderCosts) -> str:
    """What the trained labeller depends on: the training stories, the code that makes it (features,
    variants, decoder, settings), the decoder costs and the library, so that a changed model is never
    loaded from an old cache."""
    import hashlib

    import sklearn

    from app.analysis import decode
    from app.analysis import stories as stories_module

    digest = hashlib.sha256(f"{sklearn.__version__}|{costs}".encode())
    for module_file in (__file__, stories_module.__file__, decode.__file__):
        digest.update(Path(module_file).read_bytes())
    for s in stories:
        digest.update(repr((s.texts, s.labels, s.group, s.place)).encode())
    return digest.hexdigest()[:20]


def load_or_train(
    stories: Sequence[Story], cache: Path | None, costs: DecoderCosts | None = None
) -> StarLabeller:
    """Training takes ~3 s in a fresh process; a labeller saved before loads in ~0.7 s. A cache file
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
