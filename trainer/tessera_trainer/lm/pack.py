"""The episode pack: every episode of a set of shards, pre-encoded (text by `world build`'s tokenizer,
images by the VQ), in a few flat numpy files. It is what the LM trains on and what travels to a GPU.

    python -m tessera_trainer.lm pack --shards DIR --vq models/vq --config config.json --out PACK

PACK/
  pack.json      format, vocab (must match config.json), counts per task, sources
  tokens.npy     (N_tok,) uint16   joint-vocab ids of all episodes back to back; an image is ONE <boi>
                                   slot here, expanded on load to <boi> + 256 codes + <eoi>
  flags.npy      (N_tok,) uint8    bit 0: loss, bit 1: drop (condition dropout); an image slot's flags
                                   apply to all 258 of its tokens
  refs.npy       (N_ref,) uint32   row of images.npy for each <boi> slot, in order
  images.npy     (N_img, B) uint8  VQ codes, bit-packed at ceil(log2 K) bits (10 for K=1024: 320 bytes
                                   an image), little-endian bit order; each (sample, image) once, so the
                                   episodes of a sample share their images
  episodes.npy   (N_ep, 6) int32   tok_start, tok_len, ref_start, ref_len, task (index in TASKS), sample
  keys.txt       one sample key per line (episodes' `sample` column indexes it)

Images dominate: ~100k episodes over ~40k samples with ~2 images each take ~25 MB of codes, plus
~3 bytes per text/special token.
"""
import json
import math
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch

from .config import TASKS, LMConfig

FORMAT = "tessera-lm-pack"
LOSS, DROP = 1, 2
ENCODE_BATCH = 64


# ---- bit packing of codes -----------------------------------------------------------------------

def code_bits(codebook_size: int) -> int:
    return max(1, math.ceil(math.log2(codebook_size)))


def pack_codes(codes: np.ndarray, bits: int) -> np.ndarray:
    """(N, L) ints < 2**bits -> (N, ceil(L*bits/8)) uint8."""
    codes = np.asarray(codes, dtype=np.uint32)
    b = ((codes[..., None] >> np.arange(bits, dtype=np.uint32)) & 1).astype(np.uint8)  # (N, L, bits)
    return np.packbits(b.reshape(len(codes), -1), axis=1, bitorder="little")


def unpack_codes(packed: np.ndarray, bits: int, length: int) -> np.ndarray:
    """Inverse of pack_codes -> (N, length) uint16."""
    b = np.unpackbits(packed, axis=1, count=length * bits, bitorder="little").reshape(len(packed), length, bits)
    return (b.astype(np.uint16) << np.arange(bits, dtype=np.uint16)).sum(-1, dtype=np.uint16)


# ---- writing ------------------------------------------------------------------------------------

def piece_tokens(pieces: list, cfg: LMConfig) -> tuple[list[int], list[int], list[str]]:
    """EncodedPiece list (src/world/sample.ts) -> (slot ids, slot flags, image fields in order)."""
    ids, flags, images = [], [], []
    for piece in pieces:
        f = (LOSS if piece.get("loss") else 0) | (DROP if piece.get("drop") else 0)
        if "image" in piece:
            ids.append(cfg.boi)
            flags.append(f)
            images.append(piece["image"])
            continue
        for t in piece["ids"]:
            if not (0 <= t < cfg.vocab_size) or cfg.image_start <= t < cfg.image_end or t in (cfg.boi, cfg.eoi):
                raise ValueError(f"id {t} cannot appear in an ids piece (image codes and <boi>/<eoi> come from image pieces)")
        ids += piece["ids"]
        flags += [f] * len(piece["ids"])
    return ids, flags, images


def build_pack(shards, codec, cfg: LMConfig, out: str | Path, limit: int | None = None,
               device="cpu", log_every: int = 1000, sources: dict | None = None, skip_samples: int = 0) -> dict:
    """Reads every sample of `shards` once (in order), encodes the images its episodes use, writes PACK.
    `codec` has encode(x (N, 3, 128, 128) in [-1, 1]) -> (N, 16, 16) codes (see codec.py).
    `skip_samples` passes over the first samples: a second pack from the shards a first one stopped in."""
    from tessera_trainer.data import ShardStream, decode_png  # the shared shard reader

    from .codec import codebook_size
    if codebook_size(codec) != cfg.codebook_size:
        raise ValueError(f"VQ has {codebook_size(codec)} codes but config.json expects {cfg.codebook_size}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    bits = code_bits(cfg.codebook_size)
    tokens, flags, refs, episodes, keys = [], [], [], [], []
    packed_images: list[np.ndarray] = []
    pending: list[tuple[int, torch.Tensor]] = []  # (image row, pixels) waiting for a VQ batch
    n_images, n_tok, skipped = 0, 0, Counter()
    tasks = Counter()
    started = time.time()

    def flush():
        if not pending:
            return
        x = torch.stack([p for _, p in pending]).to(device)
        with torch.no_grad():
            codes = codec.encode(x).reshape(len(pending), -1).cpu().numpy()
        if codes.shape[1] != cfg.image_tokens or codes.min() < 0 or codes.max() >= cfg.codebook_size:
            raise ValueError(f"VQ codes have shape {codes.shape} / range [{codes.min()}, {codes.max()}]; config expects "
                             f"{cfg.image_tokens} codes in [0, {cfg.codebook_size})")
        packed_images.append(pack_codes(codes, bits))
        pending.clear()

    for n_sample, sample in enumerate(ShardStream(shards, shuffle=False, epochs=1)):
        if n_sample < skip_samples:
            continue
        if limit is not None and len(episodes) >= limit:
            break
        meta = json.loads(sample["json"])
        sample_images: dict[str, int] = {}  # field -> image row, this sample only
        sample_index = len(keys)
        used = False
        for episode in meta.get("episodes", []):
            if "encoded" not in episode:
                skipped["not_encoded"] += 1
                continue
            ids, fl, fields = piece_tokens(episode["encoded"], cfg)
            length = len(ids) + len(fields) * (cfg.image_tokens + 1)
            if length > cfg.max_seq_len:
                skipped["too_long"] += 1
                continue
            if any(f"{f}.png" not in sample for f in fields):
                skipped["missing_image"] += 1
                continue
            for f in fields:
                if f not in sample_images:
                    sample_images[f] = n_images
                    pending.append((n_images, decode_png(sample[f"{f}.png"])))
                    n_images += 1
                    if len(pending) >= ENCODE_BATCH:
                        flush()
            episodes.append((n_tok, len(ids), len(refs), len(fields), TASKS.index(episode["task"]), sample_index))
            refs += [sample_images[f] for f in fields]
            tokens.append(np.asarray(ids, dtype=np.uint16))
            flags.append(np.asarray(fl, dtype=np.uint8))
            n_tok += len(ids)
            tasks[episode["task"]] += 1
            used = True
            if log_every and len(episodes) % log_every == 0:
                print(f"[pack] {len(episodes)} episodes, {n_images} images, {time.time() - started:.0f}s", flush=True)
        if used:
            keys.append(sample["__key__"])
    flush()
    if not episodes:
        hint = " (shards were built without a tokenizer: run `tessera world build` with one)" if skipped["not_encoded"] else ""
        raise ValueError(f"no usable episodes in {shards}: skipped {dict(skipped)}{hint}")
    if n_tok >= 2**31:
        raise ValueError("pack too large for int32 offsets; split the shards")

    np.save(out / "tokens.npy", np.concatenate(tokens))
    np.save(out / "flags.npy", np.concatenate(flags))
    np.save(out / "refs.npy", np.asarray(refs, dtype=np.uint32))
    np.save(out / "images.npy", np.concatenate(packed_images) if packed_images else np.zeros((0, bits * cfg.image_tokens // 8), np.uint8))
    np.save(out / "episodes.npy", np.asarray(episodes, dtype=np.int32).reshape(-1, 6))
    (out / "keys.txt").write_text("\n".join(keys) + "\n")
    info = {
        "format": FORMAT, "version": 1, "vocab": cfg.raw.get("vocab"), "image_tokens": cfg.image_tokens,
        "code_bits": bits, "max_seq_len": cfg.max_seq_len,
        "counts": {"episodes": len(episodes), "samples": len(keys), "images": n_images, "tokens": n_tok,
                   "tasks": dict(tasks), "skipped": dict(skipped)},
        "sources": sources or {"shards": str(shards)}, "seconds": round(time.time() - started, 1),
    }
    (out / "pack.json").write_text(json.dumps(info, indent=2) + "\n")
    info["bytes"] = sum(p.stat().st_size for p in out.iterdir())
    return info


# ---- reading ------------------------------------------------------------------------------------

class Pack:
    """A pack in memory: the small arrays loaded, the codes unpacked to (N_img, 256) uint16.

        pack = Pack("PACK", cfg)
        ids, loss, drop = pack.episode(i)      # expanded: int64 ids, bool masks, all (L,)
    """

    def __init__(self, path: str | Path, cfg: LMConfig):
        path = Path(path)
        self.info = json.loads((path / "pack.json").read_text())
        if self.info.get("format") != FORMAT:
            raise ValueError(f"{path} is not a {FORMAT}")
        if self.info["vocab"] != cfg.raw.get("vocab"):
            raise ValueError(f"{path} was packed for a different vocabulary than config.json")
        self.cfg = cfg
        self.tokens = np.load(path / "tokens.npy")
        self.flags = np.load(path / "flags.npy")
        self.refs = np.load(path / "refs.npy")
        self.codes = unpack_codes(np.load(path / "images.npy"), self.info["code_bits"], cfg.image_tokens)
        self.episodes = np.load(path / "episodes.npy").astype(np.int64)
        self.keys = (path / "keys.txt").read_text().split()
        # expanded length of each episode: every image slot grows by 257
        self.lengths = self.episodes[:, 1] + self.episodes[:, 3] * (cfg.image_tokens + 1)
        self.task = self.episodes[:, 4]

    @classmethod
    def join(cls, packs: "list[Pack]") -> "Pack":
        """One pack over several: episodes in order (the first pack's first), offsets shifted. The same
        sample key in two packs is two samples (worlds of different seeds reuse keys)."""
        if len(packs) == 1:
            return packs[0]
        joined = cls.__new__(cls)
        joined.cfg = packs[0].cfg
        joined.info = {**packs[0].info, "joined": [p.info for p in packs]}
        tok_off = np.cumsum([0] + [len(p.tokens) for p in packs[:-1]])
        ref_off = np.cumsum([0] + [len(p.refs) for p in packs[:-1]])
        img_off = np.cumsum([0] + [len(p.codes) for p in packs[:-1]])
        key_off = np.cumsum([0] + [len(p.keys) for p in packs[:-1]])
        joined.tokens = np.concatenate([p.tokens for p in packs])
        joined.flags = np.concatenate([p.flags for p in packs])
        joined.codes = np.concatenate([p.codes for p in packs])
        joined.refs = np.concatenate([p.refs.astype(np.int64) + o for p, o in zip(packs, img_off)])
        episodes = []
        for p, t, r, k in zip(packs, tok_off, ref_off, key_off):
            e = p.episodes.copy()
            e[:, 0] += t
            e[:, 2] += r
            e[:, 5] += k
            episodes.append(e)
        joined.episodes = np.concatenate(episodes)
        joined.keys = [k for p in packs for k in p.keys]
        joined.lengths = np.concatenate([p.lengths for p in packs])
        joined.task = joined.episodes[:, 4]
        return joined

    def __len__(self) -> int:
        return len(self.episodes)

    def episode(self, i: int, drop: bool = False):
        """(ids int64 (L,), loss bool (L,), drop bool (L,)); with drop=True the `drop` tokens are removed."""
        tok_start, tok_len, ref_start, _, _, _ = self.episodes[i]
        ids = self.tokens[tok_start:tok_start + tok_len].astype(np.int64)
        fl = self.flags[tok_start:tok_start + tok_len]
        slots = np.flatnonzero(ids == self.cfg.boi)
        if len(slots):
            parts_ids, parts_fl, prev = [], [], 0
            for n, s in enumerate(slots):
                codes = self.codes[self.refs[ref_start + n]].astype(np.int64) + self.cfg.image_start
                parts_ids += [ids[prev:s + 1], codes, [self.cfg.eoi]]
                parts_fl += [fl[prev:s + 1], np.full(len(codes) + 1, fl[s], np.uint8)]
                prev = s + 1
            parts_ids.append(ids[prev:])
            parts_fl.append(fl[prev:])
            ids, fl = np.concatenate(parts_ids).astype(np.int64), np.concatenate(parts_fl)
        loss, dropped = (fl & LOSS) > 0, (fl & DROP) > 0
        if drop:
            keep = ~dropped
            return ids[keep], loss[keep], dropped[keep]
        return ids, loss, dropped

    def prompt(self, i: int, drop: bool = False) -> list[int]:
        """The episode up to and including its first <assistant> marker: a generation prompt."""
        ids, _, _ = self.episode(i, drop=drop)
        a = np.flatnonzero(ids == self.cfg.assistant)
        return ids[:a[0] + 1].tolist() if len(a) else ids.tolist()

    def image_codes(self, i: int, n: int = -1) -> np.ndarray:
        """Codes (256,) of the episode's n-th image (default: the last, the answer in t2i/edit)."""
        _, _, ref_start, ref_len, _, _ = self.episodes[i]
        if ref_len == 0:
            raise ValueError(f"episode {i} has no image")
        return self.codes[self.refs[ref_start + (n % ref_len)]]


def open_packs(spec: str | Path, cfg: LMConfig) -> Pack:
    """`--pack A` or `--pack A,B,...`: several packs read as one (Pack.join). Naming one twice is refused:
    it would silently double its weight."""
    paths = [Path(p) for p in str(spec).split(",") if p]
    if not paths:
        raise ValueError("no pack given")
    resolved = [p.resolve() for p in paths]
    if len(set(resolved)) != len(resolved):
        raise ValueError(f"a pack is named twice in {spec}")
    return Pack.join([Pack(p, cfg) for p in paths])


def main(argv: list[str]) -> None:
    import argparse

    from .codec import load_codec
    ap = argparse.ArgumentParser(prog="python -m tessera_trainer.lm pack", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shards", required=True, help="folder of shard-*.tar (built with a tokenizer)")
    ap.add_argument("--vq", required=True, help="trained VQ folder or weights file")
    ap.add_argument("--config", required=True, help="config.json written by `tessera model config`")
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit", type=int, help="stop after this many episodes")
    ap.add_argument("--skip-samples", type=int, default=0, help="start after this many samples (a pack's `counts.samples`)")
    ap.add_argument("--device", default="auto")
    args = ap.parse_args(argv)
    from tessera_trainer.common.runtime import pick_device, set_threads
    set_threads()
    device = pick_device(args.device)
    info = build_pack(args.shards, load_codec(args.vq, device), LMConfig.load(args.config), args.out, args.limit, device,
                      sources={"shards": str(args.shards), "vq": str(args.vq), "config": str(args.config),
                               "skip_samples": args.skip_samples}, skip_samples=args.skip_samples)
    print(json.dumps(info["counts"]), f"{info['bytes'] / 1e6:.1f} MB in {info['seconds']}s")
