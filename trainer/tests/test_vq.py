import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from contextlib import redirect_stdout
from pathlib import Path

import torch

from tessera_trainer.common.checkpoint import load_checkpoint
from tessera_trainer.common.logbook import read_jsonl
from tessera_trainer.data.synthetic import write_synthetic_shards
from tessera_trainer.vq import load_vq
from tessera_trainer.vq.bench import measure
from tessera_trainer.vq.canonical import canonical_map
from tessera_trainer.vq.canonical import main as canonicalize_main
from tessera_trainer.vq.config import PRESETS, TrainConfig, preset
from tessera_trainer.vq.evaluate import evaluate
from tessera_trainer.vq.evaluate import main as eval_main
from tessera_trainer.vq.export import OnnxDecoder, OnnxEncoder, export, fp16_rounded
from tessera_trainer.vq.export import main as export_main
from tessera_trainer.vq.model import Quantizer, VQModel, psnr
from tessera_trainer.vq.train import lr_at, parse_args, train

TRAINER = Path(__file__).resolve().parents[1]


def run_train(*argv) -> dict:
    with redirect_stdout(io.StringIO()):
        return train(parse_args(["--preset", "tiny", "--threads", "1", *argv]))


class ModelTest(unittest.TestCase):
    def test_shapes(self):
        torch.manual_seed(0)
        vq = VQModel(preset("tiny").model)
        x = torch.rand(2, 3, 128, 128) * 2 - 1
        x_hat, codes, vq_loss = vq(x)
        self.assertEqual(x_hat.shape, (2, 3, 128, 128))
        self.assertEqual(codes.shape, (2, 16, 16))
        self.assertTrue(torch.isfinite(vq_loss))
        (x_hat.abs().mean() + vq_loss).backward()
        self.assertIsNotNone(vq.encoder.stem.weight.grad)
        vq.eval()
        self.assertTrue(torch.equal(vq.encode(x), codes))
        self.assertLessEqual(vq.decode(codes).abs().max().item(), 1.0)

    def test_a_training_step_runs_under_bf16_autocast(self):
        torch.manual_seed(0)
        vq = VQModel(preset("tiny").model)
        x = torch.rand(2, 3, 128, 128) * 2 - 1
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
            x_hat, _, vq_loss = vq(x)
            self.assertEqual(vq.decoder.proj(torch.randn(1, vq.cfg.code_dim, 16, 16)).dtype, torch.bfloat16,
                             "convs did not run in bf16")
        loss = (x_hat.float() - x).abs().mean() + vq_loss
        loss.backward()
        self.assertTrue(torch.isfinite(loss))
        self.assertTrue(all(torch.isfinite(p.grad).all() for p in vq.parameters() if p.grad is not None))

    def test_frozen_codes_stay_fp32_codes_under_bf16_autocast(self):
        # near-ties that bf16 decides otherwise: a random encoder's codes over noise are full of them
        torch.manual_seed(0)
        vq = VQModel(preset("tiny").model).freeze_codes()
        x = torch.rand(4, 3, 128, 128) * 2 - 1
        exact = vq.encode(x)
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
            _, codes, _ = vq(x)
            rounded = vq.quantizer.codes(vq.encoder(x))  # what a bf16 encoder would give
        self.assertFalse(torch.equal(rounded, exact), "no near-ties here: the test would prove nothing")
        self.assertTrue(torch.equal(codes, exact))

    def test_every_preset_is_f8_to_16x16(self):
        for name, p in PRESETS.items():
            self.assertEqual(p.model.grid, 16, name)
            self.assertEqual(len(p.model.enc_blocks), len(p.model.channels), name)
            self.assertEqual(len(p.model.dec_blocks), len(p.model.channels), name)
        self.assertEqual(PRESETS["default"].model.codebook_size, 1024)

    def test_unknown_keys_rejected(self):
        with self.assertRaises(KeyError):
            preset("tiny", train={"batchsize": 3})
        with self.assertRaises(KeyError):
            preset("huge")
        self.assertEqual(preset("tiny", train={"batch_size": 3}).train.batch_size, 3)

    def test_dead_codes_restart_on_encoder_outputs(self):
        torch.manual_seed(0)
        q = Quantizer(preset("tiny").model).train()
        before = q.embed.detach().clone()
        q.usage.zero_()  # every code looks dead
        z = torch.randn(2, q.d, 4, 4)
        q(z)
        changed = (q.embed.detach() - before).abs().sum(1) > 0
        self.assertGreater(changed.float().mean().item(), 0.9)
        self.assertTrue(torch.allclose(q.usage[changed], torch.full_like(q.usage[changed], 1 / q.K)))

    def test_psnr(self):
        x = torch.zeros(1, 3, 4, 4)
        self.assertAlmostEqual(psnr(x, x + 0.02).item(), 10 * torch.log10(torch.tensor(4 / 0.0004)).item(), places=3)

    def test_lr_schedule(self):
        tc = TrainConfig(lr=1.0, warmup_steps=10, min_lr_frac=0.1)
        self.assertAlmostEqual(lr_at(0, tc, None), 0.1)
        self.assertEqual(lr_at(500, tc, None), 1.0)  # constant after warmup
        self.assertAlmostEqual(lr_at(150, tc, (100, 100)), 0.55)
        self.assertAlmostEqual(lr_at(250, tc, (100, 100)), 0.1)


class BenchTest(unittest.TestCase):
    def test_bf16_and_decoder_only_steps_are_timed_and_labelled(self):
        torch.set_num_threads(1)
        tiny = preset("tiny").model
        row = measure(tiny, batch=2, steps=1, bf16=True, decoder_only=True)
        self.assertTrue(row["bf16"] and row["decoder_only"])
        self.assertGreater(row["train_img_s"], 0)
        self.assertGreater(row["infer_ms"], 0)


class CanonicalCodesTest(unittest.TestCase):
    @staticmethod
    def at_angles(*degrees):
        """Unit vectors in a plane at these angles (cosine between two = cos of their difference)."""
        r = torch.deg2rad(torch.tensor(degrees, dtype=torch.float32))
        return torch.stack([r.cos(), r.sin(), torch.zeros_like(r)], 1)

    def test_near_duplicates_join_the_most_used(self):
        book = self.at_angles(0, 3, 5, 90)  # 0..2 within cos 0.996 of each other; 3 apart
        rep = canonical_map(book, torch.tensor([0.1, 0.5, 0.2, 0.2]), tau=0.99)
        self.assertEqual(rep.tolist(), [1, 1, 1, 3])
        self.assertTrue(torch.equal(rep[rep], rep), "a representative maps to itself")
        self.assertEqual(canonical_map(book, torch.ones(4), tau=0.9999).tolist(), [0, 1, 2, 3])

    def test_classes_are_stars_not_chains(self):
        # 0~1 and 1~2 at cos 0.985, but 0 and 2 at cos 0.94: 0, the most used, takes 1 only
        book = self.at_angles(0, 10, 20)
        rep = canonical_map(book, torch.tensor([0.5, 0.3, 0.2]), tau=0.98)
        self.assertEqual(rep.tolist(), [0, 0, 2])
        # with 1 the most used, it takes both: each within tau of it
        self.assertEqual(canonical_map(book, torch.tensor([0.3, 0.5, 0.2]), tau=0.98).tolist(), [1, 1, 1])

    def test_quantizer_emits_representatives(self):
        torch.manual_seed(0)
        q = Quantizer(preset("tiny").model).eval()
        z = torch.randn(2, q.d, 4, 4)
        plain = q.codes(z)
        q.canonical.copy_(torch.arange(q.K) // 2 * 2)  # odd codes answered by the even one below
        self.assertTrue(torch.equal(q.codes(z), plain // 2 * 2))
        # weights saved before the map existed load with the identity
        old = {k: v for k, v in q.state_dict().items() if k != "canonical"}
        fresh = Quantizer(preset("tiny").model)
        fresh.load_state_dict(old)
        self.assertTrue(torch.equal(fresh.canonical, torch.arange(q.K)))


class TrainExportEvalTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = Path(cls.tmp.name)
        cls.data = cls.root / "shards"
        write_synthetic_shards(cls.data, samples=24, per_shard=8, seed=9)
        cls.run_dir = cls.root / "run"
        cls.first = run_train("--data", str(cls.data), "--out", str(cls.run_dir), "--steps", "3")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_train_writes_run(self):
        self.assertEqual(self.first["step"], 3)
        for name in ("ckpt.pt", "weights.pt", "log.jsonl", "loss.png", "psnr.png", "recon.png"):
            self.assertTrue((self.run_dir / name).exists(), name)
        log = read_jsonl(self.run_dir / "log.jsonl")
        self.assertEqual([r["step"] for r in log if "loss" in r], [1, 2, 3])
        self.assertIn("val_psnr", log[-1])
        ckpt = load_checkpoint(self.run_dir)
        self.assertEqual(ckpt["config"]["heldout"], ["shard-000000.tar"])
        self.assertEqual(ckpt["config"]["model"]["codebook_size"], 64)

    def test_resume_and_init_weights(self):
        run = self.root / "resumed"
        run_train("--data", str(self.data), "--out", str(run), "--steps", "2")
        out = run_train("--data", str(self.data), "--out", str(run), "--steps", "4", "--resume")
        self.assertEqual(out["step"], 4)
        steps = [r["step"] for r in read_jsonl(run / "log.jsonl") if "loss" in r]
        self.assertEqual(steps, [1, 2, 3, 4])
        fresh = self.root / "from-weights"
        out = run_train("--data", str(self.data), "--out", str(fresh), "--steps", "2", "--init-weights", str(run / "weights.pt"))
        self.assertEqual(out["step"], 2)

    def test_freeze_codes_trains_the_decoder_alone(self):
        before = load_vq(self.run_dir)
        run = self.root / "decoder-only"
        run_train("--data", str(self.data), "--out", str(run), "--steps", "3", "--lr", "1e-2",
                  "--init-weights", str(self.run_dir / "weights.pt"), "--freeze-codes")
        after = load_vq(run)
        kept = lambda m: {k: v for k, v in m.state_dict().items() if not k.startswith("decoder.")}  # noqa: E731
        for name, value in kept(before).items():
            self.assertTrue(torch.equal(value, kept(after)[name]), f"{name} changed")
        changed = [k for k, v in before.decoder.state_dict().items() if not torch.equal(v, after.decoder.state_dict()[k])]
        self.assertTrue(changed, "the decoder did not train")
        x = torch.rand(2, 3, 128, 128) * 2 - 1
        self.assertTrue(torch.equal(before.encode(x), after.encode(x)))
        self.assertTrue(load_checkpoint(run)["config"]["freeze_codes"])
        resumed = run_train("--data", str(self.data), "--out", str(run), "--steps", "4", "--resume")
        self.assertEqual(resumed["step"], 4)
        self.assertTrue(torch.equal(before.encode(x), load_vq(run).encode(x)), "a resumed run unfroze the codes")

    def test_freeze_codes_needs_trained_codes(self):
        with self.assertRaises(SystemExit):
            run_train("--data", str(self.data), "--out", str(self.root / "nothing-to-freeze"), "--steps", "1", "--freeze-codes")

    def test_export_matches_pytorch(self):
        out = self.root / "export"
        vq = load_vq(self.run_dir)
        config = export(vq, out)
        for name in ("encoder.onnx", "decoder.onnx", "weights.pt", "config.json"):
            self.assertTrue((out / name).exists(), name)
        on_disk = json.loads((out / "config.json").read_text())
        self.assertEqual((on_disk["grid"], on_disk["codebook_size"], on_disk["image_size"]), (16, 64, 128))
        self.assertNotIn("canonical", on_disk, "the identity map is not a canonical one")
        self.assertEqual(on_disk["encoder"]["input_range"], [0.0, 1.0])
        self.assertLess(config["blank_code"], 64)
        # the graphs' PyTorch modules agree with the model on fp16-rounded weights (what weights.pt holds)
        shipped = load_vq(out / "weights.pt")
        x01 = torch.rand(2, 3, 128, 128)
        codes = OnnxEncoder(shipped)(x01)
        self.assertEqual(codes.dtype, torch.int32)
        self.assertTrue(torch.equal(codes.long(), shipped.encode(x01 * 2 - 1)))
        image = OnnxDecoder(fp16_rounded(vq))(codes)
        self.assertLess((image * 2 - 1 - shipped.decode(codes)).abs().max().item(), 1e-5)

    def test_canonicalize_exports_a_map_the_graph_applies(self):
        out = self.root / "canonical"
        with redirect_stdout(io.StringIO()):
            canonicalize_main(["--weights", str(self.run_dir), "--tau", "0.5", "--out", str(out)])
        shipped = load_vq(out)
        rep = shipped.quantizer.canonical
        classes = json.loads((out / "config.json").read_text())["canonical"]
        self.assertEqual(classes, {"tau": 0.5, "classes": int(rep.unique().numel())})
        self.assertLess(classes["classes"], 64, "at cosine 0.5 some codes share a class")
        cos = shipped.quantizer.codebook() @ shipped.quantizer.codebook().T
        self.assertTrue(bool((cos[torch.arange(64), rep] > 0.5 - 1e-6).all()), "a member far from its representative")
        x01 = torch.rand(4, 3, 128, 128)
        codes = OnnxEncoder(shipped)(x01).long()
        self.assertTrue(torch.equal(codes, shipped.encode(x01 * 2 - 1)))
        self.assertTrue(torch.equal(rep[codes], codes), "the graph emitted a code that is not a representative")
        # a later export of these weights (a decoder trained under them) keeps the map and says so
        again = export(shipped, self.root / "canonical-again")
        self.assertEqual(again["canonical"], {"classes": classes["classes"]})
        self.assertTrue(torch.equal(load_vq(self.root / "canonical-again").quantizer.canonical, rep))
        # the record beside a weights file (an export's config.json) is kept, as beside a folder
        config = json.loads((out / "config.json").read_text())
        (out / "config.json").write_text(json.dumps({**config, "trained_steps": 7, "decoder_steps": 5}))
        with redirect_stdout(io.StringIO()):
            canonicalize_main(["--weights", str(out / "weights.pt"), "--tau", "0.5", "--out", str(self.root / "canonical-file")])
        record = json.loads((self.root / "canonical-file" / "config.json").read_text())
        self.assertEqual((record["trained_steps"], record["decoder_steps"]), (7, 5))
        with self.assertRaises(SystemExit), redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            canonicalize_main(["--weights", str(self.run_dir), "--tau", "1.5", "--out", str(out)])

    def test_export_of_a_decoder_only_run_keeps_the_encoders_record(self):
        out = self.root / "shipped"
        with redirect_stdout(io.StringIO()):
            canonicalize_main(["--weights", str(self.run_dir), "--tau", "0.5", "--out", str(out)])
        shipped = json.loads((out / "config.json").read_text())
        (out / "config.json").write_text(json.dumps({**shipped, "trained_steps": 7}))
        run = self.root / "decoder-under-the-map"
        run_train("--data", str(self.data), "--out", str(run), "--steps", "2",
                  "--init-weights", str(out / "weights.pt"), "--freeze-codes")
        with redirect_stdout(io.StringIO()):
            export_main(["--run", str(run), "--out", str(out)])
        config = json.loads((out / "config.json").read_text())
        self.assertEqual(config["trained_steps"], 7, "the codes are still the encoder's 7 steps")
        self.assertEqual(config["decoder_steps"], 2)
        self.assertEqual(config["canonical"], shipped["canonical"], "the map's tau was lost")
        # a run that trains the codes records its own steps
        with redirect_stdout(io.StringIO()):
            export_main(["--run", str(self.run_dir), "--out", str(self.root / "plain")])
        plain = json.loads((self.root / "plain" / "config.json").read_text())
        self.assertEqual(plain["trained_steps"], 3)
        self.assertNotIn("decoder_steps", plain)

    def test_evaluate_report(self):
        vq = load_vq(self.run_dir)
        report = evaluate(vq, self.data, heldout=["shard-000000.tar"], images=6, usage_images=10, batch=4)
        self.assertEqual(report["shards"], ["shard-000000.tar"])
        self.assertEqual(report["images"], 6)
        self.assertEqual(report["usage_images"], 10)
        self.assertTrue(0 < report["codes_used_frac"] <= 1)
        self.assertEqual(sum(v["images"] for v in report["psnr_by_layout"].values()), 6)
        # the CLI with --run evaluates the run's held-out shards only
        out = self.root / "eval.json"
        with redirect_stdout(io.StringIO()):
            eval_main(["--run", str(self.run_dir), "--data", str(self.data), "--images", "4", "--usage-images", "4", "--out", str(out)])
        self.assertEqual(json.loads(out.read_text())["shards"], ["shard-000000.tar"])

    def test_sigterm_checkpoints_and_exits_cleanly(self):
        run = self.root / "killed"
        env = {**os.environ, "PYTHONPATH": str(TRAINER), "TESSERA_THREADS": "1"}
        proc = subprocess.Popen([sys.executable, "-m", "tessera_trainer.vq", "train", "--preset", "tiny", "--data", str(self.data),
                                 "--out", str(run)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 60
        for line in proc.stdout:
            if line.startswith("[vq] step 2 ") or time.time() > deadline:
                break
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, rest)
        self.assertIn("SIGTERM", rest)
        self.assertGreaterEqual(load_checkpoint(run)["step"], 2)

    def test_sigterm_to_the_process_group_with_loader_workers(self):
        # kill -TERM -PGID (a terminal's Ctrl-C, or a script stopping its job) reaches the loader's
        # workers too; a worker that died of it made the training step fail instead of checkpointing
        run = self.root / "group-killed"
        env = {**os.environ, "PYTHONPATH": str(TRAINER), "TESSERA_THREADS": "1"}
        proc = subprocess.Popen([sys.executable, "-m", "tessera_trainer.vq", "train", "--preset", "tiny", "--data", str(self.data),
                                 "--out", str(run), "--workers", "1"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        deadline = time.time() + 60
        for line in proc.stdout:
            if line.startswith("[vq] step 2 ") or time.time() > deadline:
                break
        os.killpg(proc.pid, signal.SIGTERM)
        rest, _ = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, rest)
        self.assertIn("SIGTERM", rest)
        self.assertGreaterEqual(load_checkpoint(run)["step"], 2)


if __name__ == "__main__":
    unittest.main()
