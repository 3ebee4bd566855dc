"""The PyTorch reference sampler, and the speed baseline for the TypeScript engine.

A chain of small functions: filter logits (top-k, top-p) -> constrain (image grammar) -> sample ->
prefill -> decode one token -> generate. The KV cache is an explicit KVCache object and
classifier-free guidance is explicit too: rows [0, B) are conditional prompts, rows [B, 2B) the same
prompts with their `drop` pieces removed, in one batch; guided logits = u + s * (c - u).

Prompts of different lengths are left-padded: padding is masked out of attention and positions
count real tokens only, so a padded row computes exactly what it would alone.

    python -m tessera_trainer.lm sample --config config.json --weights RUN --pack PACK --vq models/vq --out grid.png
"""
import time
from dataclasses import dataclass

import torch

from .config import LMConfig
from .model import LM, KVCache


@dataclass
class SamplingConfig:
    temperature: float = 1.0
    top_k: int = 0            # 0: off
    top_p: float = 1.0        # 1.0: off
    cfg_scale: float = 1.0    # 1.0: no guidance (no unconditional rows are run)
    max_new_tokens: int = 300
    seed: int = 0


# ---- logits processors --------------------------------------------------------------------------

def top_k_filter(logits, k: int):
    """(B, V): keep the k largest per row, the rest -inf."""
    if k <= 0 or k >= logits.shape[-1]:
        return logits
    kth = torch.topk(logits, k, dim=-1).values[:, -1:]
    return logits.masked_fill(logits < kth, float("-inf"))


def top_p_filter(logits, p: float):
    """(B, V): keep the smallest set of top tokens whose probability reaches p (always at least one)."""
    if p >= 1.0:
        return logits
    sorted_logits, order = torch.sort(logits, descending=True, dim=-1)
    cum = sorted_logits.softmax(-1).cumsum(-1)
    remove = cum - sorted_logits.softmax(-1) >= p  # mass before this token already reaches p
    remove[:, 0] = False
    return logits.masked_fill(remove.scatter(1, order, remove), float("-inf"))


class ImageGrammar:
    """Constrained decoding: outside an image, no image codes / <eoi> / pad / bos / task markers; after
    <boi>, exactly image_tokens codes and then <eoi>. `force_image` makes each row's first token <boi>."""

    def __init__(self, cfg: LMConfig, batch: int, device, force_image: bool = False):
        self.cfg = cfg
        self.inside = torch.full((batch,), -1, dtype=torch.long, device=device)  # codes emitted, -1 outside
        self.first = force_image
        V = cfg.vocab_size
        self.outside_ok = torch.ones(V, dtype=torch.bool, device=device)
        self.outside_ok[cfg.image_start:cfg.image_end] = False
        for banned in [cfg.eoi, cfg.pad, cfg.bos, *cfg.tasks.values()]:
            self.outside_ok[banned] = False
        self.codes_ok = torch.zeros(V, dtype=torch.bool, device=device)
        self.codes_ok[cfg.image_start:cfg.image_end] = True
        self.only = lambda i: torch.arange(V, device=device) == i

    def mask(self, logits):
        """(B, V) -> (B, V) with disallowed ids at -inf."""
        if self.first:
            allowed = self.only(self.cfg.boi).expand_as(logits)
        else:
            inside, full = self.inside >= 0, self.inside >= self.cfg.image_tokens
            allowed = torch.where(inside.unsqueeze(1), self.codes_ok, self.outside_ok)
            allowed = torch.where(full.unsqueeze(1), self.only(self.cfg.eoi), allowed)
        return logits.masked_fill(~allowed, float("-inf"))

    def step(self, tokens) -> None:
        """Advances each row's state with its new token (B,)."""
        self.first = False
        self.inside = torch.where(self.inside >= 0, self.inside + 1, self.inside)
        self.inside = torch.where(tokens == self.cfg.boi, torch.zeros_like(self.inside), self.inside)
        self.inside = torch.where(tokens == self.cfg.eoi, torch.full_like(self.inside, -1), self.inside)


def sample_token(logits, sc: SamplingConfig, generator=None):
    """(B, V) -> (B,) ids. temperature 0 = greedy."""
    if sc.temperature <= 0:
        return logits.argmax(-1)
    logits = top_p_filter(top_k_filter(logits / sc.temperature, sc.top_k), sc.top_p)
    return torch.multinomial(logits.float().softmax(-1), 1, generator=generator).squeeze(1)


# ---- prefill and decode -------------------------------------------------------------------------

def left_pad(prompts: list[list[int]], pad_id: int, device):
    """Prompts -> ids (B, T), key_mask (B, T) bool, positions (B, T) counting real tokens from 0."""
    T = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), T), pad_id, dtype=torch.long)
    key_mask = torch.zeros((len(prompts), T), dtype=torch.bool)
    for b, p in enumerate(prompts):
        ids[b, T - len(p):] = torch.tensor(p, dtype=torch.long)
        key_mask[b, T - len(p):] = True
    positions = (key_mask.long().cumsum(1) - 1).clamp(min=0)
    return ids.to(device), key_mask.to(device), positions.to(device)


@torch.no_grad()
def prefill(model: LM, prompts: list[list[int]], cache: KVCache):
    """Runs the prompts through the model into `cache`; returns last logits (B, V), key_mask, next positions (B,)."""
    ids, key_mask, positions = left_pad(prompts, model.cfg.pad, next(model.parameters()).device)
    logits = model(ids, positions=positions, key_mask=key_mask, cache=cache, last_only=True)
    return logits.float(), key_mask, positions[:, -1] + 1


@torch.no_grad()
def decode_one(model: LM, tokens, key_mask, positions, cache: KVCache):
    """tokens (B,) at positions (B,) -> logits (B, V) and the grown key_mask."""
    key_mask = torch.cat([key_mask, torch.ones_like(key_mask[:, :1])], dim=1)
    logits = model(tokens.unsqueeze(1), positions=positions.unsqueeze(1), key_mask=key_mask, cache=cache, last_only=True)
    return logits.float(), key_mask


def guide(logits, batch: int, scale: float):
    """(2B, V) [cond; uncond] -> (B, V) guided; (B, V) passes through when there are no uncond rows."""
    if logits.shape[0] == batch:
        return logits
    cond, uncond = logits[:batch], logits[batch:]
    return uncond + scale * (cond - uncond)


@torch.no_grad()
def generate(model: LM, prompts: list[list[int]], sc: SamplingConfig, uncond_prompts: list[list[int]] | None = None,
             force_image: bool = False) -> list[list[int]]:
    """New tokens per prompt, each ending at its <end_turn> (or max_new_tokens). With cfg_scale != 1,
    `uncond_prompts` (same order) give the unconditional rows."""
    cfg, device = model.cfg, next(model.parameters()).device
    B = len(prompts)
    rows = prompts + (uncond_prompts if sc.cfg_scale != 1.0 and uncond_prompts else [])
    max_len = max(len(p) for p in rows) + sc.max_new_tokens
    if max_len > cfg.max_seq_len:
        raise ValueError(f"prompt + {sc.max_new_tokens} new tokens exceeds max_seq_len {cfg.max_seq_len}")
    cache = KVCache(cfg, len(rows), max_len, device, dtype=next(model.parameters()).dtype)
    generator = torch.Generator(device=device).manual_seed(sc.seed)
    grammar = ImageGrammar(cfg, B, device, force_image)
    logits, key_mask, positions = prefill(model, rows, cache)
    out = torch.full((B, sc.max_new_tokens), cfg.pad, dtype=torch.long, device=device)
    done = torch.zeros(B, dtype=torch.bool, device=device)
    for t in range(sc.max_new_tokens):
        tok = sample_token(grammar.mask(guide(logits, B, sc.cfg_scale)), sc, generator)
        tok = torch.where(done, torch.full_like(tok, cfg.pad), tok)
        out[:, t] = tok
        grammar.step(tok)
        done |= tok == cfg.end_turn
        if bool(done.all()) or t == sc.max_new_tokens - 1:
            break
        step_tok = tok.repeat(len(rows) // B)  # the uncond rows continue with the guided token
        logits, key_mask = decode_one(model, step_tok, key_mask, positions, cache)
        positions = positions + 1
    result = []
    for row in out.tolist():
        end = row.index(cfg.end_turn) + 1 if cfg.end_turn in row else len(row)
        result.append([t for t in row[:end] if t != cfg.pad])
    return result


def image_codes(tokens: list[int], cfg: LMConfig) -> list[list[int]]:
    """Every complete image (<boi> + image_tokens codes) in a token list, as codes in [0, K)."""
    images = []
    for i, t in enumerate(tokens):
        if t == cfg.boi:
            codes = tokens[i + 1:i + 1 + cfg.image_tokens]
            if len(codes) == cfg.image_tokens and all(cfg.image_start <= c < cfg.image_end for c in codes):
                images.append([c - cfg.image_start for c in codes])
    return images


@torch.no_grad()
def generate_images(model: LM, prompts: list[list[int]], uncond_prompts: list[list[int]], sc: SamplingConfig):
    """t2i / edit: prompts ending in <assistant> -> codes (B, image_tokens) int64, plus tokens/s."""
    cfg = model.cfg
    sc = SamplingConfig(**{**sc.__dict__, "max_new_tokens": cfg.image_tokens + 2})
    started = time.time()
    outs = generate(model, prompts, sc, uncond_prompts, force_image=True)
    seconds = time.time() - started
    codes = torch.tensor([image_codes(o, cfg)[0] for o in outs], dtype=torch.long)
    return codes, len(prompts) * (cfg.image_tokens + 2) / max(seconds, 1e-9)


def main(argv: list[str]) -> None:
    import argparse
    import json
    from pathlib import Path

    import numpy as np

    from tessera_trainer.common.runtime import pick_device, set_threads

    from .model import load_lm
    from .pack import open_packs
    ap = argparse.ArgumentParser(prog="python -m tessera_trainer.lm sample", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True)
    ap.add_argument("--weights", required=True, help="run folder, ckpt.pt or weights file")
    ap.add_argument("--pack", required=True, help="prompts: the pack's t2i episodes (held-out ones first)")
    ap.add_argument("--vq", help="VQ folder to decode images (default: the pack's); without it codes are saved as .npy")
    ap.add_argument("--out", required=True, help="grid .png (or .npy of codes without a VQ)")
    ap.add_argument("--n", type=int, default=8)
    for f in SamplingConfig.__dataclass_fields__.values():
        if f.name != "max_new_tokens":
            ap.add_argument(f"--{f.name.replace('_', '-')}", type=f.type, default=f.default)
    ap.add_argument("--device", default="auto")
    args = ap.parse_args(argv)
    set_threads()
    device = pick_device(args.device)
    cfg = LMConfig.load(args.config)
    model = load_lm(cfg, args.weights, device)
    pack = open_packs(args.pack, cfg)
    from .train import split
    _, val = split(pack, 0.01)
    held = set(val.tolist())
    order = list(val) + [i for i in range(len(pack)) if i not in held]
    episodes = [i for i in order if pack.task[i] == 0][:args.n]  # TASKS[0] == "t2i"
    sc = SamplingConfig(**{k: getattr(args, k) for k in ("temperature", "top_k", "top_p", "cfg_scale", "seed")})
    codes, tok_s = generate_images(model, [pack.prompt(i) for i in episodes], [pack.prompt(i, drop=True) for i in episodes], sc)
    print(json.dumps({"images": len(episodes), "tok_s": round(tok_s, 1), "device": str(device)}))
    vq = args.vq or pack.info.get("sources", {}).get("vq")
    if not vq or Path(args.out).suffix == ".npy":
        np.save(args.out, codes.numpy().astype(np.uint16))
        return
    from PIL import Image

    from tessera_trainer.data import to_uint8

    from .codec import load_codec
    pixels = to_uint8(load_codec(vq, device).decode(codes.view(-1, *cfg.image_grid).to(device)))
    h, w = pixels.shape[1:3]
    sheet = Image.new("RGB", (w * len(pixels), h), "white")
    for i, img in enumerate(pixels):
        sheet.paste(Image.fromarray(img), (i * w, 0))
    sheet.save(args.out)
