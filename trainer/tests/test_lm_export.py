"""The export's structure and the engine graph's arithmetic; the ONNX numbers are checked from Node
against onnxruntime in src/model/onnx-parity.test.ts (no onnx/onnxruntime Python packages here)."""
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
from tessera_trainer.lm.onnx_graph import GraphLM

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
            self.assertTrue((Path(d) / "lm.onnx").stat().st_size > 4 * model.num_params())
            self.assertFalse((Path(d) / "decode.onnx").exists())
            export(model, Path(d) / "int8", torch.int8)
            self.assertLess((Path(d) / "int8" / "lm.onnx").stat().st_size, (Path(d) / "lm.onnx").stat().st_size)
        self.assertEqual(manifest["lm"]["inputs"][3:6], ["all_logits", "past.0.key", "past.0.value"])
        self.assertEqual(manifest["lm"]["outputs"], ["logits", "code_logits", *[f"new.{i}.{kv}" for i in range(cfg.n_layer) for kv in ("key", "value")]])

    def test_engine_graph_matches_the_model_on_an_empty_and_a_part_filled_cache(self):
        """GraphLM (what lm.onnx computes) against the model: prefill on no cache, then one step
        with the engine's preallocated cache, whose unwritten slots the mask hides."""
        torch.set_num_threads(1)
        cfg = LMConfig.load(FIXTURE)
        model = fixture_model(cfg)
        graph = GraphLM(model).eval()
        H, D, L = cfg.n_head, cfg.head_dim, cfg.n_layer
        every = torch.tensor([1])
        ids = torch.tensor([[5, 6, 7, 8, 9], [cfg.pad, cfg.pad, 3, 4, 5]])
        mask = (ids != cfg.pad).long()
        pos = (mask.cumsum(1) - 1).clamp(min=0)
        with torch.no_grad():
            want = PrefillGraph(model)(ids, pos, mask)
            got = graph(ids, pos, mask, every, *[torch.zeros(2, H, 0, D)] * (2 * L))
            self.assertLess((want[0] - got[0])[mask.bool()].abs().max().item(), 1e-5)
            self.assertLess((got[1] - got[0][..., cfg.image_start:cfg.image_end]).abs().max().item(), 1e-5)
            cache = [torch.full((2, H, 8, D), 7.0) for _ in range(2 * L)]  # junk in the unwritten slots
            for c, new in zip(cache, got[2:]):
                c[:, :, :5] = new
            tok, nxt = torch.tensor([[11], [12]]), pos[:, -1:] + 1
            want = DecodeGraph(model)(tok, nxt, torch.cat([mask, torch.ones(2, 1, dtype=torch.long)], 1), *want[1:])
            step_mask = torch.cat([mask, torch.zeros(2, 3, dtype=torch.long), torch.ones(2, 1, dtype=torch.long)], 1)
            got = graph(tok, nxt, step_mask, every, *cache)
        self.assertLess((want[0] - got[0][:, 0]).abs().max().item(), 1e-5)
        self.assertLess((want[1][:, :, -1:] - got[2]).abs().max().item(), 1e-5)

    def test_without_all_logits_only_the_image_codes_logits_are_computed(self):
        """Inside an image the engine asks for the codes' logits alone: the full head then runs on no
        rows, and the codes' head gives the same numbers as those columns of the full one (fp), or
        its own quantization of them (int8), with the cache the same either way."""
        torch.set_num_threads(1)
        cfg = LMConfig.load(FIXTURE)
        model = fixture_model(cfg)
        H, D, L = cfg.n_head, cfg.head_dim, cfg.n_layer
        ids, pos, mask = torch.tensor([[5, 6, 7], [8, 9, 10]]), torch.tensor([[0, 1, 2]] * 2), torch.ones(2, 3, dtype=torch.long)
        codes = slice(cfg.image_start, cfg.image_end)
        for dtype in (torch.float32, torch.int8):
            graph = GraphLM(model, dtype).eval()
            with torch.no_grad():
                every = graph(ids, pos, mask, torch.tensor([1]), *[torch.zeros(2, H, 0, D)] * (2 * L))
                only = graph(ids, pos, mask, torch.tensor([0]), *[torch.zeros(2, H, 0, D)] * (2 * L))
            self.assertEqual(tuple(every[0].shape), (2, 3, cfg.vocab_size))
            self.assertEqual(tuple(only[0].shape), (0, 3, cfg.vocab_size))
            self.assertTrue(torch.equal(only[1], every[1]), dtype)
            self.assertEqual(only[1].shape[-1], cfg.codebook_size)
            tolerance = 1e-5 if dtype == torch.float32 else 0.05 * every[0].abs().max().item()
            self.assertLessEqual((every[1] - every[0][..., codes]).abs().max().item(), tolerance, dtype)
            for a, b in zip(every[2:], only[2:]):
                self.assertTrue(torch.equal(a, b))

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
