"""Device, precision, threads and seeds: the few lines every training script starts with.

    device = runtime.setup(seed=1337)          # picks cuda when present, sets threads, seeds
    with runtime.autocast(device):             # bf16 on cuda, a no-op on cpu (evaluation)
        loss = model(x)
    with runtime.train_autocast(device):       # training steps: also bf16 on a cpu with native bf16
        loss = model(x)
"""
import contextlib
import faulthandler
import functools
import os
import random
import signal

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
    """bf16 autocast on cuda; on cpu a no-op, so that what evaluation reports stays fp32 and
    comparable across machines."""
    if device.type == "cuda":
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def train_autocast(device: torch.device):
    """bf16 autocast for training steps: on cuda, and on a cpu that computes bf16 natively
    (cpu_bf16()). There oneDNN's bf16 matmuls ran a training step of the default model 1.4x as fast
    as fp32 on one core and 2x on two ranks side by side, where fp32 contends for memory
    (BENCHMARKS.md). Master weights, optimizer state, norms, softmax and the loss stay fp32."""
    if device.type == "cpu" and cpu_bf16():
        return torch.autocast(device_type="cpu", dtype=torch.bfloat16)
    return autocast(device)


def cpu_bf16(flags: str | None = None) -> bool:
    """Whether cpu training steps run under bf16 autocast. $TESSERA_CPU_BF16: 1 on, 0 off, auto (the
    default) on when the cpu has native bf16 instructions (AVX512-BF16 or AMX): elsewhere bf16 is
    emulated and slower than fp32. `flags`: the cpu's feature flags (tests), else /proc/cpuinfo's."""
    choice = os.environ.get("TESSERA_CPU_BF16", "auto").strip().lower()
    if choice in ("1", "on", "true"):
        return True
    if choice in ("0", "off", "false"):
        return False
    if choice != "auto":
        raise ValueError(f"TESSERA_CPU_BF16 must be auto, 1 or 0, got {choice!r}")
    if flags is None:
        flags = _cpu_flags()
    return bool({"avx512_bf16", "amx_bf16"} & set(flags.split()))


@functools.lru_cache(maxsize=1)
def _cpu_flags() -> str:
    """Read once per process: train_autocast asks on every step, and the flags do not change."""
    try:
        with open("/proc/cpuinfo") as f:
            return next((line.split(":", 1)[1] for line in f if line.startswith("flags")), "")
    except OSError:  # not Linux: no native bf16 assumed
        return ""


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


def stack_dumps_on_sigusr1() -> None:
    """`kill -USR1 PID` prints every thread's Python stack to stderr and the run goes on: how to see
    where a hung run (a DDP rank waiting on a collective, say) waits, without killing it."""
    if hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, all_threads=True)


def setup(seed: int = 1337, device: str = "auto", threads: int | None = None) -> torch.device:
    """The usual prologue: threads, seeds, device; enables TF32 matmuls on cuda."""
    set_threads(threads)
    seed_everything(seed)
    dev = pick_device(device)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    return dev
