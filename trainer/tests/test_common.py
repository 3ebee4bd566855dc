import json
import os
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import torch
from PIL import Image

from tessera_trainer.common import runtime
from tessera_trainer.common.checkpoint import (has_checkpoint, load_checkpoint, load_weights, read_safetensors,
                                               save_checkpoint, save_weights, unwrap, write_safetensors)
from tessera_trainer.common.logbook import Logbook, plot_curves, read_jsonl


class RuntimeTest(unittest.TestCase):
    def test_cpu_device_and_noop_autocast(self):
        self.assertEqual(runtime.pick_device("cpu").type, "cpu")
        with runtime.autocast(torch.device("cpu")):
            y = torch.ones(2, 2) @ torch.ones(2, 2)
        self.assertEqual(y.dtype, torch.float32)

    def test_seed_everything_repeats(self):
        runtime.seed_everything(7)
        a = torch.rand(3)
        runtime.seed_everything(7)
        self.assertTrue(torch.equal(a, torch.rand(3)))

    def test_set_threads(self):
        self.assertEqual(runtime.set_threads(1), 1)
        self.assertEqual(torch.get_num_threads(), 1)

    def test_tessera_threads_bounds_the_blas_pool(self):
        # In a fresh interpreter: the BLAS libraries read their thread count once, at load.
        import os
        import subprocess
        import sys
        probe = "import os, tessera_trainer; print(os.environ.get('OPENBLAS_NUM_THREADS'), os.environ.get('OMP_NUM_THREADS'))"
        env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "TESSERA_THREADS")}
        run = lambda extra: subprocess.run([sys.executable, "-c", probe], env={**env, **extra}, capture_output=True, text=True, check=True).stdout.split()  # noqa: E731
        self.assertEqual(run({"TESSERA_THREADS": "1"}), ["1", "1"])
        self.assertEqual(run({"TESSERA_THREADS": "1", "OPENBLAS_NUM_THREADS": "3"}), ["3", "1"])  # an explicit setting wins
        self.assertEqual(run({}), ["None", "None"])

    def test_sigusr1_prints_the_stacks_and_the_run_goes_on(self):
        import subprocess
        import sys
        import signal
        probe = ("import sys, time\nfrom tessera_trainer.common import runtime\nruntime.stack_dumps_on_sigusr1()\n"
                 "def waiting_here():\n    print('ready', flush=True)\n    time.sleep(1.5)\n    print('went on', flush=True)\n"
                 "waiting_here()\n")
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        proc = subprocess.Popen([sys.executable, "-c", probe], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(proc.stdout.readline().strip(), "ready")
        proc.send_signal(signal.SIGUSR1)
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn("went on", out)
        self.assertIn("waiting_here", err)


ZEN5 = "fpu sse2 avx2 avx512f avx512bw avx512_bf16 avx512_vnni"
SKYLAKE = "fpu sse2 avx2 avx512f avx512bw avx512_vnni"


class CpuBf16Test(unittest.TestCase):
    def setUp(self):
        patcher = mock.patch.dict(os.environ, {}, clear=False)
        patcher.start()
        self.addCleanup(patcher.stop)
        os.environ.pop("TESSERA_CPU_BF16", None)

    def test_auto_follows_native_bf16(self):
        self.assertTrue(runtime.cpu_bf16(ZEN5))
        self.assertTrue(runtime.cpu_bf16("avx2 amx_bf16 amx_tile"))
        self.assertFalse(runtime.cpu_bf16(SKYLAKE), "emulated bf16 is slower than fp32")
        self.assertFalse(runtime.cpu_bf16(""))

    def test_the_environment_overrides_the_hardware(self):
        os.environ["TESSERA_CPU_BF16"] = "0"
        self.assertFalse(runtime.cpu_bf16(ZEN5))
        os.environ["TESSERA_CPU_BF16"] = "1"
        self.assertTrue(runtime.cpu_bf16(SKYLAKE))
        os.environ["TESSERA_CPU_BF16"] = "maybe"
        with self.assertRaisesRegex(ValueError, "TESSERA_CPU_BF16"):
            runtime.cpu_bf16(ZEN5)

    def test_training_steps_run_matmuls_in_bf16_and_evaluation_in_fp32(self):
        x, w = torch.randn(4, 8), torch.randn(8, 8)
        cpu = torch.device("cpu")
        os.environ["TESSERA_CPU_BF16"] = "1"
        with runtime.train_autocast(cpu):
            self.assertEqual((x @ w).dtype, torch.bfloat16)
        with runtime.autocast(cpu):
            self.assertEqual((x @ w).dtype, torch.float32)
        os.environ["TESSERA_CPU_BF16"] = "0"
        with runtime.train_autocast(cpu):
            self.assertEqual((x @ w).dtype, torch.float32)



class CheckpointTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def model(self, seed=0):
        torch.manual_seed(seed)
        m = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.Linear(8, 2))
        return m

    def test_checkpoint_roundtrip_with_optimizer(self):
        m = self.model()
        opt = torch.optim.AdamW(m.parameters(), lr=1e-2)
        m(torch.randn(5, 4)).sum().backward()
        opt.step()
        save_checkpoint(self.dir, m, opt, step=12, config={"a": 1}, note="x")
        self.assertTrue(has_checkpoint(self.dir))
        self.assertEqual([p.name for p in self.dir.iterdir()], ["ckpt.pt"])  # no .tmp left behind
        m2, opt2 = self.model(seed=1), None
        opt2 = torch.optim.AdamW(m2.parameters(), lr=1e-2)
        ckpt = load_checkpoint(self.dir, m2, opt2)
        self.assertEqual((ckpt["step"], ckpt["config"], ckpt["extra"]), (12, {"a": 1}, {"note": "x"}))
        for a, b in zip(m.state_dict().values(), m2.state_dict().values()):
            self.assertTrue(torch.equal(a, b))
        self.assertEqual(opt2.state_dict()["state"][0]["step"], opt.state_dict()["state"][0]["step"])

    def test_load_weights_reads_a_checkpoint_kept_under_another_name(self):
        m = self.model()
        kept = self.dir / "ckpt-step-12.pt"
        save_checkpoint(self.dir, m, None, step=12, config={"a": 1}).rename(kept)
        m2 = self.model(seed=1)
        load_weights(kept, m2)
        for a, b in zip(m.state_dict().values(), m2.state_dict().values()):
            self.assertTrue(torch.equal(a, b))
        torch.save({"something": 1}, self.dir / "other.pt")
        with self.assertRaisesRegex(ValueError, "neither a weights file"):
            load_weights(self.dir / "other.pt", m2)

    def test_weights_fp16_pt_and_safetensors(self):
        m = self.model()
        for name in ("w.pt", "w.safetensors"):
            save_weights(self.dir / name, m, {"model": {"width": 8}})
            sd, config = load_weights(self.dir / name)
            self.assertEqual(config, {"model": {"width": 8}})
            self.assertEqual(sd["0.weight"].dtype, torch.float16)
            self.assertEqual(sd["1.num_batches_tracked"].dtype, torch.int64)  # integer buffers untouched
            fresh = self.model(seed=3)
            load_weights(self.dir / name, fresh)  # cast back to the model's fp32
            self.assertEqual(fresh[0].weight.dtype, torch.float32)
            self.assertLess((fresh[0].weight - m[0].weight).abs().max().item(), 1e-3)
            # a run continues from weights alone, with a fresh optimizer
            opt = torch.optim.AdamW(fresh.parameters(), lr=1e-3)
            fresh(torch.randn(3, 4)).sum().backward()
            opt.step()

    def test_safetensors_layout(self):
        tensors = {"a": torch.arange(6, dtype=torch.float16).reshape(2, 3), "b": torch.tensor([1, 2], dtype=torch.int64),
                   "c": torch.tensor([1.5], dtype=torch.bfloat16)}
        write_safetensors(self.dir / "t.safetensors", tensors, {"k": "v"})
        raw = (self.dir / "t.safetensors").read_bytes()
        n = int.from_bytes(raw[:8], "little")
        header = json.loads(raw[8:8 + n])
        self.assertEqual(n % 8, 0)
        self.assertEqual(header["a"], {"dtype": "F16", "shape": [2, 3], "data_offsets": [0, 12]})
        back, meta = read_safetensors(self.dir / "t.safetensors")
        self.assertEqual(meta, {"k": "v"})
        for k, v in tensors.items():
            self.assertTrue(torch.equal(back[k], v), k)

    def test_unwrap(self):
        m = self.model()

        class Wrapper(torch.nn.Module):
            def __init__(self, module):
                super().__init__()
                self.module = module

        self.assertIs(unwrap(Wrapper(m)), m)


class LogbookTest(unittest.TestCase):
    def test_log_series_plot(self):
        with tempfile.TemporaryDirectory() as tmp:
            book = Logbook(tmp)
            for step in range(1, 50):
                book.log(step=step, loss=1.0 / step, val=2.0 / step if step % 10 == 0 else None)
            with open(book.path, "a") as f:
                f.write('{"step": 99, "loss": 0.')  # a torn last line, as from a kill mid-write
            self.assertEqual(len(read_jsonl(book.path)), 49)
            self.assertEqual(book.series("loss")[:2], [(1.0, 1.0), (2.0, 0.5)])
            self.assertEqual(len(book.series("val")), 4)  # None values are skipped
            path = book.plot({"train": "loss", "val": "val"}, Path(tmp) / "loss.png", log_y=True, smooth=0.5)
            with Image.open(path) as im:
                self.assertEqual(im.size, (800, 480))
                self.assertGreater(len(set(im.getdata())), 5)  # something was drawn

    def test_plot_empty_and_flat(self):
        with tempfile.TemporaryDirectory() as tmp:
            plot_curves({}, Path(tmp) / "empty.png")
            plot_curves({"flat": [(0, 1.0), (1, 1.0)], "one": [(0, 2.0)]}, Path(tmp) / "flat.png", log_y=True)
            self.assertTrue((Path(tmp) / "flat.png").exists())


if __name__ == "__main__":
    unittest.main()
