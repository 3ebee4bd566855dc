"""The VQ's view of the shards: every `img*.png` of every sample, as a float tensor in [-1, 1].

    for x in ImageStream(folder, seed=0, epochs=None):   # x: (3, 128, 128) float32 in [-1, 1]
        ...
    for x, meta in ImageStream(folder, with_meta=True):  # meta: {"key", "field", "layout"}

Images that are not 128x128 are letterboxed onto white (the same rule the TypeScript tokenizer
applies), so a stray size never crashes a long run.
"""
import io
import json
import re
import sys
from typing import Iterator

import numpy as np
import torch
from PIL import Image
from torch.utils.data import IterableDataset

from .webdataset import ShardStream

IMAGE_FIELD = re.compile(r"^(img\d+)\.png$")


def letterbox(img: Image.Image, size: int) -> Image.Image:
    """Scales to fit inside size x size keeping the aspect, centred on white."""
    img = img.convert("RGB")
    if img.size == (size, size):
        return img
    scale = size / max(img.size)
    w, h = max(1, round(img.width * scale)), max(1, round(img.height * scale))
    canvas = Image.new("RGB", (size, size), "white")
    canvas.paste(img.resize((w, h), Image.BICUBIC), ((size - w) // 2, (size - h) // 2))
    return canvas


def decode_png(data: bytes, size: int = 128) -> torch.Tensor:
    """PNG/JPEG bytes -> (3, size, size) float32 in [-1, 1]."""
    with Image.open(io.BytesIO(data)) as im:
        if im.mode in ("RGBA", "LA", "P"):  # composite transparency onto white, like the renderer's canvas
            im = im.convert("RGBA")
            bg = Image.new("RGBA", im.size, "white")
            im = Image.alpha_composite(bg, im)
        arr = np.asarray(letterbox(im, size), dtype=np.uint8)  # (H, W, 3)
    x = torch.from_numpy(arr.copy()).permute(2, 0, 1).float()  # (3, H, W) in [0, 255]
    return x / 127.5 - 1.0


def to_uint8(x: torch.Tensor) -> np.ndarray:
    """(3, H, W) or (B, 3, H, W) in [-1, 1] -> uint8 (H, W, 3) or (B, H, W, 3)."""
    x = ((x.detach().float().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    return x.movedim(-3, -1).cpu().numpy()


def layout_of(sample: dict, image: str) -> str | None:
    """The scene layout of one image (e.g. '4x4') from the sample's JSON when it says so; optional."""
    raw = sample.get("json")
    if raw is None:
        return None
    try:
        scene = json.loads(raw).get("scenes", {}).get(image, {})
    except (ValueError, AttributeError):
        return None
    layout = scene.get("layout") if isinstance(scene, dict) else None
    if isinstance(layout, dict):  # e.g. {"rows": 4, "cols": 4} or {"kind": "grid", ...}
        rows, cols = layout.get("rows"), layout.get("cols")
        layout = f"{rows}x{cols}" if rows and cols else layout.get("kind") or layout.get("type")
    return str(layout) if layout is not None else None


class ImageStream(IterableDataset):
    """Every img*.png of every sample. Takes the same arguments as ShardStream, plus:
    size (pixels), fields (restrict to e.g. ['img0']), with_meta (yield (x, meta) pairs)."""

    def __init__(self, source, size: int = 128, fields: list[str] | None = None, with_meta: bool = False, **stream_kw):
        self.samples = ShardStream(source, **stream_kw)
        self.size, self.fields, self.with_meta = size, fields, with_meta

    def __iter__(self) -> Iterator:
        for sample in self.samples:
            for field in sorted(sample):
                m = IMAGE_FIELD.match(field)
                if not m or (self.fields and m.group(1) not in self.fields):
                    continue
                try:
                    x = decode_png(sample[field], self.size)
                except (OSError, ValueError) as e:  # a corrupt image must not end a multi-hour run
                    print(f"[data] skipping {sample['__key__']}.{field}: {e}", file=sys.stderr)
                    continue
                if self.with_meta:
                    meta = {"key": sample["__key__"], "field": m.group(1), "layout": layout_of(sample, m.group(1)) or ""}
                    yield x, meta
                else:
                    yield x
