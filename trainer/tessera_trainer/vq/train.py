"""Trains the VQ image tokenizer on WebDataset shards.

    python -m tessera_trainer.vq train --data DIR --out RUN [--preset default] [--minutes M] [--steps N]
                                       [--batch B] [--lr LR] [--resume | --init-weights W] [--cooldown K]
                                       [--freeze-codes]

--minutes bounds this session; --steps is the run's total step count (a resumed run stops at the
same N). --resume continues RUN/ckpt.pt (model, optimizer, step; the model shape comes from the
checkpoint). --init-weights starts from fp16 weights (models/vq/weights.pt) with a fresh optimizer.
SIGTERM / SIGINT finish the current step, write the checkpoint and exit 0.

Schedule: linear warmup, then constant lr. Runs are grown session by session with --resume and
--minutes, so the total length is not known when the lr would have to start decaying; a constant
lr keeps every session's checkpoint equally good to continue. --cooldown K makes this session the
last: lr falls linearly to lr * min_lr_frac over its K steps (the warmup-stable-decay recipe), which
buys the final fraction of a dB.

--freeze-codes trains the decoder alone (with --init-weights or --resume): the encoder and codebook
are fixed, so every image keeps its codes and a language model trained on them stays valid. A run
started with it keeps it on resume.

Held out: the first --holdout shards of DIR in name order (shard-000000.tar is written first, so it
exists from the start and stays fixed while a renderer adds more); they are never trained on and give
the periodic PSNR and the reconstruction grid.

RUN/: log.jsonl, loss.png, psnr.png, recon.png (held-out originals above, reconstructions below),
samples/recon-STEP.png, ckpt.pt (every few minutes, atomically), weights.pt (fp16, at the end).
"""
import argparse
import itertools
import signal
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader

from tessera_trainer.common import runtime
from tessera_trainer.common.checkpoint import has_checkpoint, load_checkpoint, load_weights, save_checkpoint, save_weights
from tessera_trainer.common.logbook import Logbook
from tessera_trainer.data import ImageStream, list_shards, to_uint8

from .config import TrainConfig, model_config, preset
from .model import VQModel, psnr


def lr_at(step: int, tc: TrainConfig, cooldown: tuple[int, int] | None) -> float:
    """Warmup, constant; with cooldown=(start, steps), linear decay to the floor over those steps."""
    lr = tc.lr * min(1.0, (step + 1) / max(1, tc.warmup_steps))
    if cooldown:
        frac = min(1.0, max(0.0, (step - cooldown[0]) / max(1, cooldown[1])))
        lr *= 1 - (1 - tc.min_lr_frac) * frac
    return lr


def split_shards(data: str, holdout: int) -> tuple[list[str], list[Path]]:
    """(held-out shard names, held-out paths). With a single shard nothing can be held out."""
    shards = list_shards(data)
    if len(shards) <= holdout:
        return [], []
    held = shards[:holdout]
    return [p.name for p in held], held


def first_images(source, n: int, size: int) -> torch.Tensor:
    """The first n images of a source in file order: a fixed evaluation set. (n, 3, S, S)."""
    stream = ImageStream(source, size=size, shuffle=False, epochs=1)
    xs = list(itertools.islice(iter(stream), n))
    if not xs:
        raise RuntimeError(f"no images in {source}")
    return torch.stack(xs)


@torch.no_grad()
def reconstruct(model, x: torch.Tensor, device, batch: int = 32) -> tuple[torch.Tensor, torch.Tensor]:
    """(N, 3, S, S) -> (reconstructions (N, 3, S, S) on cpu, codes (N, h, w))."""
    model.eval()
    outs, codes = [], []
    for i in range(0, len(x), batch):
        xb = x[i:i + batch].to(device)
        with runtime.autocast(device):
            c = model.encode(xb)
            outs.append(model.decode(c).float().cpu())
        codes.append(c.cpu())
    model.train()
    return torch.cat(outs), torch.cat(codes)


def save_grid(originals: torch.Tensor, recons: torch.Tensor, path: Path, cols: int = 8) -> None:
    """Rows of `cols` originals, each row followed by its reconstructions."""
    a, b = to_uint8(originals[:cols * 2]), to_uint8(recons[:cols * 2])
    rows = []
    for r in range(0, len(a), cols):
        pad = lambda imgs: np.concatenate(list(imgs) + [np.full_like(imgs[0], 255)] * (cols - len(imgs)), 1)  # noqa: E731
        rows += [pad(a[r:r + cols]), pad(b[r:r + cols]), np.full((4, a.shape[2] * cols, 3), 128, np.uint8)]
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.concatenate(rows[:-1], 0)).save(path)


def _worker_init(_):
    torch.set_num_threads(1)  # the loader only decodes PNGs; the cores belong to the training step
    # Stopping is the main process's call: a signal sent to the whole process group (Ctrl-C, kill
    # -TERM -PGID) would otherwise kill a worker mid-step, and its death fail the step being saved.
    # The main process shuts its workers down when it returns; they also exit if it dies.
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, signal.SIG_IGN)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(prog="tessera_trainer.vq train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="folder of *.tar shards (or one .tar)")
    ap.add_argument("--out", required=True, help="run folder, e.g. ~/.cache/tessera/runs/vq-default")
    ap.add_argument("--preset", default="default")
    ap.add_argument("--minutes", type=float, default=0, help="stop this session after M minutes (0: no limit)")
    ap.add_argument("--steps", type=int, default=0, help="stop when the run reaches N steps (0: no limit)")
    ap.add_argument("--batch", type=int, help="override the preset's batch size")
    ap.add_argument("--lr", type=float, help="override the preset's peak lr")
    ap.add_argument("--workers", type=int, help="DataLoader workers (PNG decoding)")
    ap.add_argument("--resume", action="store_true", help="continue RUN/ckpt.pt if it exists")
    ap.add_argument("--init-weights", help="start from weights-only file with a fresh optimizer")
    ap.add_argument("--cooldown", type=int, default=0, help="last session: decay lr to the floor over K steps, then stop")
    ap.add_argument("--freeze-codes", action="store_true",
                    help="train the decoder only; the encoder and codebook (so every code) stay fixed")
    ap.add_argument("--holdout", type=int, default=1, help="first N shards held out for evaluation")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--threads", type=int, help="torch threads (default: all cores)")
    return ap.parse_args(argv)


def train(args) -> dict:
    run = Path(args.out).expanduser()
    run.mkdir(parents=True, exist_ok=True)
    overrides = {k: v for k, v in {"batch_size": args.batch, "lr": args.lr, "workers": args.workers}.items() if v is not None}

    ckpt = load_checkpoint(run, map_location="cpu") if args.resume and has_checkpoint(run) else None
    preset_name = args.preset
    if ckpt is not None:  # the run's own shape and settings win over the preset; flags given again win over both
        preset_name = ckpt["config"].get("preset", args.preset)
        p = preset(preset_name, train={**ckpt["config"]["train"], **overrides})
        mcfg = model_config(ckpt["config"]["model"])
    else:
        p = preset(args.preset, train=overrides)
        mcfg = p.model
    tc = p.train
    device = runtime.setup(seed=tc.seed + (ckpt["step"] if ckpt else 0), device=args.device, threads=args.threads)
    runtime.stack_dumps_on_sigusr1()
    fmt = torch.channels_last if tc.channels_last else torch.contiguous_format

    freeze = args.freeze_codes or bool(ckpt and ckpt["config"].get("freeze_codes"))
    if freeze and ckpt is None and not args.init_weights:
        raise SystemExit("--freeze-codes needs trained codes: give --init-weights W (or --resume a run)")
    model = VQModel(mcfg).to(device)
    if freeze:
        model.freeze_codes()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=tc.lr, betas=tc.betas, weight_decay=tc.weight_decay)
    step = 0
    if ckpt is not None:
        model.load_state_dict(ckpt["model"])
        optimizer.load_state_dict(ckpt["optimizer"])
        step = ckpt["step"]
        print(f"[vq] resumed {run} at step {step}")
    elif args.init_weights:
        load_weights(args.init_weights, model)
        print(f"[vq] initialised from {args.init_weights} (fresh optimizer)")
        q = model.quantizer
        if not freeze and not torch.equal(q.canonical, torch.arange(q.K, device=q.canonical.device)):
            # codes that move or restart would no longer be near their class representative
            q.canonical.copy_(torch.arange(q.K))
            print("[vq] canonical code map reset: training the codes makes a new one necessary (vq canonicalize)")
    model = model.to(memory_format=fmt)
    del ckpt

    held_names, held_paths = split_shards(args.data, args.holdout)
    config = {"preset": preset_name, "model": asdict(mcfg), "train": asdict(tc), "heldout": held_names,
              "data": str(args.data), "freeze_codes": freeze}
    print(f"[vq] {model.num_params() / 1e6:.2f}M params, {model.flops_per_image() / 1e9:.2f} GMAC/image, "
          f"device {device}, {torch.get_num_threads()} threads, batch {tc.batch_size}, held out {held_names or 'nothing'}"
          f"{', decoder only (codes frozen)' if freeze else ''}")

    # a fresh data order per session (seeded by the step), so a resumed run does not replay its first images
    stream = ImageStream(args.data, size=mcfg.image_size, seed=tc.seed + step, epochs=None, buffer=tc.shuffle_buffer,
                         exclude=set(held_names))
    loader = DataLoader(stream, batch_size=tc.batch_size, num_workers=tc.workers, worker_init_fn=_worker_init,
                        pin_memory=device.type == "cuda", persistent_workers=tc.workers > 0)
    eval_x = first_images(held_paths or args.data, tc.eval_images, mcfg.image_size)

    book = Logbook(run)
    stop = {"signal": None}

    def on_signal(signum, _frame):
        stop["signal"] = signal.Signals(signum).name
        print(f"[vq] {stop['signal']}: checkpointing after this step", flush=True)

    old_handlers = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}

    def checkpoint():
        save_checkpoint(run, model, optimizer, step, config)

    def evaluate_and_draw():
        recons, codes = reconstruct(model, eval_x, device)
        p_db = psnr(recons, eval_x).mean().item()
        used = codes.unique().numel() / mcfg.codebook_size
        save_grid(eval_x[:16], recons[:16], run / "recon.png")
        save_grid(eval_x[:16], recons[:16], run / "samples" / f"recon-{step:07d}.png")
        book.log(step=step, val_psnr=round(p_db, 3), val_codes_used=round(used, 4))
        book.plot({"train loss": "loss", "recon l1": "l1"}, run / "loss.png", log_y=True, smooth=0.9)
        book.plot({"train psnr": "psnr", "held-out psnr": "val_psnr"}, run / "psnr.png", smooth=0.0)
        print(f"[vq] step {step}: held-out PSNR {p_db:.2f} dB, {used:.0%} of codes in {len(eval_x)} images", flush=True)
        return p_db

    start_step, t_start = step, time.time()
    cooldown = (step, args.cooldown) if args.cooldown else None
    last_ckpt = last_sample = t_start
    window_codes = torch.zeros(mcfg.codebook_size, dtype=torch.long)
    t_log, n_log, bad_steps = time.time(), 0, 0
    model.train()
    batches = iter(loader)
    while True:
        elapsed = time.time() - t_start
        if stop["signal"] or (args.minutes and elapsed >= args.minutes * 60) or (args.steps and step >= args.steps) \
                or (cooldown and step >= cooldown[0] + cooldown[1]):
            break
        try:
            x = next(batches)
        except RuntimeError:  # a worker that died anyway (e.g. SIGKILL) while a stop was requested
            if stop["signal"]:
                break
            raise
        x = x.to(device, non_blocking=True).contiguous(memory_format=fmt)  # (B, 3, 128, 128)
        lr = lr_at(step, tc, cooldown)
        for g in optimizer.param_groups:
            g["lr"] = lr
        with runtime.train_autocast(device):  # bf16 on cuda and on a cpu with native bf16
            x_hat, codes, vq_loss = model(x)
        x_hat = x_hat.float()
        l1 = F.l1_loss(x_hat, x)
        l2 = F.mse_loss(x_hat, x)
        loss = tc.l1_weight * l1 + tc.l2_weight * l2 + tc.vq_weight * vq_loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(trainable, tc.grad_clip)
        if not (torch.isfinite(loss) and torch.isfinite(grad_norm)):
            # skip the update; a run that keeps diverging stops without overwriting its last good checkpoint
            bad_steps += 1
            print(f"[vq] step {step}: non-finite loss/grad, update skipped ({bad_steps} in a row)", flush=True)
            if bad_steps >= 20:
                raise RuntimeError(f"training diverged at step {step}; last good checkpoint kept in {run}")
            continue
        bad_steps = 0
        optimizer.step()
        step += 1
        n_log += x.shape[0]
        window_codes += torch.bincount(codes.flatten().cpu(), minlength=mcfg.codebook_size)

        if step % tc.log_every == 0:
            dt = time.time() - t_log
            share = window_codes.float() / window_codes.sum()
            perplexity = torch.exp(-(share * share.clamp_min(1e-12).log()).sum()).item()
            rec = book.log(step=step, loss=round(loss.item(), 5), l1=round(l1.item(), 5), l2=round(l2.item(), 5),
                           vq=round(vq_loss.item(), 5), psnr=round(psnr(x_hat.detach(), x).mean().item(), 3),
                           lr=lr, grad_norm=round(grad_norm.item(), 4), img_s=round(n_log / dt, 2),
                           codes_used=round((window_codes > 0).float().mean().item(), 4), perplexity=round(perplexity, 1))
            print(f"[vq] step {step} loss {rec['loss']:.4f} psnr {rec['psnr']:.2f} dB lr {lr:.2e} "
                  f"{rec['img_s']:.1f} img/s codes {rec['codes_used']:.0%} ppl {perplexity:.0f}", flush=True)
            window_codes.zero_()
            t_log, n_log = time.time(), 0
        now = time.time()
        if now - last_sample >= tc.sample_every_min * 60:
            evaluate_and_draw()
            last_sample = time.time()
        if now - last_ckpt >= tc.ckpt_every_min * 60:
            checkpoint()
            last_ckpt = time.time()

    checkpoint()
    final_psnr = evaluate_and_draw()
    save_weights(run / "weights.pt", model, {"model": asdict(mcfg)})
    for s, h in old_handlers.items():
        signal.signal(s, h)
    took = time.time() - t_start
    print(f"[vq] stopped at step {step} ({step - start_step} steps in {took / 60:.1f} min"
          f"{', ' + stop['signal'] if stop['signal'] else ''}); checkpoint {run / 'ckpt.pt'}", flush=True)
    return {"step": step, "val_psnr": final_psnr, "run": str(run)}


def main(argv=None) -> int:
    train(parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
