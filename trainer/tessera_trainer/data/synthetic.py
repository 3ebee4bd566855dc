"""Synthetic shards for tests and speed probes: PIL-drawn scenes in the world's sample format.

Each image is a grid (1x1, 2x2 or 4x4) of random coloured shapes and letters on white, so a
tokenizer sees the same kind of content (flat colours, hard edges, small glyphs) as world-v1.

    /usr/bin/python3 -m tessera_trainer.data.synthetic OUT_DIR --samples 2000 --per-shard 500
"""
import argparse
import io
import json
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .webdataset import write_shard

LAYOUTS = ["1x1", "2x2", "4x4"]


def _color(rng: random.Random) -> tuple[int, int, int]:
    return tuple(rng.randrange(256) for _ in range(3))


def draw_cell(draw: ImageDraw.ImageDraw, rng: random.Random, x0: int, y0: int, size: int) -> None:
    pad = max(1, size // 8)
    box = [x0 + pad, y0 + pad, x0 + size - pad, y0 + size - pad]
    kind = rng.choice(["ellipse", "rect", "triangle", "text", "rings"])
    if kind == "ellipse":
        draw.ellipse(box, fill=_color(rng), outline=_color(rng), width=max(1, size // 16))
    elif kind == "rect":
        draw.rounded_rectangle(box, radius=size // 6, fill=_color(rng))
    elif kind == "triangle":
        draw.polygon([(box[0], box[3]), (box[2], box[3]), ((box[0] + box[2]) // 2, box[1])], fill=_color(rng))
    elif kind == "rings":
        for i in range(3):
            s = i * size // 8
            draw.ellipse([box[0] + s, box[1] + s, box[2] - s, box[3] - s], outline=_color(rng), width=max(1, size // 20))
    else:
        font = ImageFont.load_default()
        draw.rectangle(box, fill=_color(rng))
        draw.text((box[0] + 2, box[1] + 2), rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ") + str(rng.randrange(10)), fill=_color(rng), font=font)


def draw_scene(rng: random.Random, layout: str, size: int = 128) -> Image.Image:
    n = int(layout.split("x")[0])
    img = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(img)
    cell = size // n
    for r in range(n):
        for c in range(n):
            draw_cell(draw, rng, c * cell, r * cell, cell)
    return img


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def make_sample(rng: random.Random, key: str, size: int = 128, images: int = 1) -> dict:
    sample = {"__key__": key}
    scenes = {}
    for i in range(images):
        layout = rng.choice(LAYOUTS)
        sample[f"img{i}.png"] = png_bytes(draw_scene(rng, layout, size))
        scenes[f"img{i}"] = {"layout": layout}
    sample["json"] = json.dumps({"key": key, "scenes": scenes, "captions": [], "episodes": []})
    return sample


def write_synthetic_shards(out: str | Path, samples: int = 64, per_shard: int = 16, seed: int = 0,
                           size: int = 128, images: int = 1, prefix: str = "shard") -> list[Path]:
    rng = random.Random(seed)
    out = Path(out)
    paths = []
    for s in range(0, samples, per_shard):
        batch = [make_sample(rng, f"s{seed:03d}{i:06d}", size, images) for i in range(s, min(samples, s + per_shard))]
        paths.append(write_shard(out / f"{prefix}-{s // per_shard:06d}.tar", batch))
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--per-shard", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    paths = write_synthetic_shards(args.out, args.samples, args.per_shard, args.seed)
    print(f"wrote {len(paths)} shards to {args.out}")
