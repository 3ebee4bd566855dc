import json
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import torch

from tessera_trainer.common.checkpoint import load_weights
from tessera_trainer.lm.synthetic import StubCodec
from tessera_trainer.lm import train as train_module
from tessera_trainer.lm.train import parse, train
from tessera_trainer.lm.weight_average import WeightAverages, best_average_file, decay_name, last_average_val_losses, parse_decays

from .synthetic_pack_case import SyntheticPackCase
from .test_lm_config import FIXTURE
from .test_lm_train import FAST


def flat(state: dict) -> torch.Tensor:
    return torch.cat([v.float().flatten() for _, v in sorted(state.items()) if v.is_floating_point()])


class WeightAveragesTest(unittest.TestCase):
    def test_update_moves_each_average_by_its_decay(self):
        model = torch.nn.Linear(3, 2, bias=False)
        with torch.no_grad():
            model.weight.fill_(1.0)
        averages = WeightAverages(model, [0.5, 0.9])
        with torch.no_grad():
            model.weight.fill_(3.0)
        averages.update(model)
        self.assertTrue(torch.allclose(averages.model(0.5).weight, torch.full((2, 3), 2.0)))
        self.assertTrue(torch.allclose(averages.model(0.9).weight, torch.full((2, 3), 1.2)))
        averages.update(model)
        self.assertTrue(torch.allclose(averages.model(0.5).weight, torch.full((2, 3), 2.5)))
        self.assertFalse(averages.model(0.5).weight.requires_grad)
        self.assertEqual(model.weight[0, 0].item(), 3.0, "the trained model is not touched")

    def test_decays_parse_and_bad_ones_are_refused(self):
        self.assertEqual(parse_decays(""), [])
        self.assertEqual(parse_decays("0.998, 0.999"), [0.998, 0.999])
        self.assertEqual(decay_name(0.998), "0.998")
        with self.assertRaisesRegex(ValueError, "outside"):
            parse_decays("1.0")
        with self.assertRaisesRegex(ValueError, "repeat"):
            parse_decays("0.9,0.9")

    def test_state_round_trip_and_missing_decays_keep_their_start(self):
        model = torch.nn.Linear(2, 2, bias=False)
        averages = WeightAverages(model, [0.5])
        with torch.no_grad():
            model.weight.add_(1.0)
        averages.update(model)
        saved = averages.state_dict()
        fresh = WeightAverages(model, [0.5])
        self.assertEqual(fresh.load_state_dict(saved), [0.5])
        self.assertTrue(torch.equal(fresh.model(0.5).weight, averages.model(0.5).weight))
        self.assertTrue(torch.equal(WeightAverages(model, [0.7]).model(0.7).weight, model.weight))
        self.assertEqual(WeightAverages(model, [0.7]).load_state_dict({}), [])

    def test_a_new_decay_starts_from_the_nearest_saved_average(self):
        model = torch.nn.Linear(2, 2, bias=False)
        averages = WeightAverages(model, [0.5, 0.9])
        with torch.no_grad():
            model.weight.add_(1.0)
        averages.update(model)
        saved = averages.state_dict()
        self.assertFalse(torch.equal(averages.model(0.5).weight, averages.model(0.9).weight))
        grown = WeightAverages(model, [0.5, 0.9, 0.95, 0.6])
        self.assertEqual(grown.load_state_dict(saved), [0.5, 0.9])
        self.assertTrue(torch.equal(grown.model(0.95).weight, averages.model(0.9).weight))
        self.assertTrue(torch.equal(grown.model(0.6).weight, averages.model(0.5).weight))
        self.assertIsNot(grown.model(0.95).weight, grown.model(0.9).weight, "each average keeps its own copy")
        grown.update(model)
        self.assertFalse(torch.equal(grown.model(0.95).weight, grown.model(0.9).weight))


class BestAverageFileTest(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.run = Path(tmp.name)

    def write(self, records: list[dict], files: list[str]) -> None:
        (self.run / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
        for name in files:
            (self.run / f"weights-avg{name}.safetensors").write_bytes(b"")

    def test_the_lowest_average_of_the_last_val_with_a_file(self):
        self.write([{"step": 10, "avg0.995_val_loss": 0.1, "avg0.998_val_loss": 0.3},
                    {"step": 12, "loss": 0.5},
                    {"step": 20, "val_loss": 0.4, "avg0.998_val_loss": 0.25, "avg0.999_val_loss": 0.22},
                    {"step": 21, "loss": 0.4}], ["0.995", "0.998", "0.999"])
        # 0.995 scored lowest once, but the last val did not score it: it is no longer kept.
        self.assertEqual(best_average_file(self.run), self.run / "weights-avg0.999.safetensors")
        (self.run / "weights-avg0.999.safetensors").unlink()
        self.assertEqual(best_average_file(self.run), self.run / "weights-avg0.998.safetensors")

    def test_none_without_averages_or_log(self):
        self.assertIsNone(best_average_file(self.run))
        self.write([{"step": 5, "val_loss": 0.4}], [])
        self.assertIsNone(best_average_file(self.run))


class TrainWithAveragesTest(SyntheticPackCase):
    def run_train(self, out, *extra):
        args, tc = parse(["--pack", str(self.pack), "--config", str(FIXTURE), "--out", str(out), *FAST, *extra])
        return train(args, tc, codec=StubCodec(self.cfg.codebook_size))

    def test_a_run_keeps_scores_saves_and_resumes_its_averages(self):
        out = Path(self.tmp.name) / "averaged"
        first = self.run_train(out, "--steps", "4", "--weight-averages", "0.5,0.9")
        for name in ("0.5", "0.9"):
            self.assertIn(f"avg{name}_val_loss", first)
            self.assertTrue((out / f"weights-avg{name}.safetensors").exists())
        ckpt = torch.load(out / "ckpt.pt", map_location="cpu")
        before_model = flat(ckpt["model"])
        before_avg = flat(ckpt["extra"]["weight_averages"]["0.9"])
        self.assertGreater((before_avg - before_model).abs().max().item(), 1e-6, "an average lags the weights")
        exported, _ = load_weights(out / "weights-avg0.9.safetensors")
        self.assertTrue(torch.allclose(flat(exported), before_avg, atol=2e-3), "the file holds the average (fp16)")

        # One more step: the restored 0.9 average moves a tenth of the way to the new weights; 0.95,
        # new to this run, starts from the saved average nearest to it (0.9's).
        self.run_train(out, "--steps", "1", "--resume", "--weight-averages", "0.9,0.95")
        after = torch.load(out / "ckpt.pt", map_location="cpu")
        self.assertEqual(after["step"], 5)
        after_model = flat(after["model"])
        saved = after["extra"]["weight_averages"]
        self.assertEqual(sorted(saved), ["0.9", "0.95"])
        self.assertTrue(torch.allclose(flat(saved["0.9"]), 0.9 * before_avg + 0.1 * after_model, atol=1e-6))
        self.assertTrue(torch.allclose(flat(saved["0.95"]), 0.95 * before_avg + 0.05 * after_model, atol=1e-6))

    def test_sample_grids_draw_the_average_the_last_val_scored_lowest(self):
        out = Path(self.tmp.name) / "grids"
        drawn = []
        real = train_module.sample_grid

        def record(model, *args):
            result = real(model, *args)
            drawn.append((flat(model.state_dict()), model.training))
            return result

        with mock.patch.object(train_module, "sample_grid", side_effect=record):
            self.run_train(out, "--steps", "4", "--weight-averages", "0.9,0.5")
        self.assertTrue(drawn, "the run drew its final grid")
        weights, training = drawn[-1]
        ckpt = torch.load(out / "ckpt.pt", map_location="cpu")  # fp32, saved after the last step
        losses = last_average_val_losses(out)
        self.assertEqual(sorted(losses), ["0.5", "0.9"], "the final val scored both averages")
        lowest = min(losses, key=losses.__getitem__)
        self.assertTrue(torch.allclose(weights, flat(ckpt["extra"]["weight_averages"][lowest]), atol=1e-6), f"the grid drew the {lowest} average")
        self.assertEqual(best_average_file(out), out / f"weights-avg{lowest}.safetensors", "the one lm-export ships")
        self.assertGreater((weights - flat(ckpt["model"])).abs().max().item(), 1e-4, "not the raw weights")
        self.assertFalse(training, "the average stays in eval mode through val and grids")
        self.assertTrue((out / "samples").is_dir())

    def test_no_averages_by_default(self):
        out = Path(self.tmp.name) / "plain"
        result = self.run_train(out, "--steps", "2")
        self.assertFalse(any(k.startswith("avg") for k in result))
        self.assertEqual(list(out.glob("weights-avg*")), [])
        self.assertEqual(torch.load(out / "ckpt.pt", map_location="cpu")["extra"]["weight_averages"], {})


if __name__ == "__main__":
    unittest.main()
