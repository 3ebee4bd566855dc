"""Training batches from a pack: task-weighted sampling, condition dropout, and token-budget batches.

Episodes vary from ~40 tokens (i2t) to ~800 (multiturn edits). Each batch is drawn like this:
a pool of `pool` episodes is sampled (task by weight, then uniformly within the task), sorted by
length and cut into batches whose padded size B x L stays within `batch_tokens`; the batches are then
shuffled. Neighbours in length share a batch, so right-padding wastes only a few percent and no
attention mask is needed (pads come after every real token, and causal attention never looks ahead).

    sampler = BatchSampler(pack, indices, TaskMix.parse("t2i=2,i2t=1"), batch_tokens=8192, seed=rank)
    x, y, mask, task = sampler.next()   # (B, L) int64 inputs, targets, float loss weights; (B,) task index

The loss mask is a weight per target: 1 on target segments. With `context_image_loss` w > 0 the image
codes an episode only reads (an i2t image, an edit's or restyle's source) are targets too, at weight
w: they are 28 % of the tokens of the default task mix and carried no loss (measured on the 60k pack).
With `edit_change_weight` c != 1 an edit's target codes that differ from its source's code at the same
place weigh c: a median edit copies 86 % of its codes, which the model had learned (0.03 nats each on
held-out edits at step 48,266) while the codes it changes, the edit itself, cost 0.6.
"""
import numpy as np
import torch

from .config import TASKS
from .pack import Pack


class TaskMix:
    """Relative sampling weight per task. Empty spec = natural mix (each episode equally likely)."""

    def __init__(self, weights: dict[str, float] | None):
        self.weights = weights
        for task in weights or {}:
            if task not in TASKS:
                raise ValueError(f"unknown task {task!r} in task mix; tasks: {', '.join(TASKS)}")

    @classmethod
    def parse(cls, spec: str) -> "TaskMix":
        """'t2i=2,i2t=1' -> weights; tasks not named get weight 0."""
        if not spec:
            return cls(None)
        pairs = [p.split("=") for p in spec.split(",") if p.strip()]
        return cls({k.strip(): float(v) for k, v in pairs})

    def probabilities(self, task_of: np.ndarray) -> np.ndarray:
        """Per-episode sampling probability for episodes with task indices `task_of`."""
        counts = np.bincount(task_of, minlength=len(TASKS)).astype(np.float64)
        if self.weights is None:
            per_task = counts
        else:
            per_task = np.array([self.weights.get(t, 0.0) for t in TASKS]) * (counts > 0)
        if per_task.sum() <= 0:
            raise ValueError(f"task mix {self.weights} selects no episode of this pack")
        p = (per_task / per_task.sum())[task_of] / np.maximum(counts[task_of], 1)
        return p / p.sum()


def collate(rows: list[tuple[np.ndarray, np.ndarray]], pad_id: int, pad_multiple: int = 16):
    """[(ids (L_i,), loss (L_i,))] -> x, y (B, L) int64, mask (B, L) float32, right-padded.
    Position t predicts ids[t + 1]; it counts when that target token carries loss."""
    L = max(len(ids) for ids, _ in rows) - 1
    L = -(-L // pad_multiple) * pad_multiple
    x = np.full((len(rows), L), pad_id, np.int64)
    y = np.full((len(rows), L), pad_id, np.int64)
    mask = np.zeros((len(rows), L), np.float32)
    for b, (ids, loss) in enumerate(rows):
        n = len(ids) - 1
        x[b, :n], y[b, :n], mask[b, :n] = ids[:-1], ids[1:], loss[1:]
    return torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(mask)


def edit_changes(ids: np.ndarray, cfg) -> tuple[int, np.ndarray] | None:
    """An edit's target image: where its codes start in `ids` (its last image), and which of them differ
    from the source's (its first image) at the same place; None for ids without two images."""
    slots = np.flatnonzero(ids == cfg.boi)
    if len(slots) < 2:
        return None
    n = cfg.image_tokens
    source, target = slots[0] + 1, slots[-1] + 1
    return int(target), ids[target:target + n] != ids[source:source + n]


def weigh_changes(ids: np.ndarray, loss: np.ndarray, cfg, weight: float) -> tuple[np.ndarray, np.ndarray]:
    """An edit's (ids, loss) -> (ids, float weights): its target codes that differ from its source's at
    the same place weigh `weight`, every other target 1."""
    weights = np.asarray(loss, np.float32).copy()
    found = edit_changes(ids, cfg)
    if found is not None:
        target, changed = found
        weights[np.flatnonzero(changed) + target] *= weight
    return ids, weights


class BatchSampler:
    def __init__(self, pack: Pack, indices: np.ndarray, mix: TaskMix, batch_tokens: int, cond_dropout: float = 0.1,
                 seed: int = 0, pool: int = 2048, pad_multiple: int = 16, context_image_loss: float = 0.0,
                 edit_change_weight: float = 1.0):
        self.pack, self.indices = pack, np.asarray(indices)
        self.context_image_loss = context_image_loss
        self.edit_change_weight = edit_change_weight
        self.p = mix.probabilities(pack.task[self.indices])
        self.batch_tokens, self.cond_dropout = batch_tokens, cond_dropout
        self.pool, self.pad_multiple = pool, pad_multiple
        self.rng = np.random.default_rng(seed)
        self.queue: list[np.ndarray] = []

    def _refill(self) -> None:
        chosen = self.indices[self.rng.choice(len(self.indices), size=self.pool, p=self.p)]
        chosen = chosen[np.argsort(self.pack.lengths[chosen], kind="stable")]
        batches, start = [], 0
        while start < len(chosen):
            end = start + 1  # the sorted order makes the last row the longest
            while end < len(chosen) and (end - start + 1) * self._padded(chosen[end]) <= self.batch_tokens:
                end += 1
            batches.append(chosen[start:end])
            start = end
        self.rng.shuffle(batches)
        self.queue = batches

    def _padded(self, i: int) -> int:
        return -(-(int(self.pack.lengths[i]) - 1) // self.pad_multiple) * self.pad_multiple

    def next(self):
        """x, y (B, L) int64; mask (B, L) float32; task (B,) int64 (index in TASKS)."""
        if not self.queue:
            self._refill()
        batch = self.queue.pop()
        drop = self.rng.random(len(batch)) < self.cond_dropout
        rows = [self.pack.episode(int(i), drop=bool(d))[:2] for i, d in zip(batch, drop)]
        if self.edit_change_weight != 1.0:
            edit = TASKS.index("edit")
            rows = [weigh_changes(ids, loss, self.pack.cfg, self.edit_change_weight) if self.pack.task[i] == edit else (ids, loss)
                    for (ids, loss), i in zip(rows, batch)]
        x, y, mask = collate(rows, self.pack.cfg.pad, self.pad_multiple)
        if self.context_image_loss > 0:
            cfg = self.pack.cfg
            context_code = (mask == 0) & (y >= cfg.image_start) & (y < cfg.image_end)
            mask = mask + self.context_image_loss * context_code.float()
        return x, y, mask, torch.from_numpy(self.pack.task[batch].astype(np.int64))

    def state(self) -> dict:
        return {"rng": self.rng.bit_generator.state}

    def load_state(self, state: dict) -> None:
        self.rng.bit_generator.state = state["rng"]
        self.queue = []


def fixed_batches(pack: Pack, indices: np.ndarray, batch_tokens: int, pad_multiple: int = 16):
    """Deterministic batches over `indices` (no dropout): the validation set."""
    order = np.asarray(indices)[np.argsort(pack.lengths[indices], kind="stable")]
    out, start = [], 0
    while start < len(order):
        end = start + 1
        while end < len(order) and (end - start + 1) * int(pack.lengths[order[end]]) <= batch_tokens:
            end += 1
        rows = [pack.episode(int(i))[:2] for i in order[start:end]]
        out.append((*collate(rows, pack.cfg.pad, pad_multiple), torch.from_numpy(pack.task[order[start:end]].astype(np.int64))))
        start = end
    return out
