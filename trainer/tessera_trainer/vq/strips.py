"""Can a streaming preview decode only a strip of code rows? Measures strip vs full preview decodes.

    PYTHONPATH=trainer python -m tessera_trainer.vq.strips --data SHARD.tar --images 32 --every 1

The full preview at r rows decodes the whole grid with rows >= r set to `blank_code`. A strip
preview decodes code rows [r - every - above, r + below) (rows >= r blank), pastes the pixel rows of
code rows [r - every - repaint, r) into a running canvas, and is compared with the full preview on
the rows known so far, in 8-bit levels. The decoder's GroupNorms take their statistics over the
whole grid, so a strip changes every activation, not only those near its edges: no margin short of
the full grid matched (BENCHMARKS.md, engine section, "Previews").
"""
import argparse
import io
import json
import tarfile

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from . import load_vq

# (above, below, repaint): context rows above the new ones, blank rows below, old rows re-pasted
MARGINS = [(0, 0, 0), (1, 1, 0), (2, 1, 1), (2, 2, 1), (3, 2, 1), (3, 2, 2), (4, 2, 2), (4, 3, 2),
           (5, 3, 3), (6, 3, 3), (8, 4, 4), (16, 2, 16), (16, 4, 16), (16, 16, 16)]


def read_images(shard: str, limit: int) -> torch.Tensor:
    """The first `limit` 128x128 PNGs of a world shard -> (B, 3, 128, 128) in [-1, 1]."""
    images = []
    with tarfile.open(shard) as tar:
        for member in tar:
            if member.name.endswith(".png"):
                im = Image.open(io.BytesIO(tar.extractfile(member).read())).convert("RGB")
                if im.size == (128, 128):
                    images.append(np.asarray(im))
            if len(images) >= limit:
                break
    return torch.tensor(np.stack(images)).permute(0, 3, 1, 2).float() / 127.5 - 1


@torch.no_grad()
def measure(vq, codes, blank: int, every: int, above: int, below: int, repaint: int) -> dict:
    """codes (B, g, g) -> max / mean |strip - full| over all previews, and the mean strip height."""
    g, codebook = codes.shape[1], vq.quantizer.codebook()

    def decode(c):  # (B, h, g) -> (B, 3, 8h, 8g) int levels
        x = vq.decoder(F.embedding(c, codebook).permute(0, 3, 1, 2))
        return ((x + 1) * 0.5).clamp(0, 1).mul(255).round().to(torch.int16)

    canvas = torch.full((codes.shape[0], 3, 8 * g, 8 * g), 255, dtype=torch.int16)
    rows, worst, means = [], 0.0, []
    for r in range(every, g + 1, every):
        full = codes.clone()
        full[:, r:] = blank
        reference = decode(full)
        lo, hi = max(0, r - every - above), min(g, r + below)
        strip = full[:, lo:hi]
        top = max(0, r - every - repaint)
        canvas[:, :, 8 * top:8 * r] = decode(strip)[:, :, 8 * (top - lo):8 * (r - lo)]
        diff = (canvas[:, :, :8 * r] - reference[:, :, :8 * r]).abs().float()
        worst, means = max(worst, diff.max().item()), means + [diff.mean().item()]
        rows.append(hi - lo)
    return {"max": worst, "mean": float(np.mean(means)), "strip_rows": float(np.mean(rows))}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vq", default="models/vq")
    ap.add_argument("--data", required=True, help="a world shard (.tar of PNGs), held out from training")
    ap.add_argument("--images", type=int, default=32)
    ap.add_argument("--every", type=int, default=1, help="grid rows per preview")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    vq = load_vq(args.vq)
    blank = json.load(open(f"{args.vq}/config.json"))["blank_code"]
    codes = vq.encode(read_images(args.data, args.images))
    print(f"{codes.shape[0]} images, a preview every {args.every} rows; |strip - full| in 8-bit levels")
    for above, below, repaint in MARGINS:
        m = measure(vq, codes, blank, args.every, above, below, repaint)
        print(f"above {above:2} below {below:2} repaint {repaint:2}: max {m['max']:3.0f}  mean {m['mean']:.3f}  "
              f"strip {m['strip_rows']:.1f} of 16 rows", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
