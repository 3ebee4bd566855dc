"""Checkpoints (to resume a run) and weights (to commit and ship).

RUN/ckpt.pt        model + optimizer + step + config (+ extras such as the data position); fp32;
                   written atomically (tmp file, then rename), so a kill mid-save never loses the last one.
models/x/weights.* the model alone in fp16: `.pt` (a torch pickle of {"state_dict", "config"}) or
                   `.safetensors` (the safetensors layout, written here by hand since the package is not
                   installed: u64 header length, JSON header, raw little-endian tensors).

A run continues from weights alone with a fresh optimizer: `load_weights(path, model)`, then train.
"""
import json
import os
import struct
from pathlib import Path

import numpy as np
import torch

CKPT_NAME = "ckpt.pt"


def unwrap(model: torch.nn.Module) -> torch.nn.Module:
    """The plain module under DDP (`.module`) and torch.compile (`._orig_mod`) wrappers."""
    while True:
        if hasattr(model, "module") and isinstance(model.module, torch.nn.Module):
            model = model.module
        elif hasattr(model, "_orig_mod"):
            model = model._orig_mod
        else:
            return model


def _atomic_torch_save(obj, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def save_checkpoint(run_dir: str | Path, model, optimizer, step: int, config: dict, **extra) -> Path:
    path = Path(run_dir) / CKPT_NAME
    _atomic_torch_save({
        "model": unwrap(model).state_dict(),
        "optimizer": optimizer.state_dict() if optimizer is not None else None,
        "step": step,
        "config": config,
        "extra": extra,
    }, path)
    return path


def checkpoint_path(run_or_file: str | Path) -> Path:
    p = Path(run_or_file)
    return p / CKPT_NAME if p.is_dir() else p


def has_checkpoint(run_dir: str | Path) -> bool:
    return checkpoint_path(run_dir).exists()


def load_checkpoint(run_or_file: str | Path, model=None, optimizer=None, map_location="cpu") -> dict:
    """Loads RUN/ckpt.pt (or a given file) into model/optimizer when given; returns the whole dict
    (keys: model, optimizer, step, config, extra)."""
    ckpt = torch.load(checkpoint_path(run_or_file), map_location=map_location)
    if model is not None:
        unwrap(model).load_state_dict(ckpt["model"])
    if optimizer is not None and ckpt.get("optimizer") is not None:
        optimizer.load_state_dict(ckpt["optimizer"])
    return ckpt


# ---- weights only -------------------------------------------------------------------------------

def _half(state_dict: dict, dtype: torch.dtype) -> dict:
    """Floating tensors to `dtype`; integer buffers (counters, indices) unchanged."""
    return {k: (v.detach().to("cpu", dtype) if v.is_floating_point() else v.detach().cpu()).contiguous()
            for k, v in state_dict.items()}


def save_weights(path: str | Path, model_or_state, config: dict | None = None, dtype=torch.float16) -> Path:
    """fp16 weights for committing. `.safetensors` suffix -> safetensors layout, anything else -> torch .pt."""
    path = Path(path)
    sd = model_or_state if isinstance(model_or_state, dict) else unwrap(model_or_state).state_dict()
    sd = _half(sd, dtype)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".safetensors":
        write_safetensors(path, sd, {"config": json.dumps(config or {})})
    else:
        _atomic_torch_save({"state_dict": sd, "config": config or {}}, path)
    return path


def load_weights(path: str | Path, model=None, strict: bool = True) -> tuple[dict, dict]:
    """Returns (state_dict, config). With a model, loads into it, casting each tensor to the dtype of
    the model's own parameter (fp16 file -> fp32 model)."""
    path = Path(path)
    if path.suffix == ".safetensors":
        sd, meta = read_safetensors(path)
        config = json.loads(meta.get("config", "{}"))
    else:
        obj = torch.load(path, map_location="cpu")
        # a weights file, or a checkpoint under any name (a copy of ckpt.pt kept aside): its model's state
        key = next((k for k in ("state_dict", "model") if isinstance(obj, dict) and k in obj), None)
        if key is None:
            raise ValueError(f"{path}: neither a weights file (state_dict) nor a checkpoint (model)")
        sd, config = obj[key], obj.get("config", {})
    if model is not None:
        own = unwrap(model).state_dict()
        cast = {k: v.to(own[k].dtype) if k in own else v for k, v in sd.items()}
        unwrap(model).load_state_dict(cast, strict=strict)
    return sd, config


# ---- safetensors layout -------------------------------------------------------------------------

_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64",
           torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL",
           torch.float64: "F64"}
_FROM = {v: k for k, v in _DTYPES.items()}


def _raw_bytes(t: torch.Tensor) -> bytes:
    if t.dtype == torch.bfloat16:  # numpy has no bf16: same bits as int16
        t = t.view(torch.int16)
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<"), copy=False).tobytes()


def write_safetensors(path: str | Path, tensors: dict[str, torch.Tensor], metadata: dict[str, str] | None = None) -> None:
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        raw = _raw_bytes(t)
        header[name] = {"dtype": _DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = metadata
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)  # the format pads the header to 8 bytes
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def read_safetensors(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    data = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, info in header.items():
        dtype = _FROM[info["dtype"]]
        begin, end = info["data_offsets"]
        np_dtype = torch.empty(0, dtype=torch.int16 if dtype == torch.bfloat16 else dtype).numpy().dtype.newbyteorder("<")
        arr = np.frombuffer(data, dtype=np_dtype, count=(end - begin) // np_dtype.itemsize, offset=base + begin)
        t = torch.from_numpy(arr.astype(np_dtype.newbyteorder("="))).reshape(info["shape"])
        out[name] = t.view(torch.bfloat16) if dtype == torch.bfloat16 else t
    return out, meta
