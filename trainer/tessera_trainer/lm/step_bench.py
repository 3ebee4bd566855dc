"""Training-step speed of a config on this machine: fwd + bwd + AdamW on random tokens.

    TESSERA_THREADS=1 python -m tessera_trainer.lm step-bench --config models/default/config.json

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


def step_seconds(cfg: LMConfig, rows: int, length: int, steps: int, device: torch.device) -> list[float]:
    torch.manual_seed(0)
    model = LM(cfg).to(device)
    optimizer = model.configure_optimizer(1e-4, 0.1)
    x = torch.randint(0, cfg.vocab_size, (rows, length), device=device)
    times = []
    for _ in range(steps + 1):  # the first step allocates: timed, not counted
        started = time.perf_counter()
        with runtime.autocast(device):
            logits = model(x[:, :-1])
        loss = torch.nn.functional.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), x[:, 1:].reshape(-1))
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
    args = ap.parse_args(argv)
    threads = runtime.set_threads()
    device = runtime.pick_device(args.device)
    times = step_seconds(LMConfig.load(args.config), args.rows, args.length, args.steps, device)
    tokens = args.rows * (args.length - 1)
    print(json.dumps({"threads": threads, "device": str(device), "tokens_per_step": tokens,
                      "step_s": [round(t, 3) for t in times], "tok_s": round(tokens / min(times), 1)}))
