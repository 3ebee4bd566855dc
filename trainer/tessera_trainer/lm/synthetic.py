"""Synthetic LM data for tests and speed probes: shards whose episodes are already encoded (as if
`world build` had a tokenizer), and a stub image codec, so pack -> train -> sample runs without the
real tokenizer or VQ.

    python -m tessera_trainer.lm.synthetic --config config.json --out /tmp/lm-synth --samples 400

StubCodec codes are the mean colour of each 8x8 patch, quantized per channel; decode paints them
back. It is a real (lossy) codec, so sample grids show something, and it needs no training.
Text is random ids with caption-like lengths; episode shapes follow src/model/episode-encoding.ts.
"""
import argparse
import json
import random
from pathlib import Path

import torch
import torch.nn.functional as F

from tessera_trainer.data.synthetic import LAYOUTS, draw_scene, png_bytes
from tessera_trainer.data.webdataset import write_shard

from .config import TASKS, LMConfig


class StubCodec(torch.nn.Module):
    def __init__(self, codebook_size: int, grid: int = 16, image_size: int = 128):
        super().__init__()
        self.codebook_size, self.grid, self.image_size = codebook_size, grid, image_size
        self.levels = max(2, round(codebook_size ** (1 / 3) - 0.5))
        while self.levels ** 3 > codebook_size:
            self.levels -= 1

    @property
    def cfg(self):
        return self

    @torch.no_grad()
    def encode(self, x):  # (N, 3, S, S) in [-1, 1] -> (N, g, g) codes
        q = ((F.adaptive_avg_pool2d(x, self.grid) + 1) / 2 * (self.levels - 1)).round().clamp(0, self.levels - 1).long()
        return q[:, 0] * self.levels ** 2 + q[:, 1] * self.levels + q[:, 2]

    @torch.no_grad()
    def decode(self, codes):  # (N, g, g) -> (N, 3, S, S) in [-1, 1]
        codes = codes.long().clamp(0, self.levels ** 3 - 1)
        rgb = torch.stack([codes // self.levels ** 2, codes // self.levels % self.levels, codes % self.levels], 1)
        x = rgb.float() / (self.levels - 1) * 2 - 1
        return F.interpolate(x, size=self.image_size, mode="nearest")


def _text(rng: random.Random, cfg: LMConfig, lo: int, hi: int) -> list[int]:
    return [rng.randrange(cfg.text_vocab_size) for _ in range(rng.randint(lo, hi))]


def encoded_episode(rng: random.Random, cfg: LMConfig, task: str) -> dict:
    """An Episode with `encoded` pieces, shaped like encodeEpisode's output for `task`."""
    def turn(role: str, contents: list[dict]) -> list[dict]:
        loss = role == "assistant"
        marker = cfg.assistant if loss else cfg.user
        pieces = [{"ids": [marker], "loss": False}]
        for c in contents:
            if "ids" in c and not loss:
                c = {**c, "drop": True}
            pieces.append({**c, "loss": loss})
        return pieces + [{"ids": [cfg.end_turn], "loss": loss}]

    caption = {"ids": _text(rng, cfg, 6, 24)}
    instruction = {"ids": _text(rng, cfg, 4, 14)}
    if task == "t2i":
        turns = turn("user", [caption]) + turn("assistant", [{"image": "img0"}])
    elif task == "i2t":
        turns = turn("user", [{"image": "img0"}]) + turn("assistant", [caption])
    elif task in ("edit", "restyle"):
        turns = turn("user", [{"image": "img0"}, instruction]) + turn("assistant", [{"image": "img1"}])
    else:  # multiturn: draw, then edit what was drawn
        turns = (turn("user", [caption]) + turn("assistant", [{"image": "img0"}])
                 + turn("user", [instruction]) + turn("assistant", [{"image": "img1"}]))
    return {"task": task, "segments": [], "encoded": [{"ids": [cfg.bos, cfg.tasks[task]], "loss": False}] + turns}


def write_episode_shards(out: str | Path, cfg: LMConfig, samples: int = 64, per_shard: int = 32, seed: int = 0,
                         tasks: tuple = TASKS, size: int = 128) -> list[Path]:
    """Shards of samples with two images and one episode per task in `tasks`."""
    rng = random.Random(seed)
    paths = []
    for start in range(0, samples, per_shard):
        batch = []
        for i in range(start, min(samples, start + per_shard)):
            key = f"lm{seed:03d}{i:06d}"
            sample = {"__key__": key}
            for f in ("img0", "img1"):
                sample[f"{f}.png"] = png_bytes(draw_scene(rng, rng.choice(LAYOUTS), size))
            episodes = [encoded_episode(rng, cfg, t) for t in tasks]
            sample["json"] = json.dumps({"key": key, "scenes": {}, "captions": [], "episodes": episodes})
            batch.append(sample)
        paths.append(write_shard(Path(out) / f"shard-{start // per_shard:06d}.tar", batch))
    return paths


def synthetic_pack(out: str | Path, cfg: LMConfig, samples: int = 40, tasks: tuple = TASKS, seed: int = 0) -> Path:
    """Shards in OUT/shards, packed with StubCodec into OUT/pack; returns the pack folder."""
    from .pack import build_pack
    out = Path(out)
    write_episode_shards(out / "shards", cfg, samples, per_shard=max(1, samples // 2), seed=seed, tasks=tuple(tasks))
    build_pack(out / "shards", StubCodec(cfg.codebook_size), cfg, out / "pack", log_every=0)
    return out / "pack"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True)
    ap.add_argument("--out", required=True, help="writes OUT/shards and OUT/pack")
    ap.add_argument("--samples", type=int, default=400)
    ap.add_argument("--tasks", default="t2i,i2t,edit,restyle,multiturn")
    args = ap.parse_args(argv)
    pack = synthetic_pack(args.out, LMConfig.load(args.config), args.samples, tuple(args.tasks.split(",")))
    print((pack / "pack.json").read_text())


if __name__ == "__main__":
    main()
