import unittest

import torch

from tessera_trainer.lm.config import LMConfig
from tessera_trainer.lm.model import LM
from tessera_trainer.lm.sample import ImageGrammar, SamplingConfig, generate, generate_images, image_codes, top_k_filter, top_p_filter

from .test_lm_config import FIXTURE


class SampleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        torch.manual_seed(0)
        cls.cfg = LMConfig.load(FIXTURE)
        cls.model = LM(cls.cfg).eval()
        c = cls.cfg
        cls.prompts = [[c.bos, c.tasks["t2i"], c.user, 4, 5, 6, c.end_turn, c.assistant], [c.bos, c.tasks["t2i"], c.user, 7, c.end_turn, c.assistant]]
        cls.uncond = [[c.bos, c.tasks["t2i"], c.user, c.end_turn, c.assistant]] * 2

    def test_filters(self):
        logits = torch.tensor([[1.0, 3.0, 2.0, 0.0]])
        self.assertEqual(torch.isfinite(top_k_filter(logits, 2)).tolist(), [[False, True, True, False]])
        probs = torch.tensor([[0.5, 0.3, 0.15, 0.05]]).log()
        self.assertEqual(torch.isfinite(top_p_filter(probs, 0.7)).tolist(), [[True, True, False, False]])
        self.assertEqual(torch.isfinite(top_p_filter(probs, 0.1)).tolist(), [[True, False, False, False]])

    def test_grammar_forces_one_whole_image(self):
        out = generate(self.model, self.prompts, SamplingConfig(max_new_tokens=262, seed=3), force_image=True)
        c = self.cfg
        for row in out:
            self.assertEqual(row[0], c.boi)
            self.assertEqual(row[257], c.eoi)
            self.assertEqual(image_codes(row[:258], c)[0], [t - c.image_start for t in row[1:257]])
            if c.boi not in row[258:]:  # after the image, text or end_turn: no stray codes
                self.assertTrue(all(t < c.image_start or t >= c.image_end for t in row[258:]))

    def test_outside_an_image_no_codes(self):
        grammar = ImageGrammar(self.cfg, 1, "cpu")
        allowed = torch.isfinite(grammar.mask(torch.zeros(1, self.cfg.vocab_size)))[0]
        self.assertFalse(allowed[self.cfg.image_start:self.cfg.image_end].any())
        self.assertTrue(allowed[self.cfg.boi] and allowed[self.cfg.end_turn] and not allowed[self.cfg.pad])

    def test_seeded_and_batch_independent_with_cfg(self):
        sc = SamplingConfig(cfg_scale=3.0, top_k=50, seed=7)
        a, _ = generate_images(self.model, self.prompts, self.uncond, sc)
        b, _ = generate_images(self.model, self.prompts, self.uncond, sc)
        self.assertEqual(a.shape, (2, 256))
        self.assertTrue(torch.equal(a, b))
        greedy = SamplingConfig(temperature=0, cfg_scale=2.0)
        both, _ = generate_images(self.model, self.prompts, self.uncond, greedy)
        alone, _ = generate_images(self.model, self.prompts[1:], self.uncond[1:], greedy)
        self.assertTrue(torch.equal(both[1], alone[0]))  # left padding does not change a row


if __name__ == "__main__":
    unittest.main()
