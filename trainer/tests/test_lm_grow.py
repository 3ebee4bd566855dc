import io
import json
import tempfile
import unittest
from contextlib import redirect_stdout
from pathlib import Path

import torch

from tessera_trainer.common.checkpoint import load_weights, save_weights
from tessera_trainer.lm.config import LMConfig
from tessera_trainer.lm.grow import grow, insertion_points, layer_sources
from tessera_trainer.lm.grow import main as grow_main
from tessera_trainer.lm.model import LM

from .test_lm_config import FIXTURE


def trained_like(cfg: LMConfig) -> LM:
    """An LM whose every weight is nonzero and random, as a trained one's are (fresh init has
    depth-scaled output projections and unit norm gains: too regular to catch a misplaced block)."""
    torch.manual_seed(1)
    model = LM(cfg).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn_like(p) * 0.1 + (1.0 if p.dim() == 1 else 0.0))
    return model


class GrowTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        cls.cfg = LMConfig.load(FIXTURE)
        cls.model = trained_like(cls.cfg)
        cls.ids = torch.randint(0, cls.cfg.vocab_size, (2, 12), generator=torch.Generator().manual_seed(2))

    def test_new_blocks_are_spread_between_the_old_ones(self):
        self.assertEqual(layer_sources(6, 9), [0, 1, None, 2, 3, None, 4, 5, None])
        self.assertEqual(layer_sources(6, 12), [0, None, 1, None, 2, None, 3, None, 4, None, 5, None])
        self.assertEqual(layer_sources(2, 3), [0, 1, None])
        self.assertEqual(layer_sources(4, 4), [0, 1, 2, 3])
        self.assertEqual(insertion_points(6, 8), [3, 6])
        with self.assertRaisesRegex(ValueError, "only adds"):
            insertion_points(6, 4)

    def test_the_grown_model_computes_the_same_logits(self):
        layers = self.cfg.n_layer + 3
        grown = grow(self.model, layers).eval()
        self.assertEqual(len(grown.blocks), layers)
        self.assertEqual(grown.cfg.n_layer, layers)
        with torch.no_grad():
            torch.testing.assert_close(grown(self.ids), self.model(self.ids), rtol=0, atol=1e-6)

    def test_old_blocks_keep_their_weights_and_new_ones_start_learning(self):
        grown = grow(self.model, self.cfg.n_layer + 1)
        sources = layer_sources(self.cfg.n_layer, self.cfg.n_layer + 1)
        for index, source in enumerate(sources):
            block = grown.blocks[index]
            if source is not None:
                torch.testing.assert_close(block.attn.qkv.weight, self.model.blocks[source].attn.qkv.weight, rtol=0, atol=0)
                continue
            self.assertEqual(float(block.attn.proj.weight.abs().sum()), 0.0)
            self.assertEqual(float(block.mlp.down.weight.abs().sum()), 0.0)
            self.assertGreater(float(block.mlp.gate_up.weight.std()), 0.0)  # random: the zero outputs get gradients
        grown.train()
        loss = grown(self.ids).logsumexp(-1).mean()
        loss.backward()
        new = grown.blocks[sources.index(None)]
        self.assertGreater(float(new.mlp.down.weight.grad.abs().sum()), 0.0)
        self.assertGreater(float(new.attn.proj.weight.grad.abs().sum()), 0.0)

    def test_command_writes_a_config_and_weights_a_run_can_start_from(self):
        with tempfile.TemporaryDirectory() as tmp:
            weights = Path(tmp) / "old.safetensors"
            save_weights(weights, self.model, self.cfg.raw, dtype=torch.float32)
            out = Path(tmp) / "grown"
            with redirect_stdout(io.StringIO()) as log:
                grow_main(["--config", str(FIXTURE), "--weights", str(weights), "--layers", str(self.cfg.n_layer + 2), "--out", str(out)])
            self.assertIn(f"{self.cfg.n_layer} -> {self.cfg.n_layer + 2} layers", log.getvalue())
            raw = json.loads((out / "config.json").read_text())
            self.assertEqual(raw["model"]["nLayer"], self.cfg.n_layer + 2)
            self.assertEqual({k: v for k, v in raw.items() if k != "model"}, {k: v for k, v in self.cfg.raw.items() if k != "model"})
            grown = LM(LMConfig.load(out / "config.json")).eval()
            load_weights(out / "weights.safetensors", grown)
            with torch.no_grad():
                torch.testing.assert_close(grown(self.ids), self.model(self.ids), rtol=0, atol=1e-6)
            with self.assertRaisesRegex(SystemExit, "only adds"):
                grow_main(["--config", str(FIXTURE), "--weights", str(weights), "--layers", "1", "--out", str(out)])


if __name__ == "__main__":
    unittest.main()
