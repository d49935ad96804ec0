"""Sentence vectors for the STAR labeller's optional second expert (`star.EMBEDDING_WEIGHT`, 0 in the
shipped app; the benchmark compares it): the app's own meaning model (app/analysis/meaning.py,
all-MiniLM-L6-v2 as int8 ONNX, checksum-verified), so the app and its benchmark carry one sentence
encoder, not a second copy of the same model in another package.

Training sentences can be encoded once into a table (`python main.py train-labeller` writes it when
the weight is above 0), so training does not encode 2,500 sentences again on each start.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.analysis.meaning import DIM, model_files, shared_meaning, unavailable_reason
from app.core import paths

F32 = npt.NDArray[np.float32]


class EncoderUnavailable(RuntimeError):
    """The meaning model is missing or damaged: the labeller labels from the words alone meanwhile."""


def model_version() -> str:
    """What the vectors depend on (the model file's checksum), for the labeller's model key."""
    try:
        return hashlib.sha256(model_files()[1].read_bytes()).hexdigest()[:16]
    except OSError:
        return "missing"


def table_path() -> Path:
    """Vectors of the training sentences, made once: training then costs a first start ~1 s, not the
    seconds of encoding 2,500 sentences on 2 cores."""
    return paths.resource("star_training_vectors.npz")


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@functools.cache
def _table() -> dict[str, F32]:
    path = table_path()
    if not path.exists():
        return {}
    with np.load(path) as data:
        return {str(k): v.astype(np.float32) for k, v in zip(data["keys"], data["vectors"], strict=True)}


def _encode(texts: Sequence[str]) -> F32:
    model = shared_meaning()
    if model is None:
        raise EncoderUnavailable(unavailable_reason() or "the meaning model cannot load")
    return model.encode(texts)


def embed(texts: Sequence[str]) -> F32:
    """Vectors for `texts`: training sentences from the stored table, the rest from the model."""
    table = _table()
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    todo: list[int] = []
    for i, t in enumerate(texts):
        known = table.get(text_key(t))
        if known is None:
            todo.append(i)
        else:
            out[i] = known
    if todo:
        out[todo] = _encode([texts[i] for i in todo])
    return out


def write_table(texts: Sequence[str], path: Path | None = None) -> int:
    """Encode `texts` and store them (half precision: 2 MB for 2,500 sentences); returns how many."""
    from io import BytesIO

    from app.core.files import atomic_write_bytes

    unique = sorted(set(texts))
    vectors = _encode(unique).astype(np.float16)
    buffer = BytesIO()
    np.savez_compressed(buffer, keys=np.array([text_key(t) for t in unique]), vectors=vectors)
    atomic_write_bytes(path or table_path(), buffer.getvalue())
    _table.cache_clear()
    return len(unique)
