"""Training-step speed of a config on this machine: fwd + bwd + AdamW on random tokens, every
position a target, `--code-share` of them image codes (the default mix's share with context codes
weighted), the loss as training computes it (train.py token_losses; `--code-softmax 1` scores code
targets among the codes alone).

    TESSERA_THREADS=1 python -m tessera_trainer.lm step-bench --config models/default/config.json [--code-softmax 1]

Threads are fixed when the process starts (OpenBLAS reads its count once), so compare thread counts
by running it once per setting; see BENCHMARKS.md, "LM training".
"""
import argparse
import json
import time

import torch

from tessera_trainer.common import runtime

from .config import LMConfig
from .model import LM
from .train import token_losses


def step_seconds(cfg: LMConfig, rows: int, length: int, steps: int, device: torch.device,
                 code_share: float = 0.85, code_softmax: bool = False) -> list[float]:
    torch.manual_seed(0)
    model = LM(cfg).to(device)
    optimizer = model.configure_optimizer(1e-4, 0.1)
    x = torch.randint(0, cfg.vocab_size, (rows, length), device=device)
    codes = torch.randint(cfg.image_start, cfg.image_end, x.shape, device=device)
    x = torch.where(torch.rand(x.shape, device=device) < code_share, codes, x)
    inputs, targets, mask = x[:, :-1], x[:, 1:], torch.ones(rows, length - 1, device=device)
    times = []
    for _ in range(steps + 1):  # the first step allocates: timed, not counted
        started = time.perf_counter()
        with runtime.train_autocast(device):
            sums, counts = token_losses(model, inputs, targets, mask, code_softmax)
        loss = sums.sum() / counts.sum()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - started)
    return times[1:]


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(prog="python -m tessera_trainer.lm step-bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True)
    ap.add_argument("--rows", type=int, default=16)
    ap.add_argument("--length", type=int, default=512)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--code-share", type=float, default=0.85, help="share of targets that are image codes")
    ap.add_argument("--code-softmax", type=int, default=0, help="1: code targets scored among the codes alone")
    args = ap.parse_args(argv)
    threads = runtime.set_threads()
    device = runtime.pick_device(args.device)
    times = step_seconds(LMConfig.load(args.config), args.rows, args.length, args.steps, device, args.code_share, bool(args.code_softmax))
    tokens = args.rows * (args.length - 1)
    print(json.dumps({"threads": threads, "device": str(device), "tokens_per_step": tokens, "code_softmax": bool(args.code_softmax),
                      "step_s": [round(t, 3) for t in times], "tok_s": round(tokens / min(times), 1)}))
