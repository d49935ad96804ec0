"""The contextual STAR labeller's network, for training only (PyTorch, a development dependency).

all-MiniLM-L6-v2 (a six-layer BERT) reads a window of the answer at once: [CLS] s1 [SEP] s2 [SEP] ...
Each token also gets its sentence's place in the whole answer (0 = first, 1 = last) through a small
learned projection, and a linear head gives six section scores per token. A sentence's scores are the
mean of its tokens' scores; a part of a sentence is scored the same way, which is what lets the app
split a sentence that holds two sections.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch
from torch import nn

N_LABELS = 6


class Layer(nn.Module):
    def __init__(self, dim: int, heads: int, inner: int) -> None:
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(dim, dim)
        self.key = nn.Linear(dim, dim)
        self.value = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)
        self.ln1 = nn.LayerNorm(dim, eps=1e-12)
        self.up = nn.Linear(dim, inner)
        self.down = nn.Linear(inner, dim)
        self.ln2 = nn.LayerNorm(dim, eps=1e-12)
        self.drop = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, n, d = x.shape
        h = self.heads
        s = d // h

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, n, h, s).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(s) + bias
        att = self.drop(torch.softmax(att, dim=-1))
        ctx = torch.matmul(att, v).transpose(1, 2).reshape(b, n, d)
        x = self.ln1(x + self.drop(self.out(ctx)))
        return self.ln2(x + self.drop(self.down(nn.functional.gelu(self.up(x)))))


class ContextualLabeller(nn.Module):
    def __init__(self, config: dict[str, int]) -> None:
        super().__init__()
        dim = config["hidden_size"]
        self.words = nn.Embedding(config["vocab_size"], dim)
        self.positions = nn.Embedding(config["max_position_embeddings"], dim)
        self.types = nn.Embedding(config["type_vocab_size"], dim)
        self.ln0 = nn.LayerNorm(dim, eps=1e-12)
        self.place = nn.Linear(3, dim)  # the sentence's place in the answer: p, p^2, 1 - p
        self.layers = nn.ModuleList(
            Layer(dim, config["num_attention_heads"], config["intermediate_size"])
            for _ in range(config["num_hidden_layers"])
        )
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(dim, N_LABELS)
        nn.init.zeros_(self.place.weight)
        nn.init.zeros_(self.place.bias)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, place: torch.Tensor) -> torch.Tensor:
        """Token scores (batch, tokens, 6) from token ids, the attention mask (1 = token) and each
        token's sentence place (0..1)."""
        n = ids.shape[1]
        pos = torch.arange(n, device=ids.device).unsqueeze(0)
        feats = torch.stack([place, place * place, 1.0 - place], dim=-1)
        x = self.words(ids) + self.positions(pos) + self.types(torch.zeros_like(ids)) + self.place(feats)
        x = self.drop(self.ln0(x))
        bias = (1.0 - mask.to(x.dtype))[:, None, None, :] * -1e4
        for layer in self.layers:
            x = layer(x, bias)
        return self.head(self.drop(x))

    def load_minilm(self, directory: Path) -> None:
        from safetensors.torch import load_file

        w = load_file(str(directory / "model.safetensors"))
        own = {
            "words.weight": "embeddings.word_embeddings.weight",
            "positions.weight": "embeddings.position_embeddings.weight",
            "types.weight": "embeddings.token_type_embeddings.weight",
            "ln0.weight": "embeddings.LayerNorm.weight",
            "ln0.bias": "embeddings.LayerNorm.bias",
        }
        names = {
            "query": "attention.self.query",
            "key": "attention.self.key",
            "value": "attention.self.value",
            "out": "attention.output.dense",
            "ln1": "attention.output.LayerNorm",
            "up": "intermediate.dense",
            "down": "output.dense",
            "ln2": "output.LayerNorm",
        }
        for i in range(len(self.layers)):
            for mine, theirs in names.items():
                for part in ("weight", "bias"):
                    own[f"layers.{i}.{mine}.{part}"] = f"encoder.layer.{i}.{theirs}.{part}"
        state = {k: w[v] for k, v in own.items()}
        missing, unexpected = self.load_state_dict(state, strict=False)
        assert not unexpected and set(missing) <= {"place.weight", "place.bias", "head.weight", "head.bias"}


def config_of(directory: Path) -> dict[str, int]:
    raw = json.loads((directory / "config.json").read_text())
    keys = ("hidden_size", "vocab_size", "max_position_embeddings", "type_vocab_size")
    keys += ("num_attention_heads", "intermediate_size", "num_hidden_layers")
    return {k: int(raw[k]) for k in keys}
