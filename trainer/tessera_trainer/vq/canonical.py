"""Canonical codes: near-duplicate codebook vectors answered by one code.

The trained codebook holds groups of almost identical vectors: six codes of plain white at cosine
0.97-0.996 to each other, and more among object colors. Which one the encoder picks for a patch
turns on tiny differences in its receptive field, so the same white background arrives in the LM's
data as a random-looking mix of six codes, and the LM spends loss predicting that mix. Measured on
the step-7,131 model (BENCHMARKS.md, "Canonical codes"): counting near-duplicates at cosine > 0.95
as one class removes 37 % of its held-out t2i code loss, while decoding each code's class
representative instead of the code itself costs 0.07 dB of PSNR.

So the quantizer carries a map from every code to its class representative (`Quantizer.canonical`,
the identity until this runs), applied after the nearest-neighbour lookup: the encoder, its ONNX
graph and every pack made from them emit representatives only. Classes are stars: the most used
code not yet taken becomes a representative and takes every untaken code within `tau` of it, so
every member is within `tau` of its own representative (chains of near neighbours do not merge).

    python -m tessera_trainer.vq canonicalize --weights models/vq --tau 0.95 --out models/vq
"""
import argparse
import sys

import torch
import torch.nn.functional as F


def canonical_map(codebook: torch.Tensor, usage: torch.Tensor, tau: float) -> torch.Tensor:
    """codebook (K, d), usage (K,) -> (K,) int64: each code's representative (representatives map to
    themselves). Ties in usage go to the lower code id."""
    unit = F.normalize(codebook.detach().float(), dim=1)
    similar = unit @ unit.T > tau  # (K, K)
    rep = torch.full((len(unit),), -1, dtype=torch.int64)
    order = sorted(range(len(unit)), key=lambda c: (-float(usage[c]), c))
    for c in order:
        if rep[c] >= 0:
            continue
        take = similar[c] & (rep < 0)
        take[c] = True
        rep[take] = c
    return rep


def main(argv=None) -> int:
    from . import find_weights, load_vq
    from .export import earlier_config, export, training_record

    ap = argparse.ArgumentParser(prog="tessera_trainer.vq canonicalize", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", required=True, help="VQ folder or weights file to read")
    ap.add_argument("--tau", type=float, default=0.95, help="cosine above which a code joins a representative's class")
    ap.add_argument("--out", required=True, help="folder to export to (ONNX graphs, weights.pt, config.json)")
    args = ap.parse_args(argv)
    if not 0 < args.tau <= 1:
        ap.error(f"--tau must be in (0, 1], got {args.tau}")
    vq = load_vq(args.weights)
    # the export these weights came with, if any
    kept = training_record(earlier_config(find_weights(args.weights).parent / "config.json"))
    q = vq.quantizer
    q.canonical.copy_(canonical_map(q.codebook(), q.usage, args.tau))
    classes = int(q.canonical.unique().numel())
    config = export(vq, args.out, {**kept, "canonical": {"tau": args.tau, "classes": classes}})
    print(f"[vq] {q.K} codes -> {classes} canonical classes at cosine > {args.tau}; exported to {args.out} "
          f"(blank code {config['blank_code']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
