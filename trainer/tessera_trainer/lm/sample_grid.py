"""The periodic sample grid of a training run: a fixed set of held-out t2i episodes, their truth
above what the model draws for their prompts, so that a run's progress can be seen, not only read
from its losses. The grid draws the weights that would ship (`grid_model`)."""
from pathlib import Path

import numpy as np
import torch

from tessera_trainer.common.checkpoint import unwrap

from .pack import Pack
from .weight_average import WeightAverages, best_average


def sample_grid(model, pack: Pack, episodes, codec, cfg_scale: float, temperature: float, path: Path) -> dict:
    """Truth (top row) above t2i samples (bottom row) for a fixed set of episodes, drawn with guidance
    `cfg_scale` at `temperature` (the run's --cfg-scale and --sample-temperature)."""
    from PIL import Image

    from tessera_trainer.data import to_uint8

    from .sample import SamplingConfig, generate_images
    m = unwrap(model)
    was_training = m.training
    m.eval()
    prompts = [pack.prompt(int(i)) for i in episodes]
    uncond = [pack.prompt(int(i), drop=True) for i in episodes]
    codes, tok_s = generate_images(m, prompts, uncond, SamplingConfig(cfg_scale=cfg_scale, temperature=temperature, top_k=0, seed=0))
    m.train(was_training)
    grid = m.cfg.image_grid
    truth = torch.tensor(np.stack([pack.image_codes(int(i)) for i in episodes]).astype(np.int64))
    device = next((p.device for p in codec.parameters()), torch.device("cpu"))
    with torch.no_grad():
        pixels = [to_uint8(codec.decode(c.view(-1, *grid).to(device))) for c in (truth, codes)]
    h, w = pixels[0].shape[1:3]
    sheet = Image.new("RGB", (w * len(episodes), h * 2), "white")
    for row, imgs in enumerate(pixels):
        for col, img in enumerate(imgs):
            sheet.paste(Image.fromarray(img), (col * w, row * h))
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)
    return {"sample_tok_s": round(tok_s, 1)}


def grid_model(raw_model, averages: WeightAverages, val_losses: dict[str, float]):
    """What the sample grids draw: the average the last val scored lowest (what `lm-export` ships,
    `best_average_file`), the first average before any val, or the trained weights when the run keeps
    no average."""
    decay = best_average(averages, val_losses)
    return raw_model if decay is None else averages.model(decay)
