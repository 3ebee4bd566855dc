import unittest

import torch

from tessera_trainer.lm.config import LMConfig
from tessera_trainer.lm.model import HAS_SDPA, LM, QUERY_BLOCK, KVCache, causal_attention

from .test_lm_config import FIXTURE


class ModelTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        torch.manual_seed(0)
        cls.cfg = LMConfig.load(FIXTURE)
        cls.model = LM(cls.cfg).eval()

    def test_param_count_matches_typescript_formula(self):
        c = self.cfg  # countParams() in src/model/model-config.ts
        blocks = c.n_layer * (4 * c.n_embd ** 2 + 3 * c.n_embd * c.mlp_hidden + 2 * c.n_embd) + c.n_embd
        self.assertEqual(self.model.num_params(), blocks + c.vocab_size * c.n_embd)

    def test_kv_cache_matches_full_forward(self):
        idx = torch.randint(0, self.cfg.vocab_size, (2, 24))
        with torch.no_grad():
            full = self.model(idx)
            cache = KVCache(self.cfg, 2, 32, "cpu")
            parts = [self.model(idx[:, :10], cache=cache)] + [self.model(idx[:, t:t + 1], cache=cache) for t in range(10, 24)]
        self.assertLess((torch.cat(parts, 1) - full).abs().max().item(), 1e-5)

    def test_left_padding_is_invisible(self):
        idx = torch.randint(0, self.cfg.vocab_size, (1, 12))
        padded = torch.cat([torch.full((1, 4), self.cfg.pad), idx], 1)
        key_mask = torch.arange(16).unsqueeze(0) >= 4
        positions = (key_mask.long().cumsum(1) - 1).clamp(min=0)
        with torch.no_grad():
            a = self.model(idx)
            b = self.model(padded, positions=positions, key_mask=key_mask)
        self.assertTrue(torch.isfinite(b).all())
        self.assertLess((b[:, 4:] - a).abs().max().item(), 1e-5)

    @unittest.skipUnless(HAS_SDPA, "torch < 2 has no scaled_dot_product_attention")
    def test_sdpa_matches_manual(self):
        idx = torch.randint(0, self.cfg.vocab_size, (2, 20))
        with torch.no_grad():
            a = self.model(idx)
            for b in self.model.blocks:
                b.attn.sdpa = False
            m = self.model(idx)
            for b in self.model.blocks:
                b.attn.sdpa = True
        self.assertLess((a - m).abs().max().item(), 1e-5)

    def test_blocked_causal_attention_matches_the_full_square(self):
        """Queries by blocks against the keys up to each block's end: the full masked square's outputs
        and gradients, also when T is not a multiple of the block."""
        torch.manual_seed(0)
        for T in (QUERY_BLOCK - 3, 2 * QUERY_BLOCK + 45):
            q, k, v = (torch.randn(2, 3, T, 8, requires_grad=True) for _ in range(3))
            scale = 8 ** -0.5
            causal = torch.full((T, T), float("-inf")).triu(1)
            want = torch.softmax(q @ k.transpose(-1, -2) * scale + causal, dim=-1) @ v
            got = causal_attention(q, k, v, scale, 0.0, False)
            self.assertLess((want - got).abs().max().item(), 1e-5, T)
            g = torch.randn_like(want)
            want_grads = torch.autograd.grad((want * g).sum(), (q, k, v))
            got_grads = torch.autograd.grad((got * g).sum(), (q, k, v))
            for a, b in zip(want_grads, got_grads):
                self.assertLess((a - b).abs().max().item(), 1e-4, T)

    def test_bf16_attention_and_mlp_match_fp32_up_to_rounding(self):
        """The CPU bf16 training path (blocked attention softmaxing bf16 scores as they are; SwiGLU in fp32,
        rounded once) gives what fp32 gives on the same bf16 inputs, up to bf16 rounding, gradients too."""
        torch.manual_seed(2)
        T = QUERY_BLOCK + 40
        q, k, v = (2 * torch.randn(2, 3, T, 8) for _ in range(3))  # sharp scores: a wrong softmax shows
        q, k, v = (t.bfloat16().float().requires_grad_() for t in (q, k, v))
        scale = 8 ** -0.5
        want = torch.softmax(q @ k.transpose(-1, -2) * scale + torch.full((T, T), float("-inf")).triu(1), dim=-1) @ v
        got = causal_attention(*(t.bfloat16() for t in (q, k, v)), scale, 0.0, False)
        self.assertEqual(got.dtype, torch.bfloat16)
        self.assertLess(((want - got.float()).norm() / want.norm()).item(), 0.01)
        g = torch.randn_like(want)
        want_grads = torch.autograd.grad((want * g).sum(), (q, k, v))
        got_grads = torch.autograd.grad((got.float() * g).sum(), (q, k, v))
        for a, b in zip(want_grads, got_grads):
            self.assertLess(((a - b).norm() / a.norm()).item(), 0.02)

        mlp = self.model.blocks[0].mlp
        x = torch.randn(2, 16, self.cfg.n_embd).bfloat16().float().requires_grad_()
        want = mlp(x)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            got = mlp(x)
        self.assertLess(((want - got.float()).norm() / want.norm()).item(), 0.02)
        (gx_want,), (gx_got,) = torch.autograd.grad(want.sum(), x), torch.autograd.grad(got.float().sum(), x)
        self.assertLess(((gx_want - gx_got).norm() / gx_want.norm()).item(), 0.03)

    def test_trains_on_a_repeated_sequence(self):
        torch.manual_seed(1)
        model = LM(self.cfg)
        opt = model.configure_optimizer(3e-3, 0.0)
        idx = torch.randint(0, self.cfg.vocab_size, (4, 33))
        for _ in range(30):
            logits = model(idx[:, :-1])
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), idx[:, 1:].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
        self.assertLess(loss.item(), 4.0)  # from ln(364) = 5.9


if __name__ == "__main__":
    unittest.main()
