import io
import json
import tempfile
import unittest
from contextlib import redirect_stdout
from pathlib import Path
from unittest import mock

import numpy as np
import torch
from PIL import Image

from tessera_trainer.lm.config import TASKS
from tessera_trainer.lm.model import LM
from tessera_trainer.lm.pack import Pack
from tessera_trainer.common.checkpoint import save_weights
from tessera_trainer.lm.sample_grid import grid_episodes, grid_model, main as sample_grid_main, sample_grid, sampling_settings
from tessera_trainer.lm.synthetic import StubCodec
from tessera_trainer.lm.train import TrainConfig, split
from tessera_trainer.lm.weight_average import WeightAverages, best_average, best_average_file, last_average_val_losses

from .synthetic_pack_case import SyntheticPackCase
from .test_lm_config import FIXTURE


class SampleGridTest(SyntheticPackCase):
    def test_truth_above_samples_one_column_an_episode(self):
        pack = Pack(self.pack, self.cfg)
        t2i = [i for i in range(len(pack)) if TASKS[pack.task[i]] == "t2i"][:3]
        self.assertEqual(len(t2i), 3, "the synthetic pack has t2i episodes")
        model = LM(self.cfg).train()
        codec = StubCodec(self.cfg.codebook_size)
        path = Path(self.tmp.name) / "grids" / "step.png"
        result = sample_grid(model, pack, t2i, codec, 2.0, 0.6, path)
        self.assertGreater(result["sample_tok_s"], 0)
        self.assertTrue(model.training, "the model goes back to training mode")
        sheet = np.asarray(Image.open(path).convert("RGB"))
        size = codec.image_size
        self.assertEqual(sheet.shape, (2 * size, 3 * size, 3))
        truth = codec.decode(torch.tensor(pack.image_codes(t2i[1]).astype(np.int64)).view(1, codec.grid, codec.grid))
        expected = ((truth[0].permute(1, 2, 0).clamp(-1, 1) + 1) * 127.5).round().numpy()
        self.assertLessEqual(np.abs(sheet[:size, size:2 * size].astype(float) - expected).max(), 1.0, "the top row is the episode's truth")


class SampleGridCommandTest(SyntheticPackCase):
    """`lm sample-grid`: the run's grid episodes, drawn by any weights at a model's sampling.json settings."""
    samples = 300  # ~1 % of samples are held out by key hash: enough for a few t2i episodes

    def run_cli(self, *extra):
        out = io.StringIO()
        with mock.patch("tessera_trainer.lm.codec.load_codec", lambda path: StubCodec(self.cfg.codebook_size)), redirect_stdout(out):
            sample_grid_main(["--pack", str(self.pack), "--config", str(FIXTURE), *extra])
        return json.loads(out.getvalue())

    def test_the_runs_episodes_at_the_models_settings(self):
        tmp = Path(self.tmp.name)
        torch.manual_seed(1)
        model = LM(self.cfg)
        save_weights(tmp / "w.safetensors", model, dtype=torch.float32)
        (tmp / "sampling.json").write_text(json.dumps({"image": {"cfg": 2, "temperature": 0.6}}))
        pack = Pack(self.pack, self.cfg)
        held_out = split(pack, TrainConfig().val_fraction)[1]
        expected = grid_episodes(pack, held_out, 3)
        self.assertEqual(len(expected), 3, "the synthetic pack holds held-out t2i episodes")
        self.assertTrue(all(TASKS[pack.task[i]] == "t2i" and i in held_out for i in expected))
        result = self.run_cli("--weights", str(tmp / "w.safetensors"), "--sampling", str(tmp / "sampling.json"),
                              "--samples", "3", "--out", str(tmp / "cli.png"))
        self.assertEqual((result["episodes"], result["cfg"], result["temperature"]), (expected, 2.0, 0.6))
        # The same sheet the training run draws for these weights at those settings.
        sample_grid(model.eval(), pack, expected, StubCodec(self.cfg.codebook_size), 2.0, 0.6, tmp / "run.png")
        self.assertTrue(np.array_equal(np.asarray(Image.open(tmp / "cli.png")), np.asarray(Image.open(tmp / "run.png"))))

    def test_settings_default_to_the_engines_and_a_pack_without_held_out_t2i_is_refused(self):
        self.assertEqual(sampling_settings(Path(self.tmp.name) / "missing.json"), (3.0, 1.0))
        tmp = Path(self.tmp.name)
        save_weights(tmp / "w2.safetensors", LM(self.cfg), dtype=torch.float32)
        with self.assertRaisesRegex(SystemExit, "no held-out t2i"):
            self.run_cli("--weights", str(tmp / "w2.safetensors"), "--samples", "0", "--out", str(tmp / "none.png"))
        self.assertFalse((tmp / "none.png").exists())


class GridModelTest(unittest.TestCase):
    """The sample grids draw the average the last val scored lowest: the one lm-export ships."""

    def setUp(self):
        self.model = torch.nn.Linear(2, 2, bias=False)
        self.averages = WeightAverages(self.model, [0.999, 0.9995])

    def test_the_lowest_scored_average_among_those_kept(self):
        losses = {"0.999": 0.21, "0.9995": 0.20, "0.99": 0.1}  # 0.99 is not kept: it cannot win
        self.assertEqual(best_average(self.averages, losses), 0.9995)
        self.assertIs(grid_model(self.model, self.averages, losses), self.averages.model(0.9995))
        self.assertIs(grid_model(self.model, self.averages, {"0.999": 0.2, "0.9995": 0.3}), self.averages.model(0.999))

    def test_the_first_average_before_any_val_and_the_weights_without_averages(self):
        self.assertIs(grid_model(self.model, self.averages, {}), self.averages.model(0.999))
        self.assertIs(grid_model(self.model, WeightAverages(self.model, []), {"0.999": 0.2}), self.model)
        self.assertIsNone(best_average(WeightAverages(self.model, []), {}))

    def test_a_resumed_run_reads_the_last_scores_from_its_log(self):
        with tempfile.TemporaryDirectory() as tmp:
            run = Path(tmp)
            self.assertEqual(last_average_val_losses(run), {})
            (run / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in [
                {"step": 1, "avg0.999_val_loss": 0.3, "avg0.9995_val_loss": 0.4}, {"step": 2, "loss": 1.0},
                {"step": 3, "val_loss": 0.5, "avg0.999_val_loss": 0.25, "avg0.9995_val_loss": 0.24}, {"step": 4, "loss": 0.9}]))
            self.assertEqual(last_average_val_losses(run), {"0.999": 0.25, "0.9995": 0.24})
            self.assertIs(grid_model(self.model, self.averages, last_average_val_losses(run)), self.averages.model(0.9995))

    def test_export_and_grids_follow_one_rule(self):
        """lm-export's file and the grids' average are the same decay for the same log."""
        with tempfile.TemporaryDirectory() as tmp:
            run = Path(tmp)
            (run / "log.jsonl").write_text(json.dumps({"step": 5, "avg0.999_val_loss": 0.2, "avg0.9995_val_loss": 0.3}) + "\n")
            self.assertIsNone(best_average_file(run), "no average file written yet")
            for name in ("0.999", "0.9995"):
                (run / f"weights-avg{name}.safetensors").write_bytes(b"")
            self.assertEqual(best_average_file(run).name, "weights-avg0.999.safetensors")
            self.assertEqual(best_average(self.averages, last_average_val_losses(run)), 0.999)
            (run / "weights-avg0.999.safetensors").unlink()  # only a file that exists can be exported
            self.assertEqual(best_average_file(run).name, "weights-avg0.9995.safetensors")
