"""Held-out reconstruction quality and codebook usage of a VQ.

    python -m tessera_trainer.vq eval --run RUN --data DIR [--images 2000] [--usage-images 10000] [--out FILE]
    python -m tessera_trainer.vq eval --weights models/vq/weights.pt --data DIR/shard-000000.tar

PSNR (dB, images in [0, 255]) over up to --images images: the mean, and per scene layout when a
sample's JSON names it (`scenes.img0.layout`, optional). With --run and a shard folder, only the
run's held-out shards are used (the run's config lists them). Codebook usage: the fraction of the K
codes that occur at least once in --usage-images images from the whole of --data (a property of the
codebook, so training images count), plus the perplexity of the code distribution.
The report goes to --out (default RUN/eval.json, or eval.json beside the weights).
"""
import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import torch
from torch.utils.data import DataLoader

from tessera_trainer.common import runtime
from tessera_trainer.data import ImageStream, list_shards

from . import find_weights, load_vq
from .model import psnr


def _batches(stream, batch: int, limit: int):
    loader = DataLoader(stream, batch_size=batch, num_workers=0)
    seen = 0
    for item in loader:
        yield item
        seen += len(item[0]) if isinstance(item, (list, tuple)) else len(item)
        if seen >= limit:
            return


@torch.no_grad()
def reconstruction_report(vq, source, images: int, batch: int, device) -> dict:
    stream = ImageStream(source, size=vq.cfg.image_size, shuffle=False, epochs=1, with_meta=True)
    scores, layouts = [], []
    for x, meta in _batches(stream, batch, images):
        x = x.to(device)
        with runtime.autocast(device):
            x_hat = vq.decode(vq.encode(x)).float()
        scores += psnr(x_hat, x).tolist()
        layouts += list(meta["layout"])
    scores, layouts = scores[:images], layouts[:images]
    by_layout: dict[str, list[float]] = {}
    for s, lay in zip(scores, layouts):
        if lay:
            by_layout.setdefault(lay, []).append(s)
    return {
        "images": len(scores),
        "psnr_mean": round(sum(scores) / max(1, len(scores)), 3),
        "psnr_by_layout": {k: {"psnr_mean": round(sum(v) / len(v), 3), "images": len(v)} for k, v in sorted(by_layout.items())},
    }


@torch.no_grad()
def usage_report(vq, source, images: int, batch: int, device) -> dict:
    K = vq.cfg.codebook_size
    counts = torch.zeros(K, dtype=torch.long)
    stream = ImageStream(source, size=vq.cfg.image_size, shuffle=True, seed=0, epochs=1, buffer=512)
    n = 0
    for x in _batches(stream, batch, images):
        x = x[: images - n]
        with runtime.autocast(device):
            codes = vq.encode(x.to(device))
        counts += torch.bincount(codes.flatten().cpu(), minlength=K)
        n += len(x)
    share = counts.float() / counts.sum().clamp_min(1)
    perplexity = torch.exp(-(share * share.clamp_min(1e-12).log()).sum()).item()
    return {"usage_images": n, "codes_used": int((counts > 0).sum()), "codes_used_frac": round((counts > 0).float().mean().item(), 4),
            "perplexity": round(perplexity, 1), "codebook_size": K}


def evaluate(vq, data, heldout: list[str] | None = None, images: int = 2000, usage_images: int = 10000,
             batch: int = 32, device=torch.device("cpu")) -> dict:
    shards = list_shards(data)
    held = [p for p in shards if heldout and p.name in heldout] or shards
    t = time.time()
    report = {"data": str(data), "shards": [p.name for p in held]}
    report.update(reconstruction_report(vq, held, images, batch, device))
    report.update(usage_report(vq, data, usage_images, batch, device))
    report["seconds"] = round(time.time() - t, 1)
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="tessera_trainer.vq eval", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--run", help="run folder (ckpt.pt; its held-out shards)")
    src.add_argument("--weights", help="weights file or folder (models/vq)")
    ap.add_argument("--data", required=True, help="shard folder or .tar")
    ap.add_argument("--images", type=int, default=2000, help="images for PSNR")
    ap.add_argument("--usage-images", type=int, default=10000, help="images for codebook usage")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--out", help="report path (default: RUN/eval.json or beside the weights)")
    ap.add_argument("--device", default="auto")
    args = ap.parse_args(argv)

    device = runtime.setup(device=args.device)
    heldout = None
    if args.run:  # a run's checkpoint: fresher than its weights.pt while training, and it lists the held-out shards
        source = Path(args.run).expanduser() / "ckpt.pt"
        if not source.exists():
            source = find_weights(args.run)
        else:
            heldout = torch.load(source, map_location="cpu")["config"].get("heldout")
    else:
        source = find_weights(args.weights)
    vq = load_vq(source, device)
    report = {"weights": str(source), **evaluate(vq, args.data, heldout, args.images, args.usage_images, args.batch, device)}
    out = Path(args.out) if args.out else source.parent / "eval.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    layouts = ", ".join(f"{k} {v['psnr_mean']:.2f}" for k, v in report["psnr_by_layout"].items())
    print(f"[vq] PSNR {report['psnr_mean']:.2f} dB over {report['images']} images{f' ({layouts})' if layouts else ''}; "
          f"{report['codes_used_frac']:.1%} of {report['codebook_size']} codes used in {report['usage_images']} images; "
          f"report {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
