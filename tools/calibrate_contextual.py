"""Choose the contextual labeller's settings on out-of-fold scores (development data only) and write
them into app/resources/star_contextual.json: the presence model's weights, where "not clear" and
"missing" begin, and how much better two parts must score before a sentence is split.

    python -m tools.train_contextual --folds 2 --epochs 2 --out /tmp/ctx/oof.json
    python -m tools.calibrate_contextual /tmp/ctx/oof.json [--write]

Every answer was scored by a model that never saw its writer (folds by writer), whole and with each
section taken out (scored again without it, so the neighbours are read as they would be).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from app.analysis import contextual as ctx
from app.analysis.contextual_labeller import ContextualLabeller
from app.analysis.decode import DecoderCosts
from app.analysis.sections import Reading
from app.analysis.star import presence_features
from app.analysis.types import STAR

Part = tuple[str, str]


@dataclass(frozen=True)
class Telling:
    writer: str
    name: str  # "whole", or the section taken out
    sentences: tuple[tuple[Part, ...], ...]
    tokens: tuple[np.ndarray, ...]

    @property
    def texts(self) -> list[str]:
        return [" ".join(t for t, _ in s) for s in self.sentences]

    @property
    def told(self) -> set[str]:
        return {lab for s in self.sentences for _, lab in s if lab != "other"}


class Precomputed:
    """Stands in for the ONNX model: token scores already made by a fold model."""

    def __init__(self, tellings: Sequence[Telling], meta: dict[str, Any]) -> None:

        from tools.train_contextual import minilm_dir

        self.meta = meta
        self._tok = ctx.load_tokenizer(minilm_dir() / "tokenizer.json")
        self._by_texts = {tuple(t.texts): t for t in tellings}

    def token_scores(self, texts: Sequence[str]) -> tuple[list[ctx.Encoded], list[np.ndarray]]:
        telling = self._by_texts[tuple(texts)]
        return ctx.encode_sentences(self._tok, texts), list(telling.tokens)


def load(path: Path) -> list[Telling]:
    raw = json.loads(path.read_text())
    out = []
    for key, tellings in raw.items():
        writer = key.split("|")[0]
        for name, t in tellings.items():
            sentences = tuple(tuple((str(a), str(b)) for a, b in s) for s in t["sentences"])
            out.append(Telling(writer, name, sentences, tuple(np.array(x) for x in t["scores"])))
    return out


def register(writer: str) -> str:
    return "real-like" if writer.startswith("train-real") else ("bank" if writer == "bank" else "written")


def part_accuracy(telling: Telling, reading: Reading) -> tuple[int, int, int, int]:
    """(parts right, parts, one-section sentences wrongly split, two-section sentences split)."""
    right = total = bad_split = good_split = 0
    k = 0
    for sentence, cut in zip(telling.sentences, reading.cuts, strict=True):
        text = " ".join(t for t, _ in sentence)
        units = (
            [(0, len(text), reading.labels[k])]
            if cut is None
            else [(0, cut, reading.labels[k]), (cut, len(text), reading.labels[k + 1])]
        )
        k += 1 if cut is None else 2
        at = 0
        for part_text, lab in sentence:
            a, b = at, at + len(part_text)
            at = b + 1
            overlap = {u: max(0, min(b, ue) - max(a, us)) for us, ue, u in units}
            total += 1
            right += max(overlap, key=lambda u: overlap[u]) == lab
        if cut is not None and len(sentence) == 1:
            bad_split += 1
        if cut is not None and len(sentence) > 1:
            good_split += 1
    return right, total, bad_split, good_split


def evaluate(tellings: Sequence[Telling], meta: dict[str, Any], labeller: Any = None) -> dict[str, Any]:
    """Dev figures over the tellings; `labeller` (anything with read_parts) instead of the fold
    models' scores with `meta`'s settings."""
    if labeller is None:
        labeller = ContextualLabeller(Precomputed(tellings, meta))  # type: ignore[arg-type]
    by_reg: dict[str, list[int]] = {}
    complete = flagged = missing_alarm = 0
    task_unclear_complete = 0
    removed = found = strict = 0
    removed_task = found_task = 0
    one_sections = two_sections = bad = good = 0
    for t in tellings:
        reading = labeller.read_parts(t.texts)
        states = {f.section: f.state for f in reading.findings}
        if t.name == "whole":
            r, n, b, g = part_accuracy(t, reading)
            acc = by_reg.setdefault(register(t.writer), [0, 0])
            acc[0] += r
            acc[1] += n
            bad += b
            good += g
            one_sections += sum(len(s) == 1 for s in t.sentences)
            two_sections += sum(len(s) > 1 for s in t.sentences)
            if {"situation", "task", "action", "result"} <= t.told:
                complete += 1
                told = [s for s in STAR if s in t.told]
                flagged += any(states[s] != "present" for s in told if s != "reflection")
                missing_alarm += any(states[s] == "missing" for s in told)
                task_unclear_complete += states["task"] != "present"
        elif t.name in STAR and t.name not in t.told:
            removed += 1
            found += states[t.name] != "present"
            strict += states[t.name] == "missing"
            if t.name == "task":
                removed_task += 1
                found_task += states["task"] != "present"
    right = sum(v[0] for v in by_reg.values())
    total = sum(v[1] for v in by_reg.values())
    return {
        "accuracy": round(right / total, 3),
        "parts": total,
        "by_register": {k: (round(v[0] / v[1], 3), v[1]) for k, v in by_reg.items()},
        "complete": complete,
        "complete_flagged": round(flagged / complete, 3) if complete else None,
        "complete_told_missing": round(missing_alarm / complete, 3) if complete else None,
        "task_unclear_in_complete": round(task_unclear_complete / complete, 3) if complete else None,
        "removed": removed,
        "removed_found": round(found / removed, 3) if removed else None,
        "removed_missing": round(strict / removed, 3) if removed else None,
        "removed_task_found": round(found_task / removed_task, 3) if removed_task else None,
        "split_one_section": f"{bad} of {one_sections}",
        "split_two_section": f"{good} of {two_sections}",
    }


def fit_presence(tellings: Sequence[Telling], meta: dict[str, Any]) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    labeller = ContextualLabeller(Precomputed(tellings, meta))  # type: ignore[arg-type]
    x, y = [], []
    for t in tellings:
        _, scores = labeller.unit_scores(t.texts)
        x.append(presence_features(scores, DecoderCosts(**meta.get("decoder", {}))))
        y += [s in t.told for s in STAR]
    model = LogisticRegression(C=3.0, max_iter=3000).fit(np.vstack(x), y)
    return {
        "coef": [round(float(c), 6) for c in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
    }


class Cached:
    """One labeller's reading of each telling, made once; the thresholds are applied afterwards, so a
    grid of them costs no more model work. `words`: each telling's fallback labeller, trained without
    its writer (mixed in at meta's words_weight)."""

    def __init__(
        self, tellings: Sequence[Telling], meta: dict[str, Any], words: dict[str, Any] | None = None
    ) -> None:
        from app.analysis.decode import viterbi

        model = Precomputed(tellings, meta)
        by_writer: dict[str, ContextualLabeller] = {}
        self._done: dict[tuple[str, ...], tuple[Any, ...]] = {}
        self._scores: dict[tuple[str, ...], Any] = {}
        for t in tellings:
            if t.writer not in by_writer:
                by_writer[t.writer] = ContextualLabeller(model, (words or {}).get(t.writer))  # type: ignore[arg-type]
            labeller = by_writer[t.writer]
            cuts, scores = labeller.unit_scores(t.texts)
            self._scores[tuple(t.texts)] = scores
            labels = viterbi(scores, labeller.costs)[0]
            self._done[tuple(t.texts)] = (tuple(cuts), labels, scores, None)
        self.unsure_below, self.missing_below = 0.75, 0.3
        self.costs = DecoderCosts(**meta.get("decoder", {}))

    def fit_presence(self, tellings: Sequence[Telling]) -> dict[str, Any]:
        """The presence model on these (out-of-fold) scores, then each telling's presence."""
        from sklearn.linear_model import LogisticRegression

        x = [presence_features(self._scores[tuple(t.texts)], self.costs) for t in tellings]
        y = [s in t.told for t in tellings for s in STAR]
        model = LogisticRegression(C=3.0, max_iter=3000).fit(np.vstack(x), y)
        for t, f in zip(tellings, x, strict=True):
            cuts, labels, scores, _ = self._done[tuple(t.texts)]
            self._done[tuple(t.texts)] = (cuts, labels, scores, model.predict_proba(f)[:, 1])
        return {
            "coef": [round(float(c), 6) for c in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 6),
        }

    def read_parts(self, texts: Sequence[str]) -> Reading:
        from app.analysis.contextual_labeller import merged
        from app.analysis.sections import judge

        cuts, labels, scores, presence = self._done[tuple(texts)]
        findings = judge(labels, scores, presence, self.missing_below, self.unsure_below)
        return merged(Reading(cuts, tuple(labels), findings))


def fold_words(tellings: Sequence[Telling], k: int = 2) -> dict[str, Any]:
    """The fallback labeller for each writer, trained on the other fold's writers (as the fold
    models were)."""
    from app.analysis.star import StarLabeller
    from tools.train_contextual import stories_of, training_items

    items = training_items()
    writers = sorted({t.writer for t in tellings})
    out: dict[str, Any] = {}
    for i in range(k):
        fold = set(writers[i::k])
        model = StarLabeller.train(stories_of([it for it in items if it.group not in fold]))
        out |= {w: model for w in fold}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("oof", type=Path)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--unsure-below", type=float, default=0.75, help="the point chosen from the curve")
    parser.add_argument("--missing-below", type=float, default=0.3)
    parser.add_argument("--words-weight", type=float, nargs="*", default=[0.5, 1.0])
    parser.add_argument("--split-cost", type=float, default=0.2)
    parser.add_argument("--task-bias", type=float, default=1.4, help="added to the task's log-probability")
    args = parser.parse_args()
    tellings = load(args.oof)
    words = fold_words(tellings)
    best: tuple[float, dict[str, Any], Cached] | None = None
    for weight in args.words_weight:
        meta: dict[str, Any] = {"split_cost": args.split_cost, "words_weight": weight}
        meta["bias"] = [0.0, args.task_bias, 0.0, 0.0, 0.0, 0.0]
        cached = Cached(tellings, meta, words)
        meta["presence"] = cached.fit_presence(tellings)
        cached.unsure_below, cached.missing_below = args.unsure_below, args.missing_below
        e = evaluate(tellings, meta, cached)
        print("words_weight", weight, e, flush=True)
        if best is None or e["accuracy"] > best[0]:
            best = (e["accuracy"], meta, cached)
    assert best is not None
    _, meta, cached = best
    print(f"\nchosen: words_weight {meta['words_weight']}, split cost {meta['split_cost']}")
    print(
        "found-against-flagged: unsure_below missing_below | removed found, complete flagged, complete told"
    )
    print("missing, task unclear on complete, removed task found, removed called missing")
    for unsure in (0.2, 0.3, 0.45, 0.6, 0.75, 0.85, 0.9):
        for missing in (0.2, 0.3):
            cached.unsure_below, cached.missing_below = unsure, missing
            e = evaluate(tellings, meta, cached)
            print(
                unsure,
                missing,
                "|",
                e["removed_found"],
                e["complete_flagged"],
                e["complete_told_missing"],
                e["task_unclear_in_complete"],
                e["removed_task_found"],
                e["removed_missing"],
                flush=True,
            )
    meta |= {"unsure_below": args.unsure_below, "missing_below": args.missing_below}
    if args.write:
        _, _, meta_path = ctx.model_files()
        current = json.loads(meta_path.read_text())
        current.update(meta)
        meta_path.write_text(json.dumps(current, indent=1) + "\n")


if __name__ == "__main__":
    main()
