"""Held-out loss of any weights on any packs, scored as training scores its val set.

    python -m tessera_trainer.lm heldout --weights models/default/weights.safetensors \\
        --pack ~/.cache/tessera/packs/lm-starter-f [--pack P2 ...] [--episodes 128] [--classes models/vq]

For each pack: the loss per task over the first --episodes held-out episodes (train.py's split and
evaluate, code targets among the codes), as one JSON line, with the edits' target codes split into
those copied from the source and those the edit changes (edit_copied, edit_changed: nats and top-1). Weights are a weights file, a run's
ckpt.pt (its stable state) or a run folder. With --classes VQ, also the t2i code loss counted by
that VQ's canonical classes (vq/canonical.py: -log of the probability of the target's whole
class). Exact losses of a model trained on raw codes and of one trained on their representatives
measure different things; class losses are closer, though a raw model still reads the exact codes
of the context, and which near-duplicate the encoder chose hints at what is nearby.
"""
import argparse
import json

import numpy as np
import torch
import torch.nn.functional as F

from tessera_trainer.common import runtime

from .batches import edit_changes, fixed_batches
from .config import TASKS, LMConfig
from .model import LM, load_lm
from .pack import Pack, open_packs
from .train import TrainConfig, evaluate, split


@torch.no_grad()
def class_loss(model: LM, pack: Pack, episodes, canonical: torch.Tensor) -> dict:
    """t2i target codes: mean -log p(code) and mean -log p(code's class), nats per code; and the
    class loss split between the page (codes of the image's most common class, its background) and
    everything drawn on it, since the page is nearly free and the average hides what objects cost."""
    cfg = model.cfg
    members = F.one_hot(canonical, cfg.codebook_size).float()  # (code, representative)
    exact, by_class, n = 0.0, 0.0, 0
    page, page_n = 0.0, 0
    for i in episodes:
        ids, loss = pack.episode(int(i))[:2]
        ids = torch.from_numpy(np.asarray(ids, np.int64))[None]
        target = ids[0, 1:]
        is_code = (target >= cfg.image_start) & (target < cfg.image_end) & torch.from_numpy(np.asarray(loss[1:]) > 0)
        logp = F.log_softmax(model(ids[:, :-1])[0][is_code][:, cfg.image_start:cfg.image_end].float(), dim=1)
        code = target[is_code] - cfg.image_start
        exact -= float(logp.gather(1, code[:, None]).sum())
        cls = canonical[code]
        class_nll = -torch.log(logp.exp() @ members + 1e-30).gather(1, cls[:, None])[:, 0]
        by_class += float(class_nll.sum())
        n += len(code)
        if len(code):
            on_page = cls == torch.mode(cls).values
            page += float(class_nll[on_page].sum())
            page_n += int(on_page.sum())
    return {"t2i_codes": n, "t2i_exact": round(exact / max(n, 1), 4), "t2i_by_class": round(by_class / max(n, 1), 4),
            "t2i_page_codes": page_n, "t2i_page": round(page / max(page_n, 1), 4),
            "t2i_drawn": round((by_class - page) / max(n - page_n, 1), 4)}


@torch.no_grad()
def edit_loss(model: LM, pack: Pack, episodes) -> dict:
    """Edit episodes' target codes, teacher-forced, nats per code among the codes: those equal to the
    source's code at the same place (copied) and the others (changed: the edit itself), with top-1
    accuracy. The edit loss averages both and copies are most of it (a median edit copies 86 %)."""
    cfg = model.cfg
    sums = {"copied": [0.0, 0, 0], "changed": [0.0, 0, 0]}
    for i in episodes:
        ids = np.asarray(pack.episode(int(i))[0], np.int64)
        found = edit_changes(ids, cfg)
        if found is None:
            continue
        target, changed = found
        n = cfg.image_tokens
        x = torch.from_numpy(ids[None, :target + n - 1])
        logits = model(x)[0, target - 1:target - 1 + n, cfg.image_start:cfg.image_end].float()
        truth = torch.from_numpy(ids[target:target + n] - cfg.image_start)
        logp = F.log_softmax(logits, dim=1)
        nll = -logp.gather(1, truth[:, None])[:, 0]
        right = logp.argmax(1) == truth
        changed = torch.from_numpy(changed)
        for name, where in (("copied", ~changed), ("changed", changed)):
            sums[name][0] += float(nll[where].sum())
            sums[name][1] += int(right[where].sum())
            sums[name][2] += int(where.sum())
    out = {}
    for name, (nll, right, count) in sums.items():
        out[f"edit_{name}_codes"] = count
        if count:
            out[f"edit_{name}"] = round(nll / count, 4)
            out[f"edit_{name}_top1"] = round(right / count, 4)
    return out


def heldout(model: LM, packs: list[str], episodes: int = 128, canonical: torch.Tensor | None = None,
            split_name: str = "val") -> list[dict]:
    """One row per pack: its held-out losses per task, and with `canonical` (code -> representative)
    the t2i code loss exact and by class. split_name "train" scores as many training episodes instead
    (a fixed random draw): the gap between the two says how much of the loss is memorised data."""
    cfg = model.cfg
    if canonical is not None and len(canonical) != cfg.codebook_size:
        raise ValueError(f"the class map has {len(canonical)} codes, the LM {cfg.codebook_size}")
    tc, rows = TrainConfig(), []
    for spec in packs:
        pack = open_packs(spec, cfg)
        train, val = split(pack, tc.val_fraction)
        if split_name == "train":
            val = np.sort(np.random.default_rng(0).choice(train, min(episodes, len(train)), replace=False))
        else:
            val = val[:episodes]
        row = {"pack": spec, "split": split_name, "episodes": len(val),
               **evaluate(model, fixed_batches(pack, val, tc.batch_tokens, tc.pad_multiple), torch.device("cpu"), code_softmax=True)}
        if canonical is not None:
            row.update(class_loss(model, pack, [i for i in val if TASKS[pack.task[i]] == "t2i"], canonical))
        edits = [i for i in val if TASKS[pack.task[i]] == "edit"]
        if edits:
            row.update(edit_loss(model, pack, edits))
        rows.append(row)
    return rows


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(prog="tessera_trainer.lm heldout", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", required=True, help="weights file, a run's ckpt.pt, or a run folder")
    ap.add_argument("--pack", action="append", required=True, help="a pack (or joined packs A,B: the first one's val); repeatable")
    ap.add_argument("--config", default="models/default/config.json")
    ap.add_argument("--episodes", type=int, default=TrainConfig().eval_episodes, help="held-out episodes per pack (training's val count)")
    ap.add_argument("--classes", help="VQ folder whose canonical classes score t2i codes too")
    ap.add_argument("--split", choices=("val", "train"), default="val",
                    help="score held-out episodes (val) or a fixed draw of training ones (train), to see memorisation")
    args = ap.parse_args(argv)
    runtime.set_threads()
    canonical = None
    if args.classes:
        from tessera_trainer.vq import load_vq
        canonical = load_vq(args.classes).quantizer.canonical
    for row in heldout(load_lm(LMConfig.load(args.config), args.weights), args.pack, args.episodes, canonical, args.split):
        print(json.dumps(row), flush=True)
