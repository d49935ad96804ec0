"""The sentence encoder the benchmark compares the labeller with (app/analysis/encoder.py): its weights
come from their package, checked; it gives what the model gives (meaning, not words)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from app.analysis.encoder import EncoderUnavailable, SentenceEncoder, model_dir


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


def test_same_meaning_in_other_words_is_closer_than_the_same_words(encoder: SentenceEncoder) -> None:
    """Written for this test: one event said two ways, and a sentence that shares its words but not its
    meaning. (During development the vectors matched sentence-transformers' own to 2e-5.)"""
    a, b, c = encoder.encode(
        [
            "The server kept crashing every night.",
            "Our main machine went down each evening.",
            "I told the customer the price every night.",
        ]
    )
    assert np.allclose(np.linalg.norm([a, b, c], axis=1), 1.0, atol=1e-4)
    assert float(a @ b) > float(a @ c) + 0.1


def test_results_do_not_depend_on_the_batch(encoder: SentenceEncoder) -> None:
    """Padding a short sentence beside a long one must not change its vector."""
    alone = SentenceEncoder().encode(["We shipped it on Friday."])[0]
    long = "After three weeks of nights the jams fell from six a night to one and every truck left on time."
    together = encoder.encode([long, "We shipped it on Friday."])[1]
    assert float(alone @ together) > 0.9999


def test_damaged_weights_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(model_dir(), folder, ignore=shutil.ignore_patterns("model.safetensors"))
    (folder / "model.safetensors").write_bytes(b"\0" * 1024)
    with pytest.raises(EncoderUnavailable, match="damaged"):
        SentenceEncoder(folder)
