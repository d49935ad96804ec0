"""The comparison table of STAR labellers on the same development data: two folds by writer (a model
never sees the writer it is scored on), each answer whole and with each section taken out.

    python -m tools.compare_labellers /tmp/ctx/oof.json /tmp/ctx/oof_nocontext.json

Rows: today's labeller (words, cues, grammar, position, neighbours; logistic regression and the
order-aware decoder); a linear-chain CRF (python-crfsuite) over the same features; the fine-tuned
encoder reading each sentence alone, with the decoder; the contextual fine-tuned encoder, with the
decoder; the contextual encoder mixed with today's labeller.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.analysis.decode import DecoderCosts, viterbi
from app.analysis.sections import Reading, judge
from app.analysis.star import StarLabeller
from app.analysis.types import LABELS, STAR
from tools.calibrate_contextual import Telling, evaluate, load
from tools.train_contextual import Item, stories_of, training_items


def folds(tellings: Sequence[Telling], k: int = 2) -> list[set[str]]:
    writers = sorted({t.writer for t in tellings})
    return [set(writers[i::k]) for i in range(k)]


class Crf:
    """A linear-chain CRF over today's features (words, cues, grammar, place, neighbours' words)."""

    def __init__(self, items: Sequence[Item]) -> None:
        import pycrfsuite

        trainer = pycrfsuite.Trainer(verbose=False)
        for it in items:
            texts = [t for s in it.sentences for t, _ in s]
            labels = [lab for s in it.sentences for _, lab in s]
            trainer.append(self.features(texts, it.place), labels)
        trainer.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": 150})
        self._path = f"/tmp/crf-{id(self)}.model"
        trainer.train(self._path)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(self._path)
        self.kind = "crf"

    @staticmethod
    def features(texts: Sequence[str], place: float | None = None) -> list[dict[str, float]]:
        from app.analysis.grammar import grammar_of
        from app.analysis.star import _cues_of, _normalise

        words = [_normalise(t).split() for t in texts]
        n = len(texts)
        out = []
        for i, t in enumerate(texts):
            p = place if place is not None else (i / (n - 1) if n > 1 else 0.0)
            f: dict[str, float] = {f"w={w}": 1.0 for w in words[i]}
            f |= {f"b={a}_{b}": 1.0 for a, b in zip(words[i], words[i][1:], strict=False)}
            f |= {f"cue{j}": v for j, v in enumerate(_cues_of(t)) if v}
            f |= {f"g{j}": v for j, v in enumerate(grammar_of(t)) if v}
            f[f"pos{min(int(p * 10), 9)}"] = 1.0
            if i > 0:
                f |= {f"-w={w}": 0.5 for w in words[i - 1]}
            if i < n - 1:
                f |= {f"+w={w}": 0.5 for w in words[i + 1]}
            out.append(f)
        return out

    def read_parts(self, texts: Sequence[str]) -> Reading:
        self._tagger.set(self.features(texts))
        labels = self._tagger.tag()
        marg = np.array([[self._tagger.marginal(lab, i) for lab in LABELS] for i in range(len(texts))])
        scores = np.log(np.clip(marg, 1e-9, 1.0))
        presence = 1.0 - np.prod(1.0 - marg[:, : len(STAR)], axis=0)
        return Reading((None,) * len(texts), tuple(labels), judge(labels, scores, presence))  # type: ignore[arg-type]


class Mixed:
    """The contextual encoder's sentence scores plus today's labeller's, then the decoder."""

    def __init__(self, contextual: Any, words: StarLabeller, weight: float = 0.5) -> None:
        self._ctx, self._words, self._w = contextual, words, weight
        self.kind = "mixed"

    def read_parts(self, texts: Sequence[str]) -> Reading:
        _, scores = self._ctx.unit_scores(texts)
        if len(scores) != len(texts):  # a sentence was cut: keep the contextual reading
            return self._ctx.read_parts(texts)  # type: ignore[no-any-return]
        mixed = scores + self._w * self._words.scores(texts)
        mixed -= np.log(np.exp(mixed).sum(axis=1, keepdims=True))
        labels = viterbi(mixed, DecoderCosts())[0]
        return Reading((None,) * len(texts), tuple(labels), judge(labels, mixed, self._ctx.presence(mixed)))


def main() -> None:
    from tools.calibrate_contextual import Cached, fold_words

    oof = load(Path(sys.argv[1]))
    alone = load(Path(sys.argv[2])) if len(sys.argv) > 2 else []
    items = training_items()
    rows: dict[str, list[dict[str, Any]]] = {}
    for fold in folds(oof):
        held = [t for t in oof if t.writer in fold]
        train = [it for it in items if it.group not in fold]
        today = StarLabeller.train(stories_of(train))
        rows.setdefault("today's labeller", []).append(evaluate(held, {}, today))
        rows.setdefault("CRF over today's features", []).append(evaluate(held, {}, Crf(train)))
    # The encoders: out-of-fold scores of models that never saw the writer; the presence model is
    # fitted on all of them (out of fold too); the settings the app ships with.
    shipped = {"split_cost": 0.6, "bias": [0.0, 1.4, 0.0, 0.0, 0.0, 0.0]}
    words = fold_words(oof)
    for name, source, mix in (
        ("encoder alone + decoder", alone, None),
        ("contextual encoder + decoder", oof, None),
        ("contextual + today's (shipped)", oof, words),
    ):
        if not source:
            continue
        meta = {**shipped, "words_weight": 1.0 if mix else 0.0}
        cached = Cached(source, meta, mix)
        meta["presence"] = cached.fit_presence(source)
        cached.unsure_below, cached.missing_below = 0.45, 0.3
        rows[name] = [evaluate(source, meta, cached)]
    for name, parts in rows.items():
        print(name, merge(parts), flush=True)


def merge(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Two folds' figures as one (weighted by their n)."""

    def w(key: str, n: str) -> float | None:
        total = sum(p[n] for p in parts if p[key] is not None)
        if not total:
            return None
        return round(sum(p[key] * p[n] for p in parts if p[key] is not None) / total, 3)

    return {
        "accuracy": w("accuracy", "parts"),
        "parts": sum(p["parts"] for p in parts),
        "complete_told_missing": w("complete_told_missing", "complete"),
        "complete_flagged": w("complete_flagged", "complete"),
        "complete": sum(p["complete"] for p in parts),
        "removed_found": w("removed_found", "removed"),
        "removed": sum(p["removed"] for p in parts),
        "by_register": [p["by_register"] for p in parts],
        "split_one_section": [p["split_one_section"] for p in parts],
        "split_two_section": [p["split_two_section"] for p in parts],
        "task_unclear_in_complete": w("task_unclear_in_complete", "complete"),
        "removed_task_found": w("removed_task_found", "removed"),
    }


if __name__ == "__main__":
    main()
