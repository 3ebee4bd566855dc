"""The TypeScript tokenizer's parity fixture: a tiny VQ, briefly trained on synthetic scenes,
exported like the real one, with two input images and what PyTorch makes of them.

    python -m tessera_trainer.vq fixture --out src/tokenizers/image/fixtures

Writes encoder.onnx, decoder.onnx, config.json, weights.pt (a loadable model folder), input-N.png,
decoded-N.png (PyTorch's decoding of PyTorch's codes, rounded to uint8) and expected.json (codes,
and the smallest top-1/top-2 cosine margin, so a failing parity test can tell a real bug from a
near-tie). The seed is searched until every margin exceeds 1e-4: float differences between torch
and onnxruntime are around 1e-6 on this tiny model and must not flip a code.
"""
import argparse
import io
import json
import random
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from tessera_trainer.data.synthetic import draw_scene, write_synthetic_shards

from .export import OnnxDecoder, OnnxEncoder, export, fp16_rounded
from .train import parse_args, train

MIN_MARGIN = 1e-4


def png_pixels(img: Image.Image) -> torch.Tensor:
    """PNG round trip, then (1, 3, H, W) float32 in [0, 1], computed as the TS side does: uint8 / 255."""
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    arr = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), dtype=np.uint8)
    return torch.from_numpy(arr.copy()).permute(2, 0, 1).unsqueeze(0).float() / 255.0


@torch.no_grad()
def margins(enc: OnnxEncoder, x01: torch.Tensor) -> torch.Tensor:
    z = F.normalize(enc.encoder(x01 * 2.0 - 1.0), dim=1).permute(0, 2, 3, 1)
    top = torch.matmul(z, enc.codebook.t()).topk(2, dim=-1).values
    return top[..., 0] - top[..., 1]


def build(out: Path, steps: int = 60) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(3)
    images = [draw_scene(rng, "2x2"), draw_scene(rng, "4x4")]
    inputs = torch.cat([png_pixels(im) for im in images])  # (2, 3, 128, 128) in [0, 1]
    with tempfile.TemporaryDirectory() as tmp:
        write_synthetic_shards(Path(tmp) / "shards", samples=96, per_shard=48, seed=5)
        for attempt in range(20):
            run = Path(tmp) / f"run{attempt}"
            torch.manual_seed(attempt)
            train(parse_args(["--data", str(Path(tmp) / "shards"), "--out", str(run), "--preset", "tiny",
                              "--steps", str(steps), "--holdout", "1", "--threads", "2"]))
            from . import load_vq
            vq = fp16_rounded(load_vq(run / "weights.pt"))
            enc = OnnxEncoder(vq).eval()
            m = margins(enc, inputs)
            if m.min().item() > MIN_MARGIN:
                break
            print(f"[fixture] attempt {attempt}: min margin {m.min().item():.2e}, retrying")
        else:
            raise RuntimeError("no seed gave codes clear of near-ties")
    config = export(vq, out, {"fixture": "tiny random-ish VQ for parity tests; not a useful tokenizer"})
    with torch.no_grad():
        codes = enc(inputs)                        # (2, 16, 16) int32
        decoded = OnnxDecoder(vq).eval()(codes)    # (2, 3, 128, 128) in [0, 1]
    for i, img in enumerate(images):
        img.save(out / f"input-{i}.png")
        px = (decoded[i].permute(1, 2, 0) * 255).round().to(torch.uint8).numpy()
        Image.fromarray(px).save(out / f"decoded-{i}.png")
    expected = {
        "inputs": [f"input-{i}.png" for i in range(len(images))],
        "decoded": [f"decoded-{i}.png" for i in range(len(images))],
        "codes": [c.flatten().tolist() for c in codes],
        "min_margin": round(m.min().item(), 6),
        "blank_code": config["blank_code"],
    }
    (out / "expected.json").write_text(json.dumps(expected) + "\n")
    print(f"[fixture] wrote {out}: {len(set(sum(expected['codes'], [])))} distinct codes, min margin {expected['min_margin']}")
    return expected


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="tessera_trainer.vq fixture", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="src/tokenizers/image/fixtures")
    ap.add_argument("--steps", type=int, default=60)
    args = ap.parse_args(argv)
    build(Path(args.out), args.steps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
