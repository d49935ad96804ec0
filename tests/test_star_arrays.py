"""The fallback labeller stored as numbers computes what scikit-learn computes from the same model."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np

from app.analysis import star_arrays
from app.analysis.star import StarLabeller
from app.analysis.stories import training_stories
from app.bank.questions import Bank
from tests.conftest import ROOT

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
    (labels, findings), (stored_labels, stored_findings) = model.read(TEXTS), stored.read(TEXTS)
    assert labels == stored_labels
    assert [replace(f, presence=0.0) for f in findings] == [replace(f, presence=0.0) for f in stored_findings]
    assert np.allclose([f.presence for f in findings], [f.presence for f in stored_findings], atol=1e-9)
    assert star_arrays.from_bytes(star_arrays.to_bytes(model, "key-1"), "another key") is None


def test_the_shipped_labeller_labels_without_scipy() -> None:
    """scipy.sparse took 0.14 s of Python's lock to import while the models loaded at launch; the
    shipped labeller's arithmetic needs only NumPy, and an answer with unknown words still scores."""
    code = (
        "import sys\n"
        "from app.analysis.labeller_files import load_or_train, training_stories\n"
        "from app.bank.questions import load_bank, builtin_bank_path\n"
        "import tempfile, pathlib\n"
        "words = load_or_train(training_stories(load_bank(builtin_bank_path())), pathlib.Path(tempfile.mkdtemp()))\n"
        "print(words.kind, words.scores(['So I was the events chair.', 'Zzz qqq.', '']).shape)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'sklearn')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.splitlines() == ["fallback (3, 6)", "[]"], out.stderr
