"""The fallback labeller stored as numbers computes what scikit-learn computes from the same model."""

from __future__ import annotations

import numpy as np

from app.analysis import star_arrays
from app.analysis.star import StarLabeller
from app.analysis.stories import training_stories
from app.bank.questions import Bank

TEXTS = [
    "So I was the events chair for the society.",
    "I was asked to sort out the rota before the summer.",
    "I rang everyone, and moved the big session to the Thursday.",
    "It went pretty well, 40% more people came.",
    "You just have to stay calm, really.",
]


def test_the_arrays_give_the_same_scores_labels_and_presence(bank: Bank) -> None:
    stories = training_stories(bank)[:400]  # a few hundred stories: trains in seconds
    model = StarLabeller.train(stories)
    stored = star_arrays.from_bytes(star_arrays.to_bytes(model, "key-1"), "key-1")
    assert stored is not None
    assert np.abs(model.scores(TEXTS) - stored.scores(TEXTS)).max() < 1e-9
    assert model.read(TEXTS) == stored.read(TEXTS)
    assert star_arrays.from_bytes(star_arrays.to_bytes(model, "key-1"), "another key") is None
