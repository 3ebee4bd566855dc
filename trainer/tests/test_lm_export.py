"""The export's structure; its numbers are checked from Node against onnxruntime in
src/model/onnx-parity.test.ts (no onnx/onnxruntime Python packages here)."""
import json
import tempfile
import unittest
import warnings
from pathlib import Path

import numpy as np
import torch

from tessera_trainer.lm.config import LMConfig
from tessera_trainer.lm.export import DecodeGraph, PrefillGraph, export, fixture_model, reference
from tessera_trainer.lm.model import LM

from .test_lm_config import FIXTURE


class ExportTest(unittest.TestCase):
    def test_graphs_agree_with_the_model_and_export(self):
        torch.set_num_threads(1)
        cfg = LMConfig.load(FIXTURE)
        torch.manual_seed(0)
        model = LM(cfg).eval()
        ids = torch.randint(0, cfg.vocab_size, (1, 9))
        with torch.no_grad():
            full = model(ids)
            pos = torch.arange(8).unsqueeze(0)
            out = PrefillGraph(model)(ids[:, :8], pos, torch.ones(1, 8, dtype=torch.long))
            step = DecodeGraph(model)(ids[:, 8:], pos[:, -1:] + 1, torch.ones(1, 9, dtype=torch.long), *out[1:])
        self.assertLess((out[0] - full[:, :8]).abs().max().item(), 1e-5)
        self.assertLess((step[0] - full[:, 8]).abs().max().item(), 1e-5)
        self.assertEqual(step[1].shape, (1, cfg.n_head, 9, cfg.head_dim))
        with tempfile.TemporaryDirectory() as d, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            manifest = export(model, d)
            self.assertTrue((Path(d) / "prefill.onnx").stat().st_size > 4 * model.num_params())
            self.assertTrue((Path(d) / "decode.onnx").exists())
        self.assertEqual(manifest["decode"]["inputs"][3:5], ["past.0.key", "past.0.value"])
        self.assertEqual(len(manifest["prefill"]["outputs"]), 1 + 2 * cfg.n_layer)

    def test_model_code_still_reproduces_the_committed_fixture(self):
        """The engine's parity tests run the committed ONNX; this pins the PyTorch side to the same numbers."""
        torch.set_num_threads(1)
        d = FIXTURE.parent
        committed = json.loads((d / "reference.json").read_text())
        ref, data = reference(fixture_model(LMConfig.load(FIXTURE)))
        self.assertEqual(ref["greedy"], committed["greedy"])
        now = np.frombuffer(data, "<f4")
        then = np.fromfile(d / "reference.bin", "<f4")
        self.assertEqual(now.shape, then.shape)
        B, T, V = ref["logits"]["prefill"]
        real = np.concatenate([np.repeat(np.array(ref["attention_mask"]).reshape(-1), V).astype(bool), np.ones(len(now) - B * T * V, bool)])
        self.assertLess(np.abs(now - then)[real].max(), 1e-4)

if __name__ == "__main__":
    unittest.main()
