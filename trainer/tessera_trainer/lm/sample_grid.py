"""The periodic sample grid of a training run: a fixed set of held-out t2i episodes, their truth
above what the model draws for their prompts, so that a run's progress can be seen, not only read
from its losses. The grid draws the weights that would ship (`grid_model`).

The same sheet for any weights, as the model card shows it (the run's episodes, the model's
sampling.json settings):

    python -m tessera_trainer.lm sample-grid --weights models/default/weights.safetensors \
        --pack ~/.cache/tessera/packs/lm-starter-f --out models/default/samples-step-N.png
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch

from tessera_trainer.common.checkpoint import unwrap

from .config import TASKS
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


def grid_episodes(pack: Pack, held_out, count: int) -> list[int]:
    """The first `count` t2i episodes among the pack's held-out ones: every grid of a run, and the
    card's, draw these."""
    return [int(i) for i in held_out if TASKS[pack.task[i]] == "t2i"][:count]


def sampling_settings(path: Path) -> tuple[float, float]:
    """(guidance, temperature) of a model's sampling.json image settings, the engine's defaults
    (3, 1) where it names none."""
    image = json.loads(Path(path).read_text()).get("image", {}) if Path(path).exists() else {}
    return float(image.get("cfg", 3)), float(image.get("temperature", 1))


def main(argv: list[str]) -> None:
    from tessera_trainer.common import runtime

    from .codec import load_codec
    from .config import LMConfig
    from .model import load_lm
    from .pack import open_packs
    from .train import TrainConfig, split
    ap = argparse.ArgumentParser(prog="tessera_trainer.lm sample-grid", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", required=True, help="weights file, a run's ckpt.pt, or a run folder")
    ap.add_argument("--pack", required=True, help="the pack whose held-out t2i episodes are drawn (a run's first pack)")
    ap.add_argument("--config", default="models/default/config.json")
    ap.add_argument("--vq", default="models/vq", help="VQ folder that decodes the codes")
    ap.add_argument("--sampling", default="models/default/sampling.json", help="guidance and temperature, as the engine reads them")
    ap.add_argument("--samples", type=int, default=TrainConfig().samples, help="episodes (columns)")
    ap.add_argument("--out", required=True, help="PNG to write")
    args = ap.parse_args(argv)
    runtime.set_threads()
    cfg = LMConfig.load(args.config)
    pack = open_packs(args.pack, cfg)
    episodes = grid_episodes(pack, split(pack, TrainConfig().val_fraction)[1], args.samples)
    if not episodes:
        raise SystemExit(f"{args.pack} holds no held-out t2i episode to draw")
    cfg_scale, temperature = sampling_settings(Path(args.sampling))
    result = sample_grid(load_lm(cfg, args.weights), pack, episodes, load_codec(args.vq), cfg_scale, temperature, Path(args.out))
    print(json.dumps({"out": args.out, "episodes": episodes, "cfg": cfg_scale, "temperature": temperature, **result}), flush=True)
