"""Device, precision, threads and seeds: the few lines every training script starts with.

    device = runtime.setup(seed=1337)          # picks cuda when present, sets threads, seeds
    with runtime.autocast(device):             # bf16 on cuda, a no-op on cpu
        loss = model(x)
"""
import contextlib
import os
import random

import numpy as np
import torch


def pick_device(preference: str = "auto") -> torch.device:
    """'auto' -> cuda when available, else cpu. 'cpu' / 'cuda' / 'cuda:1' are taken as given."""
    if preference == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(preference)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"device {preference!r} requested but CUDA is not available")
    return device


def autocast(device: torch.device):
    """bf16 autocast on cuda. On cpu a no-op: CPU bf16 matmuls are slower than fp32 on most
    x86 parts without AMX, and the small models trained on CPU do not need the memory."""
    if device.type == "cuda":
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def set_threads(n: int | None = None) -> int:
    """Intra-op threads; defaults to $TESSERA_THREADS or every core (torch's own default is
    sometimes 1 inside containers)."""
    n = n or int(os.environ.get("TESSERA_THREADS", 0)) or os.cpu_count() or 1
    torch.set_num_threads(n)
    return n


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)  # also seeds every cuda device


def setup(seed: int = 1337, device: str = "auto", threads: int | None = None) -> torch.device:
    """The usual prologue: threads, seeds, device; enables TF32 matmuls on cuda."""
    set_threads(threads)
    seed_everything(seed)
    dev = pick_device(device)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    return dev
