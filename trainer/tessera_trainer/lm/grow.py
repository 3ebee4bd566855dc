"""Grows a trained LM deeper without losing what it learned.

    python -m tessera_trainer.lm grow --config models/default/config.json --weights W --layers 9 --out DIR

New blocks are spread between the old ones and start as the identity: their attention output and
MLP down projections are zero, so each adds nothing to the residual stream and the grown model's
logits equal the old model's. Their other weights get the usual random init, so the zero projections
receive gradients at the first step and the blocks start to learn from there. DIR gets config.json
(the old one with model.nLayer changed) and weights.safetensors (fp32: they seed a training run).
Continue with `train --config DIR/config.json --init-weights DIR/weights.safetensors`.

    6 -> 9 layers:  old 0, 1, new, old 2, 3, new, old 4, 5, new
"""
import argparse
import copy
import json
from pathlib import Path

import torch

from tessera_trainer.common.checkpoint import save_weights

from .config import LMConfig
from .model import LM, load_lm

ZERO_OUTPUTS = ("attn.proj.weight", "mlp.down.weight")  # what a block adds to the residual stream


def insertion_points(old_layers: int, new_layers: int) -> list[int]:
    """For each added block, how many old blocks come before it (spread evenly, the last at the end)."""
    if new_layers < old_layers:
        raise ValueError(f"cannot grow {old_layers} layers to {new_layers}: growing only adds blocks")
    added = new_layers - old_layers
    return [round((k + 1) * old_layers / added) for k in range(added)]


def layer_sources(old_layers: int, new_layers: int) -> list[int | None]:
    """For each block of the grown model, the old block it copies, or None for a new identity block."""
    points = insertion_points(old_layers, new_layers)
    sources: list[int | None] = []
    for old in range(old_layers + 1):
        sources.extend([None] * points.count(old))
        if old < old_layers:
            sources.append(old)
    return sources


def grown_config(raw: dict, layers: int) -> dict:
    out = copy.deepcopy(raw)
    out["model"]["nLayer"] = layers
    return out


def grow(model: LM, layers: int, seed: int = 0) -> LM:
    """A deeper LM computing the same function as `model` (see the module doc)."""
    old_cfg = model.cfg
    cfg = LMConfig.from_dict(grown_config(old_cfg.raw, layers))
    torch.manual_seed(seed)
    grown = LM(cfg)
    old_state = model.state_dict()
    state = grown.state_dict()
    for name in state:
        if not name.startswith("blocks."):
            state[name] = old_state[name].clone()
    for index, source in enumerate(layer_sources(old_cfg.n_layer, layers)):
        prefix = f"blocks.{index}."
        for name in [n for n in state if n.startswith(prefix)]:
            rest = name[len(prefix):]
            if source is not None:
                state[name] = old_state[f"blocks.{source}.{rest}"].clone()
            elif rest in ZERO_OUTPUTS:
                state[name] = torch.zeros_like(state[name])
    grown.load_state_dict(state)
    return grown


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(prog="python -m tessera_trainer.lm grow", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True, help="the trained model's config.json")
    ap.add_argument("--weights", required=True, help="its weights: a weights file, a run's ckpt.pt, or a run folder")
    ap.add_argument("--layers", type=int, required=True, help="blocks in the grown model")
    ap.add_argument("--out", required=True, help="folder for config.json and weights.safetensors")
    ap.add_argument("--seed", type=int, default=0, help="init of the new blocks' input weights")
    args = ap.parse_args(argv)
    cfg = LMConfig.load(args.config)
    model = load_lm(cfg, args.weights)
    try:
        grown = grow(model, args.layers, args.seed)
    except ValueError as e:
        raise SystemExit(f"grow: {e}") from None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(grown.cfg.raw, indent=2) + "\n")
    save_weights(out / "weights.safetensors", grown, grown.cfg.raw, dtype=torch.float32)
    print(f"[grow] {cfg.n_layer} -> {args.layers} layers, {model.num_params() / 1e6:.2f}M -> {grown.num_params() / 1e6:.2f}M params; "
          f"new blocks after old blocks {insertion_points(cfg.n_layer, args.layers)} -> {out}")
