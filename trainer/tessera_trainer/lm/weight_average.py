"""Exponential moving averages of a model's weights, kept beside training.

A session ends with a learning-rate cooldown because the weights at a constant lr are noisy: the
cooled weights score better, but the next session resumes from the stable state saved before the
cooldown, so the cooldown's steps (15 % of a session) never reach the run that continues. An average
of the stable iterates removes much of the same noise without leaving the stable branch: every step
counts for the run, and the average is what gets exported.

    averages = WeightAverages(model, [0.998, 0.999])   # one copy of the weights per decay, fp32
    averages.update(model)                              # after each optimizer step
    averages.model(0.998)                               # an LM holding that average (to evaluate or save)

Horizon: an average with decay d weighs the last ~1 / (1 - d) steps (0.998: ~500). Only the weights
are averaged; buffers are copied. Under DDP every rank builds them after DDP has broadcast rank 0's
weights, so the ranks' averages are equal, and each scores its share of the val batches.
"""
import copy
import json
from pathlib import Path

import torch


def parse_decays(text: str) -> list[float]:
    """"0.998,0.999" -> [0.998, 0.999]; empty -> []. Each decay must lie in [0, 1)."""
    decays = [float(part) for part in text.split(",") if part.strip()]
    for d in decays:
        if not 0.0 <= d < 1.0:
            raise ValueError(f"weight-average decay {d} is outside [0, 1): 0.999 averages ~1,000 steps")
    if len(set(decays)) != len(decays):
        raise ValueError(f"weight-average decays repeat: {text}")
    return decays


def decay_name(decay: float) -> str:
    """The decay as file names and log keys spell it: 0.998 -> "0.998"."""
    return f"{decay:g}"


class WeightAverages:
    def __init__(self, model: torch.nn.Module, decays: list[float]):
        self.decays = list(decays)
        self.models = {d: self._copy(model) for d in self.decays}

    @staticmethod
    def _copy(model: torch.nn.Module) -> torch.nn.Module:
        twin = copy.deepcopy(model).float()
        twin.requires_grad_(False)
        twin.eval()
        return twin

    def model(self, decay: float) -> torch.nn.Module:
        return self.models[decay]

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        params = [p.detach().float() for p in model.parameters()]
        for decay, twin in self.models.items():
            averaged = list(twin.parameters())
            torch._foreach_mul_(averaged, decay)
            torch._foreach_add_(averaged, params, alpha=1.0 - decay)

    def state_dict(self) -> dict:
        """{decay name: the average's state dict}, for the checkpoint."""
        return {decay_name(d): twin.state_dict() for d, twin in self.models.items()}

    def load_state_dict(self, state: dict) -> list[float]:
        """Restores the averages the checkpoint holds and returns their decays. A decay it lacks starts
        from the saved average of the nearest decay (a longer horizon added to a running run would
        otherwise begin at the noisy stable weights, and 0.9995 needs ~2,000 steps to forget them);
        with no saved average at all it keeps the weights it was built from."""
        saved = {float(name): twin_state for name, twin_state in state.items()}
        restored = []
        for d, twin in self.models.items():
            if d in saved:
                twin.load_state_dict(saved[d])
                restored.append(d)
            elif saved:
                twin.load_state_dict(saved[min(saved, key=lambda s: abs(s - d))])
        return restored


def average_val_losses(record: dict) -> dict[str, float]:
    """{decay name: val loss} of the averages one val record scored (its avg<decay>_val_loss keys)."""
    return {k[len("avg"):-len("_val_loss")]: v for k, v in record.items() if k.startswith("avg") and k.endswith("_val_loss")}


def last_average_val_losses(run: Path) -> dict[str, float]:
    """The averages' val losses from the last val in RUN/log.jsonl that scored any ({} if none): a
    decay the run has since dropped cannot win on an old score."""
    log = Path(run) / "log.jsonl"
    last: dict[str, float] = {}
    if log.exists():
        for line in log.read_text().splitlines():
            scores = average_val_losses(json.loads(line)) if line.strip() else {}
            if scores:
                last = scores
    return last


def lowest_scored(candidates, val_losses: dict[str, float], name=str):
    """The candidate whose val loss (found under name(candidate)) is lowest; None if none was scored.
    The one rule behind what `lm-export` ships and what the sample grids draw."""
    scored = [c for c in candidates if name(c) in val_losses]
    return min(scored, key=lambda c: val_losses[name(c)]) if scored else None


def average_file(run: Path, name: str) -> Path:
    """RUN/weights-avg<decay name>.safetensors: where a run writes an average and lm-export finds it."""
    return Path(run) / f"weights-avg{name}.safetensors"


def best_average_file(run: Path) -> Path | None:
    """RUN/weights-avg<decay>.safetensors of the average the run's last val scored lowest (None if the
    run logged none, or has no such file): what `lm-export` exports."""
    last = last_average_val_losses(run)
    best = lowest_scored([name for name in last if average_file(run, name).exists()], last)
    return None if best is None else average_file(run, best)


def best_average(averages: WeightAverages, val_losses: dict[str, float]) -> float | None:
    """The decay of the average these val losses put lowest, among those `averages` keeps; the first
    decay when none of them was scored yet; None when it keeps none."""
    best = lowest_scored(averages.decays, val_losses, decay_name)
    if best is not None:
        return best
    return averages.decays[0] if averages.decays else None
