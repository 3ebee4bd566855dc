"""The VQ image tokenizer: 128x128 RGB <-> 16x16 codes from a 1024-entry codebook.

    from tessera_trainer.vq import load_vq
    vq = load_vq("models/vq")                 # or a run folder (ckpt.pt), or a weights file
    codes = vq.encode(x)                      # x (N, 3, 128, 128) in [-1, 1] -> (N, 16, 16) int64
    x_hat = vq.decode(codes)                  # -> (N, 3, 128, 128) in [-1, 1]
"""
from pathlib import Path

import tessera_trainer.common  # noqa: F401  (sets OMP_WAIT_POLICY before torch loads)
import torch

WEIGHT_NAMES = ("weights.pt", "weights.safetensors", "ckpt.pt")


def find_weights(path: str | Path) -> Path:
    path = Path(path).expanduser()
    if path.is_file():
        return path
    for name in WEIGHT_NAMES:
        if (path / name).exists():
            return path / name
    raise FileNotFoundError(f"no VQ weights ({', '.join(WEIGHT_NAMES)}) in {path}")


def load_vq(path: str | Path, device="cpu"):
    """A VQModel in eval mode from models/vq, a run folder or a weights/checkpoint file."""
    from tessera_trainer.common.checkpoint import load_weights

    from .config import model_config
    from .model import VQModel

    file = find_weights(path)
    if file.name.startswith("ckpt"):
        ckpt = torch.load(file, map_location="cpu")
        model = VQModel(model_config(ckpt["config"]["model"]))
        model.load_state_dict(ckpt["model"])
    else:
        _, config = load_weights(file)
        model = VQModel(model_config(config.get("model", config)))
        load_weights(file, model)
    return model.to(device).eval()
