"""Train the off-topic check (app/analysis/topic.py) on the development answers (tests/data/
offtopic_dev*.json) and the bank's reference answers, report its figures leaving one set out at a time,
and write app/resources/topic_check.npz. The test set (tests/data/offtopic_test.json) is never read here.

`python -m tools.train_topic_check [--no-write]`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.analysis import sentences as sent
from app.analysis.meaning import shared_meaning
from app.analysis.stories import answer_sentences
from app.analysis.topic import MIN_WORDS, TopicModel, concept_of, model_path, topic_features
from app.analysis.topic_concepts import CONCEPTS, Concept
from app.bank.questions import builtin_bank_path, load_bank

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
DEV_SETS = ("offtopic_dev", "offtopic_dev2", "offtopic_dev3", "offtopic_dev_old_test")
FALSE_ALARMS_AT_MOST = 0.04  # on-topic development answers flagged
# A sentence of an on-topic answer joins its concept's examples only if it is this close to a written
# one: the two closest of an answer are often background ("I was the coordinator"), which any story has.
MINED_AT_LEAST = float(__import__("os").environ.get("MINED_AT_LEAST", "0.45"))


@dataclass
class Item:
    source: str
    concept: Concept
    off: bool
    vectors: np.ndarray
    text: str


def items() -> list[Item]:
    model = shared_meaning()
    assert model is not None
    bank = load_bank(builtin_bank_path())
    out: list[Item] = []
    for name in DEV_SETS:
        path = DATA / f"{name}.json"
        for a in json.loads(path.read_text(encoding="utf-8"))["answers"]:
            concept = concept_of(bank.by_id(a["question"]).question)
            if concept is None or len(a["text"].split()) < MIN_WORDS:
                continue
            texts = [s.text for s in sent.from_text(a["text"])]
            out.append(Item(name, concept, not a["on_topic"], model.encode(texts), a["text"]))
    for q in bank.questions:
        concept = concept_of(q.question)
        if concept is not None:
            texts = [t for t, _ in answer_sentences(q)]
            out.append(Item("bank", concept, False, model.encode(texts), " ".join(texts)))
    return out


def prototypes(train: Sequence[Item]) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Each concept's sentences: the written ones, then the two of each on-topic answer closest to them;
    and how close on-topic answers come, on average."""
    from app.analysis.topic import closeness

    model = shared_meaning()
    assert model is not None
    written = {c.name: model.encode(list(c.shown_by)) for c in CONCEPTS}
    protos = {c.name: [written[c.name]] for c in CONCEPTS}
    for it in train:
        if not it.off:
            sims = (it.vectors @ written[it.concept.name].T).max(axis=1)
            best = [i for i in np.argsort(sims)[::-1][:2] if sims[i] >= MINED_AT_LEAST]
            protos[it.concept.name].append(it.vectors[best])
    stacked = {k: np.vstack(v).astype(np.float32) for k, v in protos.items()}
    base = {}
    for c in CONCEPTS:
        scores = [closeness(it.vectors, written[c.name]) for it in train if not it.off and it.concept == c]
        base[c.name] = float(np.mean(scores)) if scores else 0.4
    return stacked, base


def training_features(
    train: Sequence[Item], protos: dict[str, np.ndarray], base: dict[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Each answer's features; an on-topic one against prototypes made without its own sentences."""
    x, y = [], []
    for it in train:
        p, b = prototypes([o for o in train if o is not it]) if not it.off else (protos, base)
        x.append(topic_features(it.concept, it.vectors, it.text, p, b))
        y.append(int(it.off))
    return np.array(x), np.array(y)


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    m = LogisticRegression(max_iter=1000).fit((x - mean) / scale, y)
    return mean, scale, m.coef_[0], float(m.intercept_[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    every = items()
    sources = sorted({it.source for it in every} - {"bank"})
    oof: dict[int, float] = {}
    for held in sources:
        train = [it for it in every if it.source != held]
        protos, base = prototypes(train)
        m = fit(*training_features(train, protos, base))
        check = TopicModel(protos, base, *m, threshold=0.5)
        for i, it in enumerate(every):
            if it.source == held:
                oof[i] = check.probability_off(it.concept, it.vectors, it.text)
    idx = sorted(oof)
    p = np.array([oof[i] for i in idx])
    off = np.array([every[i].off for i in idx])
    print(
        f"development, one set left out at a time: {int(off.sum())} off-topic, {int((~off).sum())} on-topic"
    )
    chosen = 0.9
    for t in np.arange(0.5, 0.96, 0.05):
        fa, caught = float(np.mean(p[~off] >= t)), float(np.mean(p[off] >= t))
        print(f"  threshold {t:.2f}: caught {caught:.3f}, false alarms {fa:.3f}")
    for t in np.arange(0.5, 0.96, 0.01):
        if float(np.mean(p[~off] >= t)) <= FALSE_ALARMS_AT_MOST:
            chosen = round(float(t), 2)
            break
    print(
        f"chosen {chosen}: caught {np.mean(p[off] >= chosen):.3f}, false alarms {np.mean(p[~off] >= chosen):.3f}"
    )
    if args.no_write:
        return
    protos, base = prototypes(every)
    mean, scale, coef, intercept = fit(*training_features(every, protos, base))
    arrays = {f"protos_{i}": protos[c.name].astype(np.float16) for i, c in enumerate(CONCEPTS)}
    arrays.update(
        base=np.array([base[c.name] for c in CONCEPTS]), mean=mean, scale=scale, coef=coef,
        intercept=np.array(intercept), threshold=np.array(chosen),
    )  # fmt: skip
    np.savez_compressed(str(model_path()), **arrays)
    print("wrote", model_path(), "weights", np.round(coef, 2).tolist())


if __name__ == "__main__":
    main()
