"""Fit the one-event check (app/analysis/one_event.py) on the training answers that say whether they
tell one time ("one_event"; the rest do), report leave-one-writer-out figures and write its numbers.

    python -m tools.train_one_event [--write]
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from app.analysis import one_event
from app.analysis.stories import corpus_dir
from app.core import paths

THRESHOLD = 0.8  # leave-one-writer-out (312 answers, 24 general): 0.7 caught 18, 9 false alarms; 0.8: 16, 8; 0.9: 11, 7


def data() -> tuple[np.ndarray, np.ndarray, list[str]]:
    x, y, writers = [], [], []
    for path in sorted(corpus_dir().glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        for a in raw["answers"]:
            texts = [s["text"] for s in a["sentences"]]
            x.append(one_event.features(texts))
            y.append(not a.get("one_event", True))
            writers.append(raw.get("writer", path.stem))
    return np.array(x), np.array(y), writers


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    x, y, writers = data()
    p = np.zeros(len(y))
    for w in sorted(set(writers)):
        held = np.array([v == w for v in writers])
        model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit(x[~held], y[~held])
        p[held] = model.predict_proba(x[held])[:, 1]
    print(f"answers {len(y)}, describing in general {int(y.sum())}")
    for t in (0.5, 0.6, 0.7, 0.8, 0.9):
        caught = int(((p >= t) & y).sum())
        alarms = int(((p >= t) & ~y).sum())
        print(f"threshold {t}: caught {caught} of {int(y.sum())}, false alarms {alarms} of {int((~y).sum())}")
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit(x, y)
    out = {
        "features": list(one_event.FEATURES),
        "coef": [round(float(c), 6) for c in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "threshold": THRESHOLD,
        "trained_on": f"{len(y)} answers, {int(y.sum())} describing in general (tools/train_one_event.py)",
    }
    if args.write:
        path = paths.resource("one_event.json")
        path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print("written", path)


if __name__ == "__main__":
    main()
