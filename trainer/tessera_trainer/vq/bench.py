"""Train-step and inference throughput of candidate model sizes on this machine.

    /usr/bin/python3 -m tessera_trainer.vq bench [--steps 6] [--batch 16] [--only default,w48] [--bf16] [--decoder-only]

Reports the best of `steps` timed steps (the CPU is shared; the best is the least disturbed), as
images/s for a full AdamW step and ms/image for encode+decode at batch 1. The numbers picked the
default preset; they are copied into models/vq/MODEL_CARD.md. --bf16 adds a row per candidate with the
step under bf16 autocast (what training runs on a CPU with native bf16); --decoder-only times the
step of `train --freeze-codes` (encoder in fp32 without gradients, the decoder trained).
"""
import time

import torch

from .config import PRESETS, TrainConfig, VQConfig
from .model import VQModel

CANDIDATES: dict[str, VQConfig] = {
    "default": PRESETS["default"].model,
    "narrow": VQConfig(channels=(24, 48, 96)),
    "mid": VQConfig(channels=(32, 64, 96)),
    "wide": VQConfig(channels=(48, 96, 160)),
    "full-res": VQConfig(patch=1, channels=(16, 32, 64, 128), enc_blocks=(0, 1, 1, 2), dec_blocks=(1, 1, 1, 3)),
}


def best_time(fn, steps: int) -> float:
    fn()  # warm-up: allocator, mkldnn primitive cache
    times = []
    for _ in range(steps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def measure(cfg: VQConfig, batch: int = 16, steps: int = 6, channels_last: bool = TrainConfig.channels_last,
            bf16: bool = False, decoder_only: bool = False) -> dict:
    torch.manual_seed(0)
    model = VQModel(cfg)
    if decoder_only:
        model.freeze_codes()
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt)
    x = (torch.rand(batch, 3, cfg.image_size, cfg.image_size) * 2 - 1).contiguous(memory_format=fmt)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)

    def train_step():
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16, enabled=bf16):
            x_hat, _, vq_loss = model(x)
        loss = (x_hat.float() - x).abs().mean() + vq_loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    step_s = best_time(train_step, steps)
    model.eval()
    one = x[:1]
    with torch.no_grad():
        infer_s = best_time(lambda: model.decode(model.encode(one)), steps * 2)
    return {"params_M": round(model.num_params() / 1e6, 2), "gmac": round(model.flops_per_image() / 1e9, 3),
            "train_img_s": round(batch / step_s, 1), "infer_ms": round(infer_s * 1000, 1),
            "batch": batch, "channels_last": channels_last, "threads": torch.get_num_threads(),
            "bf16": bf16, "decoder_only": decoder_only}


def main(names: list[str] | None = None, batch: int = 16, steps: int = 6, both_layouts: bool = False,
         bf16: bool = False, decoder_only: bool = False) -> dict:
    results = {}
    for name in names or list(CANDIDATES):
        default = TrainConfig.channels_last
        for cl in ([default, not default] if both_layouts else [default]):
            for half in ([False, True] if bf16 else [False]):
                key = f"{name} ({'channels-last' if cl else 'NCHW'}{', bf16' if half else ''})"
                results[key] = measure(CANDIDATES[name], batch, steps, cl, half, decoder_only)
                print(f"{key:30s} {results[key]}", flush=True)
    return results


def cli(argv=None) -> int:
    import argparse
    import json

    from tessera_trainer.common import runtime

    ap = argparse.ArgumentParser(prog="tessera_trainer.vq bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", help=f"comma-separated subset of {','.join(CANDIDATES)}")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--layouts", action="store_true", help="also measure the other memory format (channels-last / NCHW)")
    ap.add_argument("--bf16", action="store_true", help="also time the training step under bf16 autocast")
    ap.add_argument("--decoder-only", action="store_true", help="time the decoder-only step (train --freeze-codes)")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)
    runtime.set_threads()
    results = main(args.only.split(",") if args.only else None, args.batch, args.steps, args.layouts,
                   args.bf16, args.decoder_only)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return 0
