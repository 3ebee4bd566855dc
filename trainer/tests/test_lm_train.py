import json
import os
import signal
import socket
import subprocess
import sys
import time
import unittest
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import torch

from tessera_trainer.common.logbook import read_jsonl
from tessera_trainer.lm.synthetic import StubCodec, synthetic_pack
from tessera_trainer.lm.train import TrainConfig, cooldown_factor, lr_at, parse, train

from .synthetic_pack_case import SyntheticPackCase
from .test_lm_config import FIXTURE

FAST = ["--batch-tokens", "1200", "--log-every", "2", "--warmup-steps", "2", "--val-fraction", "0.3", "--eval-episodes", "8",
        "--samples", "2", "--seed", "1"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TrainTest(SyntheticPackCase):
    def run_train(self, out, *extra, pack=None):
        args, tc = parse(["--pack", str(pack or self.pack), "--config", str(FIXTURE), "--out", str(out), *FAST, *extra])
        return train(args, tc, codec=StubCodec(self.cfg.codebook_size))

    def test_token_losses_weight_each_target(self):
        """A target of weight w counts w times in both the loss sum and the count (binary masks: plain means)."""
        from tessera_trainer.lm.model import LM
        from tessera_trainer.lm.train import token_losses
        torch.manual_seed(0)
        model = LM(self.cfg).eval()
        x = torch.randint(0, self.cfg.vocab_size, (2, 6))
        y = torch.randint(0, self.cfg.vocab_size, (2, 6))
        mask = torch.tensor([[0, 1, 1, 0.5, 0, 0], [1, 0, 0, 0, 0.25, 1]])
        with torch.no_grad():
            sums, counts = token_losses(model, x, y, mask)
            ce = torch.nn.functional.cross_entropy(model(x).flatten(0, 1), y.flatten(), reduction="none").view(2, 6)
        self.assertTrue(torch.allclose(sums, (ce * mask).sum(1), atol=1e-4))
        self.assertTrue(torch.equal(counts, mask.sum(1)))

    def test_code_softmax_scores_image_code_targets_among_the_codes(self):
        """With code_softmax, a target that is an image code is scored against the codes' logits
        alone, any other target against the whole vocabulary; weights as before; gradients flow."""
        from tessera_trainer.lm.model import LM
        from tessera_trainer.lm.train import token_losses
        torch.manual_seed(0)
        cfg = self.cfg
        model = LM(cfg)
        x = torch.randint(0, cfg.vocab_size, (2, 6))
        y = torch.tensor([[cfg.image_start, 3, cfg.image_end - 1, cfg.eoi, cfg.image_start + 2, 5],
                          [1, cfg.image_start + 1, 2, cfg.image_start + 3, cfg.bos, 4]])
        mask = torch.tensor([[1, 1, 0.5, 1, 0, 1], [1, 0.25, 0, 1, 1, 1]])
        sums, counts = token_losses(model, x, y, mask, code_softmax=True)
        with torch.no_grad():
            logits = model(x)  # (B, T, V)
            codes = slice(cfg.image_start, cfg.image_end)
            is_code = (y >= cfg.image_start) & (y < cfg.image_end)
            full = torch.nn.functional.cross_entropy(logits.flatten(0, 1), y.flatten(), reduction="none").view(2, 6)
            among = torch.nn.functional.cross_entropy(logits[..., codes].flatten(0, 1), torch.where(is_code, y - cfg.image_start, 0).flatten(),
                                                      reduction="none").view(2, 6)
            want = (torch.where(is_code, among, full) * mask).sum(1)
        self.assertTrue(torch.allclose(sums.detach(), want, atol=1e-4))
        self.assertTrue(torch.equal(counts, mask.sum(1)))
        self.assertTrue(bool((among < full)[is_code].all()), "fewer competitors: a lower loss on the same logits")
        sums.sum().backward()
        self.assertGreater(model.head.weight.grad[codes].abs().sum().item(), 0)
        self.assertGreater(model.blocks[0].attn.qkv.weight.grad.abs().sum().item(), 0)

    def test_schedule(self):
        tc = TrainConfig(lr=1.0, warmup_steps=10, decay_steps=100, min_lr_frac=0.1)
        self.assertAlmostEqual(lr_at(0, tc), 0.1)
        self.assertAlmostEqual(lr_at(10, tc), 1.0)
        self.assertAlmostEqual(lr_at(60, tc), 0.55)
        self.assertAlmostEqual(lr_at(10_000, tc), 0.1)
        self.assertEqual(lr_at(500, TrainConfig(lr=1.0, decay_steps=0)), 1.0)

    def test_cooldown_factor(self):
        self.assertEqual(cooldown_factor(0.5, 0.0, 0.1), 1.0)
        self.assertEqual(cooldown_factor(0.79, 0.2, 0.1), 1.0)
        self.assertAlmostEqual(cooldown_factor(0.9, 0.2, 0.1), 0.55)
        self.assertAlmostEqual(cooldown_factor(1.0, 0.2, 0.1), 0.1)
        self.assertAlmostEqual(cooldown_factor(1.5, 0.2, 0.1), 0.1)

    def test_cooldown_keeps_the_stable_checkpoint(self):
        out = Path(self.tmp.name) / "cool"
        result = self.run_train(out, "--steps", "4", "--cooldown", "0.5")
        self.assertEqual(result["step"], 4)
        self.assertTrue(result["cooled"])
        # Session steps 0-2 run at full lr (progress < 0.5 at their start, factor 1 at exactly 0.5);
        # the stable state is saved before step 3, the first with a lower lr.
        self.assertEqual(torch.load(out / "ckpt.pt", map_location="cpu")["step"], 3)
        lrs = [r["lr"] for r in read_jsonl(out / "log.jsonl") if "lr" in r]
        self.assertLess(lrs[-1], lrs[0] if len(lrs) > 1 else float("inf"))
        self.assertTrue((out / "weights.safetensors").exists())

    def test_train_resume_and_outputs(self):
        out = Path(self.tmp.name) / "run"
        first = self.run_train(out, "--steps", "4")
        self.assertEqual(first["step"], 4)
        self.assertIn("val_loss", first)
        for name in ("ckpt.pt", "weights.safetensors", "loss.png", "train_config.json"):
            self.assertTrue((out / name).exists(), name)
        self.assertTrue(list((out / "samples").glob("step_*.png")))
        second = self.run_train(out, "--steps", "2", "--resume")
        self.assertEqual(second["step"], 6)
        logs = [r for r in read_jsonl(out / "log.jsonl") if "loss" in r]
        self.assertEqual([r["step"] for r in logs], [2, 4, 6])
        self.assertTrue(any(k.startswith("loss_") for k in logs[0]))

    def test_joined_packs_train_on_both_and_keep_the_first_packs_val(self):
        """A second pack adds training episodes; the held-out episodes the val loss is measured on stay
        those of the first pack first, so a run's curve stays comparable when data is added."""
        from tessera_trainer.lm.pack import Pack, open_packs
        from tessera_trainer.lm.train import split
        second = synthetic_pack(Path(self.tmp.name) / "second", self.cfg, samples=6, seed=3)
        first_pack, second_pack = Pack(self.pack, self.cfg), Pack(second, self.cfg)
        joined = open_packs(f"{self.pack},{second}", self.cfg)
        train_a, val_a = split(first_pack, 0.3)
        train_b, val_b = split(second_pack, 0.3)
        train_j, val_j = split(joined, 0.3)
        self.assertEqual(val_j[:len(val_a)].tolist(), val_a.tolist())
        self.assertEqual(train_j.tolist(), train_a.tolist() + (train_b + len(first_pack)).tolist())
        self.assertEqual(len(val_j), len(val_a) + len(val_b))
        result = self.run_train(Path(self.tmp.name) / "joined", "--steps", "2", pack=f"{self.pack},{second}")
        self.assertEqual(result["step"], 2)

    def start_train(self, out, *extra, ranks=1):
        """`python -m tessera_trainer.lm train` in subprocesses: one, or DDP ranks with torchrun's environment
        contract (RANK, WORLD_SIZE, MASTER_*), started here because torchrun's CLI fails on Python 3.11
        with torch 1.13. The port is one the system has just handed out: a fixed one hung CI once, when
        something else held it and rank 1 waited on that program."""
        cmd = [sys.executable, "-m", "tessera_trainer.lm", "train", "--pack", str(self.pack), "--config", str(FIXTURE),
               "--out", str(out), "--device", "cpu", *extra]
        port = free_port()
        procs = []
        for rank in range(ranks):
            env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "TESSERA_THREADS": "1"}
            if ranks > 1:
                env.update({"RANK": str(rank), "LOCAL_RANK": str(rank), "WORLD_SIZE": str(ranks), "LOCAL_WORLD_SIZE": str(ranks),
                            "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port), "TESSERA_DIST_TIMEOUT_S": "90"})
            procs.append(subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        return procs

    def finish(self, procs, timeout=180):
        """Each process's final result line, once every one has exited 0. The ranks are drained side by side
        (a rank blocked on a full pipe would stall the others in a collective); past the timeout all are
        killed and the failure shows what each one printed."""
        def wait(proc):
            try:
                return proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                for p in procs:  # each rank prints where it waits (runtime.stack_dumps_on_sigusr1), then dies
                    if p.poll() is None:
                        p.send_signal(signal.SIGUSR1)
                time.sleep(2)
                for p in procs:
                    p.kill()
                out, err = proc.communicate()
                return out, f"{err}\n[test] killed after {timeout} s"
        with ThreadPoolExecutor(len(procs)) as pool:
            results = list(pool.map(wait, procs))
        for rank, (p, (_, err)) in enumerate(zip(procs, results)):
            self.assertEqual(p.returncode, 0, f"rank {rank}: {err[-8000:]}")
        return [json.loads(stdout.strip().splitlines()[-1]) for stdout, _ in results]

    @staticmethod
    def wait_for_a_step(proc):
        for line in proc.stdout:
            if line.startswith("step "):
                return

    def test_sigterm_stops_at_a_step_and_saves(self):
        """A run killed between checkpoints keeps its progress: SIGTERM finishes the step, saves ckpt.pt
        and the weights at that step, and exits 0; the next session resumes from there."""
        out = Path(self.tmp.name) / "stopped"
        [proc] = self.start_train(out, "--minutes", "10", *FAST)
        self.wait_for_a_step(proc)
        proc.send_signal(signal.SIGTERM)
        [final] = self.finish([proc], timeout=120)
        self.assertEqual(final["stopped"], "signal")
        self.assertGreaterEqual(final["step"], 2)
        self.assertEqual(torch.load(out / "ckpt.pt", map_location="cpu")["step"], final["step"])
        self.assertTrue((out / "weights.safetensors").exists())

    def test_ddp_two_processes_gloo(self):
        """Two ranks. The loss scores code targets among the codes (the model's config reached through the DDP wrapper).
        Val is shared: each rank scores every other batch, and the all-reduced loss is what one process
        scores over all of them, for the weights and for their average alike."""
        out = Path(self.tmp.name) / "ddp"
        finals = self.finish(self.start_train(out, "--steps", "3", "--code-softmax", "1", "--weight-averages", "0.5",
                                              "--batch-tokens", "400", *FAST[2:-4], ranks=2))
        self.assertEqual([f["step"] for f in finals], [3, 3])
        ckpt = torch.load(out / "ckpt.pt")
        sampler_states = ckpt["extra"]["sampler"]
        self.assertEqual(len(sampler_states), 2)
        self.assertNotEqual(sampler_states[0], sampler_states[1])  # each rank draws its own batches

        from tessera_trainer.lm.batches import fixed_batches
        from tessera_trainer.lm.model import LM
        from tessera_trainer.lm.pack import open_packs
        from tessera_trainer.lm.train import evaluate, split
        pack = open_packs(str(self.pack), self.cfg)
        _, val = split(pack, 0.3)
        batches = fixed_batches(pack, val[:8], 400)
        self.assertGreater(len(batches), 2, "several val batches, so that the ranks share them")
        for weights, key in ((ckpt["model"], "val_loss"), (ckpt["extra"]["weight_averages"]["0.5"], "avg0.5_val_loss")):
            model = LM(self.cfg)
            model.load_state_dict(weights)
            alone = evaluate(model, batches, torch.device("cpu"), code_softmax=True)["val_loss"]
            self.assertEqual(finals[0][key], finals[1][key])
            self.assertAlmostEqual(finals[0][key], alone, places=3)

    def test_sigterm_on_one_ddp_rank_stops_every_rank_at_the_same_step(self):
        out = Path(self.tmp.name) / "ddp-stopped"
        procs = self.start_train(out, "--minutes", "10", *FAST[:-4], ranks=2)
        self.wait_for_a_step(procs[0])
        procs[1].send_signal(signal.SIGTERM)
        finals = self.finish(procs, timeout=120)
        self.assertEqual(finals[0]["step"], finals[1]["step"])
        self.assertEqual(torch.load(out / "ckpt.pt", map_location="cpu")["step"], finals[0]["step"])

if __name__ == "__main__":
    unittest.main()
