"""What a sentence means, as a vector: the pretrained all-MiniLM-L6-v2 sentence encoder, int8 ONNX,
run with onnxruntime (the STAR labeller's runtime and tokenizer). One model serves every judgment by
meaning: the follow-up replies, the story suggestion, the off-topic check.

Why this and not words: "the lady at the farmhouse" is a customer and "I cut corners and it never
worked" is no success, which no word list knows. Why not the STAR labeller's network: fine-tuned to
tell sections apart, it no longer places like stories together (tools/export_meaning.py).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from app.core import paths

DIM = 384
MAX_PIECES = 128  # as the encoder was trained; a longer sentence is cut
_CACHE = 4096
_BATCH = 16
F32 = npt.NDArray[np.float32]


class MeaningUnavailable(RuntimeError):
    """The model file is missing or damaged, or onnxruntime cannot run it."""


def model_files() -> tuple[Path, Path]:
    return paths.resource("meaning.onnx"), paths.resource("meaning.json")


class MeaningModel:
    """Unit-length vectors, one per text; results are kept by text, so a sentence encoded while the
    person speaks, or a story's summary, costs nothing the next time."""

    def __init__(self, files: tuple[Path, Path] | None = None) -> None:
        onnx_path, meta_path = files or model_files()
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            digest = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
        except (OSError, ValueError) as err:
            raise MeaningUnavailable(f"cannot read the meaning model: {err}") from err
        if digest != meta.get("onnx_sha256"):
            raise MeaningUnavailable(f"the meaning model {onnx_path.name} is damaged (checksum)")
        try:
            import onnxruntime as ort

            from app.analysis.contextual import shared_tokenizer

            options = ort.SessionOptions()
            options.intra_op_num_threads = 2
            options.inter_op_num_threads = 1
            options.enable_cpu_mem_arena = False  # short bursts of small batches: no arena to keep
            options.add_session_config_entry("session.disable_prepacking", "1")
            self._session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
            self._tokenizer: Any = shared_tokenizer()  # the labeller's: truncation is done here
        except Exception as err:  # onnxruntime raises its own types: any failure means no meaning model
            raise MeaningUnavailable(f"cannot load the meaning model: {err}") from err
        self._lock = threading.Lock()
        self._cache: dict[str, F32] = {}

    def encode(self, texts: Sequence[str]) -> F32:
        """(len(texts), DIM); new texts are encoded in batches of like length."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        with self._lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
            new = sorted({t for t in texts if t not in known}, key=len)
            for start in range(0, len(new), _BATCH):
                chunk = new[start : start + _BATCH]
                known.update(zip(chunk, self._forward(chunk), strict=True))
            for t in new:
                if len(self._cache) >= _CACHE:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[t] = known[t]
        for i, t in enumerate(texts):
            out[i] = known[t]
        return out

    def _forward(self, texts: Sequence[str]) -> F32:
        pieces = [
            e.ids[:-1][: MAX_PIECES - 1] + e.ids[-1:] for e in self._tokenizer.encode_batch(list(texts))
        ]
        length = max(len(p) for p in pieces)
        ids = np.zeros((len(texts), length), dtype=np.int64)
        mask = np.zeros((len(texts), length), dtype=np.int64)
        for i, p in enumerate(pieces):
            ids[i, : len(p)] = p
            mask[i, : len(p)] = 1
        (vectors,) = self._session.run(None, {"ids": ids, "mask": mask})
        return np.asarray(vectors, dtype=np.float32)


def mean_vector(vectors: F32) -> F32:
    """Several sentences as one: the mean of their vectors, length 1 again."""
    if not len(vectors):
        return np.zeros(DIM, dtype=np.float32)
    v = vectors.mean(axis=0)
    out: F32 = (v / max(float(np.linalg.norm(v)), 1e-9)).astype(np.float32)
    return out


_SHARED: dict[str, MeaningModel] = {}
_FAILED: dict[str, str] = {}
_LOCK = threading.Lock()


def shared_meaning() -> MeaningModel | None:
    """One model per process (about 0.2 s to load), or None when it cannot load: each judgment then
    falls back to its word rules and says less."""
    with _LOCK:
        if "m" not in _SHARED and "m" not in _FAILED:
            try:
                _SHARED["m"] = MeaningModel()
            except MeaningUnavailable as err:
                _FAILED["m"] = str(err)
        return _SHARED.get("m")


def loaded_meaning() -> MeaningModel | None:
    """The model if it has already loaded, without loading it: for callers on the GUI thread."""
    with _LOCK:
        return _SHARED.get("m")


def unavailable_reason() -> str | None:
    return _FAILED.get("m")
