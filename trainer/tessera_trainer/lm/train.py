"""Trains the multimodal LM on an episode pack.

    python -m tessera_trainer.lm train --pack PACK --config config.json --out RUN [--minutes M] [--steps N]
                                       [--resume] [--init-weights W] [--vq models/vq] [--lr 2e-3 ...]
    torchrun --nproc_per_node 8 -m tessera_trainer.lm train ...       # DDP: nccl on CUDA, gloo on CPU

--minutes and --steps bound this session (not the run); --resume continues RUN/ckpt.pt with its
optimizer, step, sampler state and training config (flags given again override it).

Schedule: linear warmup, then cosine from lr to lr * min_lr_frac over `decay_steps` global steps,
then flat at the floor. The schedule is a function of the global step only, so a run split over many
sessions follows one curve. decay_steps = 0 keeps lr constant after warmup: the choice when the total
length is unknown. --cooldown F then ends a session the warmup-stable-decay way: over the last
fraction F of the session (of --minutes, else of --steps) lr falls linearly to lr * min_lr_frac.
ckpt.pt keeps the state from before the cooldown (the stable branch the next session continues);
weights.safetensors gets the cooled weights. --weight-averages 0.998,0.999 keeps moving averages of
the weights beside training (weight_average.py): ckpt.pt carries them, the periodic val scores them
(avg<decay>_val_*, plotted beside the loss per task), and the session writes each to
weights-avg<decay>.safetensors. An average of the stable weights scores under the cooled ones
(BENCHMARKS.md, "Moving averages"), and the default model's script exports one, with no cooldown.

RUN/: log.jsonl (loss per task, lr, tokens/s), loss.png, ckpt.pt, weights.safetensors (fp16), weights-avg*.safetensors,
train_config.json, samples/*.png (t2i grids, sample_grid.py: truth above, samples below, drawn by the weight average
the last val scored lowest when the run keeps any, else by the trained weights; needs the VQ decoder).
"""
import argparse
import json
import math
import os
import time
import zlib
from dataclasses import asdict, dataclass, fields
from datetime import timedelta
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from tessera_trainer.common import runtime
from tessera_trainer.common.checkpoint import has_checkpoint, load_checkpoint, load_weights, save_checkpoint, save_weights, unwrap
from tessera_trainer.common.logbook import Logbook
from tessera_trainer.common.stop_request import StopRequest

from .batches import BatchSampler, TaskMix, fixed_batches
from .config import TASKS, LMConfig
from .model import LM
from .pack import Pack, open_packs
from .sample_grid import grid_episodes, grid_model, sample_grid
from .weight_average import WeightAverages, average_file, average_val_losses, decay_name, last_average_val_losses, parse_decays


@dataclass
class TrainConfig:
    lr: float = 2e-3                # peak; small models take a high lr
    min_lr_frac: float = 0.1        # cosine floor as a fraction of lr
    warmup_steps: int = 200
    decay_steps: int = 0            # cosine length in global steps after warmup; 0 = constant
    weight_decay: float = 0.1       # on matrices (embeddings included), not on norm gains
    beta1: float = 0.9
    beta2: float = 0.95
    grad_clip: float = 1.0
    batch_tokens: int = 8192        # per rank per step, padding included
    pad_multiple: int = 16          # rows padded to a multiple of this (fewer shapes for torch.compile)
    cond_dropout: float = 0.1       # episodes trained without their `drop` pieces (CFG's unconditional)
    context_image_loss: float = 0.0 # loss weight on image codes an episode only reads (0: targets only; batches.py)
    edit_change_weight: float = 1.0 # loss weight on the target codes an edit changes (1: as every target; batches.py)
    code_softmax: bool = False      # image-code targets scored among the codes alone (token_losses; val too)
    task_mix: str = ""              # e.g. "t2i=2,i2t=1,edit=1"; empty = natural frequencies
    weight_averages: str = ""       # EMA decays of the weights kept beside training, e.g. "0.998,0.999"; empty = none
    val_fraction: float = 0.01      # samples held out (by key hash) for val loss and sample grids
    eval_episodes: int = 128
    eval_every_min: float = 10.0
    ckpt_every_min: float = 10.0
    sample_every_min: float = 30.0
    samples: int = 8                # t2i images per grid
    cfg_scale: float = 3.0          # guidance for the grids
    sample_temperature: float = 1.0 # temperature for the grids (the script passes the model's sampling.json)
    log_every: int = 10             # steps
    compile: bool = False           # torch.compile (CUDA only)
    seed: int = 1337


def lr_at(step: int, tc: TrainConfig) -> float:
    if step < tc.warmup_steps:
        return tc.lr * (step + 1) / tc.warmup_steps
    if tc.decay_steps <= 0:
        return tc.lr
    t = min(1.0, (step - tc.warmup_steps) / tc.decay_steps)
    floor = tc.lr * tc.min_lr_frac
    return floor + 0.5 * (1 + math.cos(math.pi * t)) * (tc.lr - floor)


def cooldown_factor(progress: float, cooldown: float, min_lr_frac: float) -> float:
    """lr multiplier at `progress` (0..1) through a session whose last `cooldown` fraction decays."""
    if cooldown <= 0 or progress < 1 - cooldown:
        return 1.0
    t = min(1.0, (progress - (1 - cooldown)) / cooldown)
    return 1.0 - t * (1.0 - min_lr_frac)


def session_progress(args, session_steps: int, elapsed: float) -> float:
    """How far through its budget this session is: the larger of the step and the clock fraction."""
    parts = []
    if args.steps:
        parts.append(session_steps / args.steps)
    if args.minutes:
        parts.append(elapsed / (args.minutes * 60))
    return max(parts, default=0.0)


def split(pack: Pack, val_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """(train, val) episode indices; a sample's episodes stay together (they share images)."""
    held = np.array([zlib.crc32(k.encode()) % 100_000 < val_fraction * 100_000 for k in pack.keys], dtype=bool)
    is_val = held[pack.episodes[:, 5]] if len(held) else np.zeros(len(pack), bool)
    train, val = np.flatnonzero(~is_val), np.flatnonzero(is_val)
    return (train, val) if len(train) else (val, val)


def token_losses(model, x, y, mask, code_softmax: bool = False):
    """Per-row weighted loss sums and weight sums: (B,), (B,), for mask = per-target weights (1 on
    target segments). Logits are computed for weighted positions only. With `code_softmax`, a target
    that is an image code is scored among the image codes alone: inside an image the engine samples
    from those and nothing else, and the head then costs a fifth as much at such positions."""
    select = mask > 0
    targets = y[select]  # (N,)
    if code_softmax:
        cfg = unwrap(model).cfg
        is_code = (targets >= cfg.image_start) & (targets < cfg.image_end)
        other, codes = model(x, select=select, code_rows=is_code)  # (N - Nc, V), (Nc, K)
        ce = torch.zeros(targets.shape, device=x.device)
        ce[~is_code] = F.cross_entropy(other.float(), targets[~is_code], reduction="none")
        ce[is_code] = F.cross_entropy(codes.float(), targets[is_code] - cfg.image_start, reduction="none")
    else:
        ce = F.cross_entropy(model(x, select=select).float(), targets, reduction="none")  # (N,)
    ce = ce * mask[select]
    rows = select.nonzero()[:, 0]
    return torch.zeros(x.shape[0], device=x.device).index_add_(0, rows, ce), mask.sum(1)


def per_task(sums, counts, task) -> tuple[torch.Tensor, torch.Tensor]:
    """Row sums -> (len(TASKS),) loss sums and token counts."""
    s = torch.zeros(len(TASKS), device=sums.device).index_add_(0, task, sums.detach().float())
    c = torch.zeros(len(TASKS), device=sums.device).index_add_(0, task, counts.float())
    return s, c


@torch.no_grad()
def evaluate(model, batches, device, code_softmax: bool = False, rank: int = 0, world: int = 1) -> dict:
    """Loss per task over `batches`. Under DDP every rank calls it with the same batches and scores
    every world-th one (the sums are all-reduced), so that val takes 1/world of the time. The model is
    left in the mode it came in (an average stays in eval mode)."""
    was_training = model.training
    model.eval()
    s_all, c_all = torch.zeros(len(TASKS), device=device), torch.zeros(len(TASKS), device=device)
    for x, y, mask, task in batches[rank::world]:
        with runtime.autocast(device):
            sums, counts = token_losses(model, x.to(device), y.to(device), mask.to(device), code_softmax)
        s, c = per_task(sums, counts, task.to(device))
        s_all += s
        c_all += c
    if world > 1:
        dist.all_reduce(s_all)
        dist.all_reduce(c_all)
    model.train(was_training)
    out = {f"val_{t}": round(float(s_all[i] / c_all[i]), 4) for i, t in enumerate(TASKS) if c_all[i] > 0}
    if c_all.sum() > 0:
        out["val_loss"] = round(float(s_all.sum() / c_all.sum()), 4)
    return out


def evaluate_with_averages(model, averages: WeightAverages, batches, device, tc: TrainConfig, rank: int = 0, world: int = 1) -> dict:
    """The val losses of the weights (val_*) and of each of their averages (avg<decay>_val_*)."""
    scores = evaluate(model, batches, device, tc.code_softmax, rank, world)
    for d in averages.decays:
        scores.update({f"avg{decay_name(d)}_{k}": v for k, v in evaluate(averages.model(d), batches, device, tc.code_softmax, rank, world).items()})
    return scores


def ddp_setup(device_pref: str) -> tuple[int, int, torch.device]:
    """(rank, world size, device); a plain single process unless launched by torchrun."""
    if "RANK" not in os.environ:
        return 0, 1, runtime.pick_device(device_pref)
    cuda = torch.cuda.is_available() and device_pref != "cpu"
    # Collectives whose peer rank died fail after this long instead of torch's 30 minutes; tests set it
    # short. (It does not cover a MASTER_PORT held by another program: torch 1.13's store client then
    # waits forever, so launchers pick a port the system has just handed out.)
    timeout = timedelta(seconds=float(os.environ.get("TESSERA_DIST_TIMEOUT_S", 1800)))
    dist.init_process_group("nccl" if cuda else "gloo", timeout=timeout)
    local = int(os.environ.get("LOCAL_RANK", 0))
    if cuda:
        torch.cuda.set_device(local)
    return dist.get_rank(), dist.get_world_size(), torch.device(f"cuda:{local}" if cuda else "cpu")


def load_codec_or_none(path):
    if not path:
        return None
    try:
        from .codec import load_codec
        return load_codec(path)
    except Exception as e:  # noqa: BLE001: sample grids are optional, training is not
        print(f"[train] no VQ decoder ({type(e).__name__}: {e}); sample grids skipped", flush=True)
        return None


def train(args, tc: TrainConfig, codec=None) -> dict:
    """args: the run flags (see parse); codec: an image codec for sample grids, else loaded from --vq."""
    runtime.stack_dumps_on_sigusr1()
    rank, world, device = ddp_setup(args.device)
    runtime.set_threads(int(os.environ.get("TESSERA_THREADS", 0)) or max(1, (os.cpu_count() or 1) // world))
    runtime.seed_everything(tc.seed + rank)
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
    out = Path(args.out)
    cfg = LMConfig.load(args.config)
    pack = open_packs(args.pack, cfg)
    train_idx, val_idx = split(pack, tc.val_fraction)

    model = LM(cfg).to(device)
    optimizer = model.configure_optimizer(tc.lr, tc.weight_decay, (tc.beta1, tc.beta2), fused=device.type == "cuda" and hasattr(torch, "compile"))
    sampler = BatchSampler(pack, train_idx, TaskMix.parse(tc.task_mix), tc.batch_tokens, tc.cond_dropout,
                           seed=tc.seed * 1000 + rank, pad_multiple=tc.pad_multiple, context_image_loss=tc.context_image_loss,
                           edit_change_weight=tc.edit_change_weight)
    step, tokens_seen, extra = 0, 0, {}
    if args.resume and has_checkpoint(out):
        ckpt = load_checkpoint(out, model, optimizer, map_location=device)
        step, extra = ckpt["step"], ckpt["extra"]
        tokens_seen = extra.get("tokens_seen", 0)
        if "sampler" in extra and rank < len(extra["sampler"]):
            sampler.load_state(extra["sampler"][rank])
    elif args.init_weights:
        load_weights(args.init_weights, model)
    raw_model = model
    main_rank = rank == 0
    if tc.compile and device.type == "cuda" and hasattr(torch, "compile"):
        model = torch.compile(model, dynamic=True)
    if world > 1:
        model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    # After DDP has given every rank rank 0's weights: the ranks' averages start equal and stay equal
    # (every step updates them with equal weights), and each rank keeps them to score its share of val.
    averages = WeightAverages(raw_model, parse_decays(tc.weight_averages))
    averages.load_state_dict(extra.get("weight_averages", {}))

    book = Logbook(out) if main_rank else None
    if main_rank:
        (out / "train_config.json").write_text(json.dumps(asdict(tc), indent=2) + "\n")
        print(f"[train] {raw_model.num_params() / 1e6:.2f}M params, {len(train_idx)} train / {len(val_idx)} val episodes, "
              f"world {world} on {device}{' (bf16 autocast)' if device.type == 'cpu' and runtime.cpu_bf16() else ''}, step {step}", flush=True)
    val_batches = fixed_batches(pack, val_idx[:tc.eval_episodes], tc.batch_tokens, tc.pad_multiple)
    if codec is None and main_rank and tc.samples > 0:
        codec = load_codec_or_none(args.vq or pack.info.get("sources", {}).get("vq"))
    grid_eps = grid_episodes(pack, val_idx, tc.samples) if codec is not None and main_rank else []
    # The averages' last val losses pick the one the grids draw; a resumed run starts from its log's.
    val_losses = last_average_val_losses(out) if main_rank else {}

    started = time.time()
    last = {"log": started, "eval": started, "ckpt": started, "sample": started}
    loss_sum, loss_cnt = torch.zeros(len(TASKS), device=device), torch.zeros(len(TASKS), device=device)
    interval_tokens, interval_padded, session_steps = 0, 0, 0
    flags = torch.zeros(4, device=device)  # [stop, checkpoint now, progress, val now]: rank 0's clock decides for every rank
    cooling = False  # inside this session's cooldown: ckpt.pt stays the stable state from before it

    def save():
        states = [sampler.state()]
        if world > 1:
            states = [None] * world
            dist.all_gather_object(states, sampler.state())
        if main_rank:
            save_checkpoint(out, raw_model, optimizer, step, cfg.raw, train=asdict(tc), tokens_seen=tokens_seen, sampler=states,
                            weight_averages=averages.state_dict())

    model.train()
    # SIGTERM / Ctrl-C on any rank: every rank stops at the same step and the run saves as if its time were up.
    stop_request = StopRequest.install()
    while True:
        now = time.time()
        stop = (args.steps is not None and session_steps >= args.steps) or (args.minutes is not None and now - started >= args.minutes * 60)
        ckpt_due = now - last["ckpt"] >= tc.ckpt_every_min * 60
        eval_due = bool(val_batches) and now - last["eval"] >= tc.eval_every_min * 60
        progress = session_progress(args, session_steps, now - started)
        if world > 1:
            flags[0], flags[1], flags[2] = float((stop and main_rank) or stop_request.requested), float(ckpt_due and main_rank), progress if main_rank else 0.0
            flags[3] = float(eval_due and main_rank)
            dist.all_reduce(flags, op=dist.ReduceOp.MAX)
            stop, ckpt_due, progress, eval_due = bool(flags[0] > 0), bool(flags[1] > 0), float(flags[2]), bool(flags[3] > 0)
        else:
            stop = stop or stop_request.requested
        if stop:
            break
        if eval_due:
            scores = evaluate_with_averages(raw_model, averages, val_batches, device, tc, rank, world)
            if main_rank:
                book.log(step=step, **scores)
                plot(book, out, averages.decays)
            val_losses = average_val_losses(scores) or val_losses
            last["eval"] = now
        factor = cooldown_factor(progress, args.cooldown, tc.min_lr_frac)
        if factor < 1.0 and not cooling:
            save()  # the stable state: what the next session resumes
            cooling = True
        elif ckpt_due and not cooling:
            save()
            last["ckpt"] = now
        lr = lr_at(step, tc) * factor
        for group in optimizer.param_groups:
            group["lr"] = lr
        batch = sampler.next()
        real = int((batch[0] != cfg.pad).sum()) + batch[0].shape[0]  # tokens, not padding (on the cpu: no sync)
        x, y, mask, task = (t.to(device, non_blocking=True) for t in batch)
        with runtime.train_autocast(device):
            sums, counts = token_losses(model, x, y, mask, tc.code_softmax)
        loss = sums.sum() / counts.sum().clamp(min=1)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), tc.grad_clip)
        optimizer.step()
        averages.update(raw_model)
        s, c = per_task(sums, counts, task)
        loss_sum += s
        loss_cnt += c
        interval_tokens += real
        interval_padded += x.numel()
        tokens_seen += real * world
        step += 1
        session_steps += 1

        now = time.time()
        if step % tc.log_every == 0:
            if world > 1:
                dist.all_reduce(loss_sum)
                dist.all_reduce(loss_cnt)
            if main_rank:
                rec = {"step": step, "lr": round(lr, 6), "loss": round(float(loss_sum.sum() / loss_cnt.sum().clamp(min=1)), 4),
                       "grad_norm": round(float(grad_norm), 3), "tok_s": round(interval_tokens * world / (now - last["log"]), 1),
                       "pad_frac": round(1 - interval_tokens / interval_padded, 3), "tokens": tokens_seen}
                rec.update({f"loss_{t}": round(float(loss_sum[i] / loss_cnt[i]), 4) for i, t in enumerate(TASKS) if loss_cnt[i] > 0})
                book.log(**rec)
                print(" ".join(f"{k} {v}" for k, v in rec.items()), flush=True)
            loss_sum.zero_()
            loss_cnt.zero_()
            interval_tokens = interval_padded = 0
            last["log"] = now
        if grid_eps and now - last["sample"] >= tc.sample_every_min * 60:
            book.log(step=step, **sample_grid(grid_model(raw_model, averages, val_losses), pack, grid_eps, codec, tc.cfg_scale, tc.sample_temperature, out / "samples" / f"step_{step:07d}.png"))
            last["sample"] = now

    if not cooling:
        save()
    stop_request.restore()
    result = {"step": step, "tokens": tokens_seen, "seconds": round(time.time() - started, 1), "cooled": cooling}
    if stop_request.requested:
        result["stopped"] = "signal"
    if val_batches:
        result.update(evaluate_with_averages(raw_model, averages, val_batches, device, tc, rank, world))
        val_losses = average_val_losses(result) or val_losses
    if main_rank:
        if val_batches:
            book.log(**result)
        if grid_eps:
            sample_grid(grid_model(raw_model, averages, val_losses), pack, grid_eps, codec, tc.cfg_scale, tc.sample_temperature, out / "samples" / f"step_{step:07d}.png")
        save_weights(out / "weights.safetensors", raw_model, cfg.raw)
        for decay in averages.decays:
            save_weights(average_file(out, decay_name(decay)), averages.model(decay), cfg.raw)
        plot(book, out, averages.decays)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return result


def plot(book: Logbook, out: Path, decays: list[float] = ()) -> None:
    series = {t: f"loss_{t}" for t in TASKS}
    series.update({f"val {t}": f"val_{t}" for t in TASKS})
    series.update({f"val, {decay_name(d)} average": f"avg{decay_name(d)}_val_loss" for d in decays})
    present = {k: v for k, v in series.items() if book.series(v)}
    if present:
        book.plot(present, out / "loss.png", log_y=True, title=f"{out.name}: loss per task")


def parse(argv: list[str]) -> tuple[argparse.Namespace, TrainConfig]:
    ap = argparse.ArgumentParser(prog="python -m tessera_trainer.lm train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pack", required=True, help="episode pack, or several joined: A,B (the first pack's held-out episodes are val)")
    ap.add_argument("--config", required=True, help="config.json written by `tessera model config`")
    ap.add_argument("--out", required=True, help="run folder")
    ap.add_argument("--minutes", type=float, help="wall-clock budget of this session")
    ap.add_argument("--steps", type=int, help="optimizer steps in this session")
    ap.add_argument("--resume", action="store_true", help="continue RUN/ckpt.pt when it exists")
    ap.add_argument("--cooldown", type=float, default=0.0,
                    help="decay lr linearly to the floor over this last fraction of the session; ckpt.pt keeps the pre-cooldown state")
    ap.add_argument("--init-weights", help="start from these weights with a fresh optimizer")
    ap.add_argument("--vq", help="VQ folder for sample grids (default: the pack's)")
    ap.add_argument("--device", default="auto")
    for f in fields(TrainConfig):  # every TrainConfig field is a flag; None = keep default / resumed value
        kind = (lambda s: s.lower() in ("1", "true", "yes")) if f.type is bool else f.type
        ap.add_argument(f"--{f.name.replace('_', '-')}", type=kind, default=None, help=f"default {f.default!r}")
    args = ap.parse_args(argv)
    if args.minutes is None and args.steps is None:
        ap.error("give --minutes and/or --steps")
    base = TrainConfig()
    saved = Path(args.out) / "train_config.json"
    if args.resume and saved.exists():
        base = TrainConfig(**json.loads(saved.read_text()))
    tc = TrainConfig(**{f.name: getattr(args, f.name) if getattr(args, f.name) is not None else getattr(base, f.name) for f in fields(TrainConfig)})
    return args, tc


def main(argv: list[str]) -> None:
    print(json.dumps(train(*parse(argv))))
