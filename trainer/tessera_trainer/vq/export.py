"""Exports a trained VQ for the TypeScript runtime.

    python -m tessera_trainer.vq export --run RUN --out models/vq     # or --weights FILE

Writes to OUT:
  encoder.onnx   image (B, 3, 128, 128) float32 NCHW RGB in [0, 1]  ->  codes (B, 16, 16) int32
  decoder.onnx   codes (B, 16, 16) int32  ->  image (B, 3, 128, 128) float32 in [0, 1]
  weights.pt     fp16 state_dict + model config (the commit-sized PyTorch weights; training can
                 continue from it with --init-weights)
  config.json    sizes, tensor names and ranges, and `blank_code` (below)

The graphs take [0, 1] pixels (not the [-1, 1] the model trains on): that is what a decoded PNG
divided by 255 is, so callers never need to know the training normalization; the affine map is
the first node of the encoder and the last of the decoder. Codes are int32 both ways (Int32Array in
JavaScript, no BigInt).

Streaming previews of a partial grid: the decoder has no mask input. The caller fills the unknown
rows with `blank_code`, the code the encoder gives a plain white patch, decodes, and paints the
pixel rows of unknown code rows white; what remains is the known rows over white, with a soft edge
where the known rows meet the blank ones (the conv receptive field).

ONNX is exported from the fp16-rounded weights, so the ONNX files, weights.pt and every PyTorch
evaluation of weights.pt agree.
"""
import argparse
import inspect
import warnings
import json
import sys
from dataclasses import asdict
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

from tessera_trainer.common.checkpoint import save_weights

from . import load_vq
from .model import VQModel

OPSET = 17
# torch >= 2.9 exports through dynamo (and onnxscript) by default; these graphs use the TorchScript exporter
_EXPORT_KW = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}


class OnnxEncoder(nn.Module):
    """image (B, 3, S, S) in [0, 1] -> codes (B, h, w) int32."""

    def __init__(self, vq: VQModel):
        super().__init__()
        self.encoder = vq.encoder
        self.register_buffer("codebook", vq.quantizer.codebook().detach().clone())  # (K, d), unit rows
        self.register_buffer("canonical", vq.quantizer.canonical.detach().clone().to(torch.int32))  # (K,)

    def forward(self, image):
        z = self.encoder(image * 2.0 - 1.0)                   # (B, d, h, w)
        z = F.normalize(z, dim=1).permute(0, 2, 3, 1)         # (B, h, w, d)
        sim = torch.matmul(z, self.codebook.t())              # (B, h, w, K)
        return self.canonical[sim.argmax(dim=-1)]             # (B, h, w) int32 class representatives


class OnnxDecoder(nn.Module):
    """codes (B, h, w) int -> image (B, 3, S, S) in [0, 1]."""

    def __init__(self, vq: VQModel):
        super().__init__()
        self.decoder = vq.decoder
        self.register_buffer("codebook", vq.quantizer.codebook().detach().clone())

    def forward(self, codes):
        q = F.embedding(codes.long(), self.codebook).permute(0, 3, 1, 2)  # (B, d, h, w)
        x = self.decoder(q)                                                # (B, 3, S, S) in ~[-1, 1]
        return ((x + 1.0) * 0.5).clamp(0.0, 1.0)


def fp16_rounded(vq: VQModel) -> VQModel:
    """A float32 copy whose weights went through fp16, as weights.pt stores them."""
    out = VQModel(vq.cfg)
    out.load_state_dict({k: v.half().float() if v.is_floating_point() else v for k, v in vq.state_dict().items()})
    return out.eval()


@torch.no_grad()
def blank_code(vq: VQModel) -> int:
    """The most frequent code of an all-white image."""
    s = vq.cfg.image_size
    codes = OnnxEncoder(vq)(torch.ones(1, 3, s, s))
    return int(torch.mode(codes.flatten()).values)


def export_onnx(vq: VQModel, out: Path) -> dict:
    s, g = vq.cfg.image_size, vq.cfg.grid
    enc, dec = OnnxEncoder(vq).eval(), OnnxDecoder(vq).eval()
    out.mkdir(parents=True, exist_ok=True)
    # torch 1.13's tracer warns about GroupNorm's batch-size check and constant shape inference;
    # both are about shapes that are fixed here (128x128 in, 16x16 codes) and only batch is dynamic
    with torch.no_grad(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", message="The shape inference of prim::Constant")
        torch.onnx.export(enc, torch.rand(2, 3, s, s), out / "encoder.onnx", opset_version=OPSET,
                          input_names=["image"], output_names=["codes"],
                          dynamic_axes={"image": {0: "batch"}, "codes": {0: "batch"}}, **_EXPORT_KW)
        torch.onnx.export(dec, torch.randint(0, vq.cfg.codebook_size, (2, g, g), dtype=torch.int32), out / "decoder.onnx",
                          opset_version=OPSET, input_names=["codes"], output_names=["image"],
                          dynamic_axes={"codes": {0: "batch"}, "image": {0: "batch"}}, **_EXPORT_KW)
    config = {
        "format": "tessera-vq",
        "version": 1,
        "image_size": s,
        "grid": g,
        "codebook_size": vq.cfg.codebook_size,
        "blank_code": blank_code(vq),
        "encoder": {"file": "encoder.onnx", "input": "image", "input_shape": ["batch", 3, s, s],
                    "input_range": [0.0, 1.0], "layout": "NCHW RGB float32", "output": "codes", "output_dtype": "int32"},
        "decoder": {"file": "decoder.onnx", "input": "codes", "input_dtype": "int32", "input_shape": ["batch", g, g],
                    "output": "image", "output_range": [0.0, 1.0], "layout": "NCHW RGB float32"},
        "onnx_opset": OPSET,
        "model": asdict(vq.cfg),
    }
    classes = int(vq.quantizer.canonical.unique().numel())
    if classes < vq.cfg.codebook_size:  # near-duplicate codes answered by representatives (canonical.py)
        config["canonical"] = {"classes": classes}
    return config


def export(vq: VQModel, out: str | Path, extra: dict | None = None) -> dict:
    """Writes encoder.onnx, decoder.onnx, weights.pt and config.json to `out`; returns the config."""
    out = Path(out)
    vq = fp16_rounded(vq)
    config = export_onnx(vq, out)
    config.update(extra or {})
    save_weights(out / "weights.pt", vq, {"model": asdict(vq.cfg)})
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return config


TRAINING_RECORD = ("trained_steps", "decoder_steps")  # config.json's account of how the weights were trained


def earlier_config(path: Path) -> dict:
    """An earlier export's config.json, or {} where there is none."""
    return json.loads(path.read_text()) if path.is_file() else {}


def training_record(config: dict) -> dict:
    """The keys of an earlier export's config that describe the same weights' training, which a
    re-export of those weights (or of a decoder trained under their codes) keeps."""
    return {k: config[k] for k in TRAINING_RECORD if k in config}


def carried_over(out: Path, vq: VQModel) -> dict:
    """What an export of a decoder-only run (`train --freeze-codes`) keeps from the export already at
    `out`: the codes are still that encoder's, so its trained_steps stay, and so does its canonical
    map's tau when the map has as many classes (the weights carry the map, not the tau)."""
    earlier = earlier_config(out / "config.json")
    kept = training_record(earlier)
    classes = int(vq.quantizer.canonical.unique().numel())
    if earlier.get("canonical", {}).get("classes") == classes:
        kept["canonical"] = earlier["canonical"]
    return kept


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="tessera_trainer.vq export", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--run", help="run folder with ckpt.pt")
    src.add_argument("--weights", help="weights file (weights.pt / .safetensors / ckpt.pt)")
    ap.add_argument("--out", default="models/vq")
    args = ap.parse_args(argv)
    source = Path(args.run) / "ckpt.pt" if args.run else Path(args.weights)
    vq = load_vq(source)
    extra = {}
    if source.name == "ckpt.pt":
        ckpt = torch.load(source, map_location="cpu")
        if ckpt["config"].get("freeze_codes"):
            extra = carried_over(Path(args.out), vq)
            extra["decoder_steps"] = ckpt["step"]
        else:
            extra["trained_steps"] = ckpt["step"]
    config = export(vq, args.out, extra)
    print(f"[vq] exported to {args.out}: grid {config['grid']}x{config['grid']}, {config['codebook_size']} codes, "
          f"blank code {config['blank_code']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
