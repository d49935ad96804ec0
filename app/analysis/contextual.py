"""The contextual STAR labeller: a fine-tuned six-layer encoder (all-MiniLM-L6-v2) that reads a window
of the answer at once, run with onnxruntime (int8, per channel), never PyTorch.

Why: every labeller before it read each sentence on its own and added the neighbours afterwards, and
its errors sat at the section boundaries; on answers people really said aloud it did no better than
position. Here each token attends to the sentences around it, and each token gets section scores, so a
sentence that holds an action and its result can be scored in two parts (`split_scores`).

The windows are made here and nowhere else: the training tool (tools/train_contextual.py) imports
`windows` and `encode_sentences`, so that the app reads answers exactly as the model was trained.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.core import paths

MAX_WINDOW = 256  # tokens in one pass, [CLS] and one [SEP] per sentence included
SENTENCE_TOKENS = 64  # a longer sentence is cut: its start says more than its end
CLS, SEP = 101, 102
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]


class ContextualUnavailable(RuntimeError):
    """The model files are missing or damaged, or onnxruntime cannot run them."""


@dataclass(frozen=True)
class Encoded:
    """One sentence as word pieces: ids, and where each piece sits in the text (characters)."""

    ids: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]


def model_files() -> tuple[Path, Path, Path]:
    return (
        paths.resource("star_contextual.onnx"),
        paths.resource("star_contextual_tokenizer.json"),
        paths.resource("star_contextual.json"),
    )


def load_tokenizer(path: Path) -> object:
    """The encoder's word-piece tokenizer, with the padding and truncation its file sets turned off:
    a sentence is as long as its words (padded to 128 pieces, each sentence filled a quarter of a window)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


_TOKENIZERS: dict[Path, object] = {}
_TOKENIZER_LOCK = threading.Lock()


def shared_tokenizer(path: Path | None = None) -> object:
    """One tokenizer per file and process (9 MB each): the labeller and the meaning model share it.
    Padding and truncation stay off; callers cut what they need."""
    path = path or model_files()[1]
    with _TOKENIZER_LOCK:
        if path not in _TOKENIZERS:
            _TOKENIZERS[path] = load_tokenizer(path)
        return _TOKENIZERS[path]


def encode_sentences(tokenizer: object, texts: Sequence[str]) -> list[Encoded]:
    """Word pieces of each sentence without special tokens, cut at SENTENCE_TOKENS."""
    out: list[Encoded] = []
    for enc in tokenizer.encode_batch(list(texts), add_special_tokens=False):  # type: ignore[attr-defined]
        ids = tuple(enc.ids[:SENTENCE_TOKENS]) or (100,)  # an empty sentence is one [UNK]
        spans = tuple(enc.offsets[:SENTENCE_TOKENS]) or ((0, 0),)
        out.append(Encoded(ids, spans))
    return out


def windows(lengths: Sequence[int], max_window: int = MAX_WINDOW) -> list[tuple[int, int]]:
    """Sentence ranges [a, b) that each fit in one pass; each next window starts at the middle of the
    last, so that every sentence is read with context on both sides somewhere."""
    n = len(lengths)
    out: list[tuple[int, int]] = []
    a = 0
    while a < n:
        b, used = a, 1
        while b < n and (b == a or used + lengths[b] + 1 <= max_window):
            used += lengths[b] + 1
            b += 1
        out.append((a, b))
        if b >= n:
            break
        a = max(a + 1, (a + b) // 2)
    return out


def home_window(i: int, spans: Sequence[tuple[int, int]]) -> int:
    """The window where sentence i sits furthest from an edge."""
    best, best_room = 0, -1
    for w, (a, b) in enumerate(spans):
        if a <= i < b:
            room = min(i - a if a > 0 else 10**6, b - 1 - i if b < spans[-1][1] else 10**6)
            if room > best_room:
                best, best_room = w, room
    return best


def places(n: int) -> list[float]:
    return [i / (n - 1) if n > 1 else 0.0 for i in range(n)]


def window_inputs(
    encoded: Sequence[Encoded], a: int, b: int, place: Sequence[float]
) -> tuple[npt.NDArray[np.int64], F32, npt.NDArray[np.int64]]:
    """Token ids, each token's sentence place, and each token's sentence index (-1 for [CLS]/[SEP])."""
    ids: list[int] = [CLS]
    where: list[float] = [0.0]
    owner: list[int] = [-1]
    for i in range(a, b):
        ids += [*encoded[i].ids, SEP]
        where += [place[i]] * (len(encoded[i].ids) + 1)
        owner += [i] * len(encoded[i].ids) + [-1]
    return np.array(ids, dtype=np.int64), np.array(where, dtype=np.float32), np.array(owner, dtype=np.int64)


def log_softmax(x: F64) -> F64:
    m = x.max(axis=-1, keepdims=True)
    out: F64 = x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))
    return out


class ContextualModel:
    """Token scores for an answer's sentences, from the shipped ONNX model."""

    def __init__(self, files: tuple[Path, Path, Path] | None = None) -> None:
        onnx_path, tokenizer_path, meta_path = files or model_files()
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            data = onnx_path.read_bytes()
        except (OSError, ValueError) as err:
            raise ContextualUnavailable(f"cannot read the STAR model: {err}") from err
        if hashlib.sha256(data).hexdigest() != meta.get("onnx_sha256"):
            raise ContextualUnavailable(f"the STAR model {onnx_path.name} is damaged (checksum)")
        try:
            import onnxruntime as ort

            options = ort.SessionOptions()
            options.intra_op_num_threads = 2
            options.inter_op_num_threads = 1
            # Measured on this model: from the file rather than from bytes, and without prepacked
            # weights, the session holds 31 MB instead of 59 (same speed, 18 ms a 256-piece window).
            options.add_session_config_entry("session.disable_prepacking", "1")
            del data
            self._session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
            self._tokenizer = shared_tokenizer(tokenizer_path)
        except Exception as err:  # onnxruntime raises its own types: any failure means the fallback
            raise ContextualUnavailable(f"cannot load the STAR model: {err}") from err
        self.meta = meta
        self._lock = threading.Lock()

    def token_scores(self, texts: Sequence[str]) -> tuple[list[Encoded], list[F64]]:
        """Each sentence's word pieces and their log-probabilities (pieces x 6, LABELS order)."""
        encoded = encode_sentences(self._tokenizer, texts)
        if not texts:
            return encoded, []
        spans = windows([len(e.ids) for e in encoded])
        place = places(len(texts))
        out: list[F64 | None] = [None] * len(texts)
        homes = [home_window(i, spans) for i in range(len(texts))]
        for w, (a, b) in enumerate(spans):
            # One window a run: batching them saved nothing and kept 30 MB more in onnxruntime's arena.
            ids, where, owner = window_inputs(encoded, a, b, place)
            with self._lock:
                (logits,) = self._session.run(
                    None,
                    {"ids": ids[None, :], "mask": np.ones((1, len(ids)), np.int64), "place": where[None, :]},
                )
            scores = log_softmax(np.asarray(logits[0], dtype=np.float64))
            for i in range(a, b):
                if homes[i] == w:
                    out[i] = scores[owner == i]
        return encoded, [s for s in out if s is not None]


def sentence_scores(token_scores: Sequence[F64]) -> F64:
    """One row per sentence: the mean of its pieces' log-probabilities, renormalised."""
    if not token_scores:
        return np.zeros((0, 6))
    return log_softmax(np.vstack([t.mean(axis=0) for t in token_scores]))


# Where a spoken sentence may change section: after a comma, or before a joining word.
_JOINS = re.compile(
    r"(?:,\s+|\s+(?=(?:and|so|then|which|but|because|after that|until|before|that)\b))", re.IGNORECASE
)
MIN_PART_WORDS = 4


def split_points(text: str) -> list[int]:
    """Character offsets where `text` may be cut into two parts of at least MIN_PART_WORDS words."""
    out = []
    for m in _JOINS.finditer(text):
        cut = m.end() if m.group(0).startswith(",") else m.start() + 1
        left, right = text[:cut].split(), text[cut:].split()
        if len(left) >= MIN_PART_WORDS and len(right) >= MIN_PART_WORDS:
            out.append(cut)
    return sorted(set(out))


@functools.cache
def split_cost() -> float:
    """How much better (in summed log-probability per piece) two parts must score than one."""
    _, _, meta_path = model_files()
    try:
        return float(json.loads(meta_path.read_text(encoding="utf-8")).get("split_cost", 1.5))
    except (OSError, ValueError):
        return 1.5


def best_split(text: str, encoded: Encoded, scores: F64, cost: float) -> int | None:
    """The character offset where the sentence is best cut into two sections, or None when one
    section explains it as well (within `cost` per piece, averaged over the sentence)."""
    cuts = split_points(text)
    if not cuts or len(scores) < 2 * MIN_PART_WORDS:
        return None
    whole = float(scores.sum(axis=0).max())
    starts = np.array([s for s, _ in encoded.spans])
    best, best_gain = None, cost * len(scores)
    for cut in cuts:
        k = int((starts < cut).sum())
        if k < 2 or k > len(scores) - 2:
            continue
        left, right = scores[:k].sum(axis=0), scores[k:].sum(axis=0)
        a, b = int(left.argmax()), int(right.argmax())
        if a == b:
            continue
        gain = float(left[a] + right[b]) - whole
        if gain > best_gain:
            best, best_gain = cut, gain
    return best


def split_scores(text: str, encoded: Encoded, scores: F64, cut: int) -> tuple[F64, F64]:
    """Sentence-level scores of the two parts either side of `cut`."""
    starts = np.array([s for s, _ in encoded.spans])
    k = int((starts < cut).sum())
    pair = log_softmax(np.vstack([scores[:k].mean(axis=0), scores[k:].mean(axis=0)]))
    return pair[0], pair[1]


_SHARED: dict[str, ContextualModel] = {}
_LOCK = threading.Lock()


def shared_model() -> ContextualModel:
    """One model per process (about 0.3 s and 40 MB to load)."""
    with _LOCK:
        if "m" not in _SHARED:
            _SHARED["m"] = ContextualModel()
        return _SHARED["m"]
