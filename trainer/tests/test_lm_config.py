"""config.json is written by TypeScript (src/model/model-config.ts); the trainer must read it as is."""
import copy
import json
import unittest
from pathlib import Path

from tessera_trainer.lm.config import LMConfig

FIXTURE = Path(__file__).resolve().parents[2] / "src/model/fixtures/tiny/config.json"


class ConfigTest(unittest.TestCase):
    def setUp(self):
        self.raw = json.loads(FIXTURE.read_text())

    def test_reads_the_typescript_fixture(self):
        cfg = LMConfig.load(FIXTURE)
        self.assertEqual(cfg.image_start, cfg.text_vocab_size)
        self.assertEqual(cfg.pad, cfg.text_vocab_size + cfg.codebook_size)
        self.assertEqual(cfg.tasks["multiturn"], cfg.vocab_size - 1)
        self.assertEqual((cfg.n_layer, cfg.n_head, cfg.head_dim), (2, 2, 24))
        self.assertEqual(cfg.image_tokens, 256)

    def test_rejects_unknown_keys(self):
        for where in (self.raw, self.raw["model"], self.raw["vocab"]):
            where["surprise"] = 1
            with self.assertRaises(ValueError):
                LMConfig.from_dict(self.raw)
            del where["surprise"]

    def test_rejects_shifted_ids(self):
        raw = copy.deepcopy(self.raw)
        raw["vocab"]["specials"]["boi"] += 1
        with self.assertRaisesRegex(ValueError, "layout"):
            LMConfig.from_dict(raw)


if __name__ == "__main__":
    unittest.main()
