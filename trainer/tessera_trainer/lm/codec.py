"""The image tokenizer as the LM sees it: images in, integer codes out, and back.

    codec = load_codec("models/vq")             # the trained VQ (tessera_trainer.vq), imported lazily
    codes = codec.encode(x)                      # x (N, 3, 128, 128) in [-1, 1] -> (N, 16, 16) int
    x_hat = codec.decode(codes)                  # -> (N, 3, 128, 128) in [-1, 1]
    codec.cfg.codebook_size                      # K

Only integer codes cross from the VQ to the transformer, so anything with these three members works;
tests pass a stub. The VQ package is imported only here, and only when a codec is actually loaded.
"""
from pathlib import Path

import torch

WEIGHT_NAMES = ("weights.safetensors", "weights.pt", "ckpt.pt")


def load_codec(path: str | Path, device="cpu"):
    """A VQModel from a folder (models/vq: weights.safetensors or weights.pt, else a run's ckpt.pt) or a
    weights file. The VQ's own loader is used when its package provides one."""
    from tessera_trainer import vq  # lazily: the LM trains without the VQ package when no images are needed

    loader = getattr(vq, "load_vq", None) or getattr(vq, "load_model", None)
    if loader is not None:
        model = loader(path)
    else:
        from tessera_trainer.common.checkpoint import load_checkpoint, load_weights
        from tessera_trainer.vq.config import model_config
        from tessera_trainer.vq.model import VQModel

        path = Path(path)
        file = next((path / n for n in WEIGHT_NAMES if (path / n).exists()), None) if path.is_dir() else path
        if file is None:
            raise FileNotFoundError(f"no VQ weights ({', '.join(WEIGHT_NAMES)}) in {path}")
        if file.name == "ckpt.pt":
            ckpt = torch.load(file, map_location="cpu")
            model = VQModel(model_config(ckpt["config"].get("model", ckpt["config"])))
            load_checkpoint(file, model)
        else:
            _, config = load_weights(file)
            model = VQModel(model_config(config.get("model", config)))
            load_weights(file, model)
    return model.to(device).eval()


def codebook_size(codec) -> int:
    cfg = getattr(codec, "cfg", None)
    return int(getattr(cfg, "codebook_size", None) or getattr(codec, "codebook_size"))
