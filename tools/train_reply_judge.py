"""Train the follow-up reply judge (app/followups/judge.py) on replies written for it (tools/data/
replies_train_*.json, two writers), report its development figures by leave-one-writer-out, and write
app/resources/reply_judge.npz: the training clauses' vectors per kind and the regression's weights.

`python -m tools.train_reply_judge [--no-write]`. Needs only the app's own libraries.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.analysis import sentences as sent
from app.analysis.clauses import clauses
from app.analysis.meaning import mean_vector, shared_meaning
from app.followups import reply_features as rf
from app.followups.judge import gated, model_path
from app.followups.rules import ASK_KINDS

DATA = Path(__file__).parent / "data"
REGULARISE = float(__import__("os").environ.get("REGULARISE", "1.0"))
PASS_WRONG_AT_MOST = 0.05  # replies passed that should fail, on development replies


def load(paths: Sequence[Path]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in paths:
        for r in json.loads(p.read_text(encoding="utf-8"))["replies"]:
            out.append({**r, "writer": p.stem})
    return out


class Reader:
    """Each reply's clauses, their vectors and its section feature, computed once."""

    def __init__(self, replies: Sequence[dict[str, Any]], labeller: Any) -> None:
        model = shared_meaning()
        assert model is not None, "the meaning model must load to train the judge"
        self.rows = []
        for r in replies:
            texts = [s.text for s in sent.from_text(r["reply"])]
            parts = clauses(texts) or [r["reply"]]
            evidence = r.get("evidence") or ""
            self.rows.append(
                {
                    **r,
                    "texts": texts,
                    "parts": parts,
                    "vectors": model.encode(parts),
                    "evidence_vector": model.encode([evidence])[0] if evidence else None,
                    "section": rf.section_hits(labeller, r["followup"], texts, r["asks_for"]),
                    "question": model.encode([r["followup"]])[0],
                }
            )

    def prototypes(self, rows: Sequence[dict[str, Any]]) -> rf.Prototypes:
        dim = rows[0]["vectors"].shape[1]
        gave = {
            k: [r["evidence_vector"] for r in rows if r["asks_for"] == k and r["gave"]] for k in ASK_KINDS
        }
        not_gave = {
            k: [v for r in rows if r["asks_for"] == k and not r["gave"] for v in r["vectors"]]
            for k in ASK_KINDS
        }
        whole = {
            k: [mean_vector(r["vectors"]) for r in rows if r["asks_for"] == k and r["gave"]]
            for k in ASK_KINDS
        }
        not_whole = {
            k: [mean_vector(r["vectors"]) for r in rows if r["asks_for"] == k and not r["gave"]]
            for k in ASK_KINDS
        }
        as_array = lambda vs: np.array(vs, dtype=np.float32).reshape(-1, dim)  # noqa: E731
        return rf.Prototypes(
            {k: as_array(v) for k, v in gave.items()},
            {k: as_array(v) for k, v in not_gave.items()},
            {k: as_array(v) for k, v in whole.items()},
            {k: as_array(v) for k, v in not_whole.items()},
        )


def features(reader: Reader, rows: Sequence[dict[str, Any]], pool: Sequence[dict[str, Any]]) -> np.ndarray:
    """Each row's features against prototypes from `pool`, the row itself left out."""
    out = []
    for r in rows:
        protos = reader.prototypes([p for p in pool if p is not r])
        f, _ = rf.reply_features(
            r["asks_for"], r["parts"], r["vectors"], protos, r["section"], r["reply"], r["question"]
        )
        out.append(f)
    return np.array(out)


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=REGULARISE, max_iter=2000).fit((x - mean) / scale, y)
    return mean, scale, model.coef_[0], float(model.intercept_[0])


def prob(x: np.ndarray, m: tuple[np.ndarray, np.ndarray, np.ndarray, float]) -> np.ndarray:
    mean, scale, coef, intercept = m
    out: np.ndarray = 1.0 / (1.0 + np.exp(-(((x - mean) / scale) @ coef + intercept)))
    return out


def figures(p: np.ndarray, y: np.ndarray, threshold: float) -> dict[str, float]:
    passed = p >= threshold
    return {
        "agree": round(float(np.mean(passed == (y == 1))), 3),
        "passed_should_fail": round(float(np.mean(passed[y == 0])), 3),
        "failed_should_pass": round(float(np.mean(~passed[y == 1])), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    from app.analysis.labeller_files import default_labeller
    from app.bank.questions import builtin_bank_path, load_bank

    replies = load(sorted(DATA.glob("replies_train_*.json")))
    reader = Reader(replies, default_labeller(load_bank(builtin_bank_path())))
    rows = reader.rows
    y = np.array([1 if r["gave"] else 0 for r in rows])
    writers = sorted({r["writer"] for r in rows})
    oof = np.zeros(len(rows))
    for w in writers:
        train = [r for r in rows if r["writer"] != w]
        test_idx = [i for i, r in enumerate(rows) if r["writer"] == w]
        m = fit(features(reader, train, train), np.array([1 if r["gave"] else 0 for r in train]))
        oof[test_idx] = prob(features(reader, [rows[i] for i in test_idx], train), m)
    # As the judge does: a reply asked for a section that the labeller gives no sentence of that section
    # can at most be "not sure".
    for i, r in enumerate(rows):
        oof[i] = gated(r["asks_for"], r["section"], float(oof[i]))
    print("development, leave one writer out, n =", len(rows))
    chosen = 0.5
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        f = figures(oof, y, t)
        print(f"  threshold {t}: {f}")
    for t in np.arange(0.3, 0.95, 0.01):
        if figures(oof, y, float(t))["passed_should_fail"] <= PASS_WRONG_AT_MOST:
            chosen = round(float(t), 2)
            break
    print("chosen threshold", chosen, figures(oof, y, chosen))
    for k in ASK_KINDS:
        idx = [i for i, r in enumerate(rows) if r["asks_for"] == k]
        print(f"  {k:9s}", figures(oof[idx], y[idx], chosen))
    import os

    if os.environ.get("SHOW_ERRORS"):
        for i, r in enumerate(rows):
            if (oof[i] >= chosen) != bool(r["gave"]) and r["asks_for"] in os.environ["SHOW_ERRORS"].split(
                ","
            ):
                print(
                    f"  {oof[i]:.2f} gave={r['gave']} {r['kind']}: {r['followup'][:50]} | {r['reply'][:200]}"
                )
    mean, scale, coef, intercept = fit(features(reader, rows, rows), y)
    names = [*rf.FEATURES, *ASK_KINDS, *(f"words_{k}" for k in ASK_KINDS)]
    print("weights", dict(zip(names, np.round(coef, 2).tolist(), strict=True)))
    if args.no_write:
        return
    protos = reader.prototypes(rows)
    arrays: dict[str, np.ndarray] = {"kinds": np.array(ASK_KINDS)}
    for k in ASK_KINDS:
        arrays[f"gave_{k}"] = protos.gave[k].astype(np.float16)
        arrays[f"not_{k}"] = protos.not_gave[k].astype(np.float16)
        arrays[f"gave_replies_{k}"] = protos.gave_replies[k].astype(np.float16)
        arrays[f"not_replies_{k}"] = protos.not_replies[k].astype(np.float16)
    arrays.update(
        mean=mean, scale=scale, coef=coef, intercept=np.array(intercept), threshold=np.array(chosen)
    )
    np.savez_compressed(model_path(), **arrays)
    print("wrote", model_path(), f"{Path(model_path()).stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
