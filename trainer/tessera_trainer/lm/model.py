"""The multimodal language model: a decoder-only transformer over the joint vocabulary
(text ids, image codes, specials; see config.py). Reads bottom-up:
RMSNorm -> RoPE -> KV caches -> attention -> SwiGLU MLP -> block -> LM.

Choices, and why:
- No biases, RMSNorm, SwiGLU, RoPE: the LLaMA recipe, which is also what ONNX engines run fastest.
- Plain 1-D RoPE over the whole episode, image tokens included. 2-D positions for image codes were
  A/B'd (learned row and column embeddings, BENCHMARKS.md "2-D positions"): a head start of ~0.1 in
  loss early on that was gone by step ~190, once attention had learned the 16-token row stride from
  1-D offsets. So they stay out.
- RoPE angles are computed from explicit position ids, never from a table: the same code serves
  training (0..T-1), left-padded CFG batches (per-row positions) and the ONNX graphs.
- One attention code path for every caller; what differs is the cache object it writes into:
  KVCache (preallocated, the sampler) or ConcatCache (past tensors in, present tensors out, ONNX).
- Masks are additive with the dtype's most negative finite value, never -inf, so a fully masked
  query row (a left-pad position) gives a uniform softmax instead of NaNs.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import LMConfig

HAS_SDPA = hasattr(F, "scaled_dot_product_attention")  # torch >= 2.0


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):  # (..., C); statistics in fp32 even under bf16 autocast
        xf = x.float()
        return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)).type_as(x) * self.weight


def rope_angles(positions: torch.Tensor, head_dim: int, theta: float):
    """positions (B, T) int -> cos, sin (B, 1, T, head_dim/2), broadcast over heads."""
    inv_freq = 1.0 / theta ** (torch.arange(0, head_dim, 2, device=positions.device, dtype=torch.float32) / head_dim)
    freqs = positions.float().unsqueeze(-1) * inv_freq  # (B, T, hs/2)
    return freqs.cos().unsqueeze(1), freqs.sin().unsqueeze(1)


def apply_rope(x, cos, sin):
    """Rotates pairs (x[i], x[i + hs/2]) (the GPT-NeoX layout: two contiguous halves, no strided slices).
    x (B, nh, T, hs)."""
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half].float(), x[..., half:].float()
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1).type_as(x)


class KVCache:
    """Preallocated keys/values for every layer: (B, nh, max_len, hs) each. `length` counts the
    positions written; the model advances it after each forward. Rows of a CFG batch are just rows."""

    def __init__(self, cfg: LMConfig, batch: int, max_len: int, device, dtype=torch.float32):
        shape = (batch, cfg.n_head, max_len, cfg.head_dim)
        self.k = [torch.zeros(shape, device=device, dtype=dtype) for _ in range(cfg.n_layer)]
        self.v = [torch.zeros(shape, device=device, dtype=dtype) for _ in range(cfg.n_layer)]
        self.length = 0

    def update(self, layer: int, k, v):  # k, v (B, nh, T, hs) -> all keys/values so far (B, nh, L+T, hs)
        end = self.length + k.shape[2]
        if end > self.k[layer].shape[2]:
            raise ValueError(f"KV cache full: {end} > {self.k[layer].shape[2]} positions")
        self.k[layer][:, :, self.length:end] = k
        self.v[layer][:, :, self.length:end] = v
        return self.k[layer][:, :, :end], self.v[layer][:, :, :end]

    def advance(self, n: int) -> None:
        self.length += n

    def reorder(self, rows: torch.Tensor) -> None:
        """Keeps batch rows `rows` (e.g. to drop finished sequences)."""
        self.k = [k[rows] for k in self.k]
        self.v = [v[rows] for v in self.v]


class ConcatCache:
    """Past tensors in, present tensors out: the functional form the ONNX graphs expose."""

    def __init__(self, past: list | None = None):
        self.past = past  # [(k, v)] per layer, each (B, nh, Tpast, hs), or None for an empty cache
        self.present = []
        self.length = 0 if past is None else past[0][0].shape[2]

    def update(self, layer: int, k, v):
        if self.past is not None:
            k = torch.cat([self.past[layer][0], k], dim=2)
            v = torch.cat([self.past[layer][1], v], dim=2)
        self.present.append((k, v))
        return k, v

    def advance(self, n: int) -> None:
        self.length += n


QUERY_BLOCK = 128  # queries per block of causal_attention


def causal_attention(q, k, v, scale: float, p: float, training: bool):
    """Plain causal attention without SDPA (torch < 2), q, k, v (B, nh, T, hs) -> (B, nh, T, hs).
    Each block of QUERY_BLOCK queries is scored against the keys up to its last query only: the
    scores above the diagonal, which the mask would throw away, are never computed. At T = 512 that
    is 5/8 of the full square's scores, softmax and its backward (a training step's attention was
    ~40 % of it on this CPU; BENCHMARKS.md). Same numbers as the full square."""
    B, H, T, D = q.shape
    q, k, v = (t.reshape(B * H, T, D) for t in (q, k, v))
    low = torch.finfo(q.dtype).min
    out = []
    for start in range(0, T, QUERY_BLOCK):
        end = min(T, start + QUERY_BLOCK)
        bias = torch.zeros(end - start, end, dtype=q.dtype, device=q.device)
        bias[:, start:] = torch.full((end - start, end - start), low, dtype=q.dtype, device=q.device).triu(1)
        att = torch.baddbmm(bias, q[:, start:end], k[:, :end].transpose(1, 2), alpha=scale)  # (B*nh, block, end)
        # bf16 scores (CPU autocast) are softmaxed as they are: the kernel accumulates in fp32 and rounds once,
        # as softmax-in-fp32-then-cast would, without the two copies (1.8x faster with its backward here).
        att = F.dropout(F.softmax(att if att.dtype == torch.bfloat16 else att.float(), dim=-1).type_as(q), p=p, training=training)
        out.append(torch.bmm(att, v[:, :end]))
    return torch.cat(out, dim=1).view(B, H, T, D)


class Attention(nn.Module):
    def __init__(self, cfg: LMConfig, layer: int):
        super().__init__()
        self.layer, self.n_head, self.dropout = layer, cfg.n_head, cfg.dropout
        self.qkv = nn.Linear(cfg.n_embd, 3 * cfg.n_embd, bias=False)
        self.proj = nn.Linear(cfg.n_embd, cfg.n_embd, bias=False)
        self.scale = 1.0 / math.sqrt(cfg.head_dim)
        self.sdpa = HAS_SDPA  # export.py turns this off: the manual path exports to plain ONNX ops

    def forward(self, x, cos, sin, mask=None, cache=None):
        """x (B, T, C); mask None (plain causal) or bool (B, 1, T, Tk), True = may attend."""
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))  # (B, nh, T, hs)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        if cache is not None:
            k, v = cache.update(self.layer, k, v)  # (B, nh, Tk, hs)
        p = self.dropout if self.training else 0.0
        bias = None
        if mask is not None:  # additive, in q's dtype (SDPA wants them equal)
            bias = torch.zeros(mask.shape, dtype=q.dtype, device=q.device).masked_fill(~mask, torch.finfo(q.dtype).min)
        if self.sdpa:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=p, is_causal=bias is None)
        else:  # torch < 2 and the ONNX export: scores, mask and softmax written out
            if bias is None:  # training: causal, by blocks of queries
                y = causal_attention(q, k, v, self.scale, p, self.training)
            else:
                att = (q @ k.transpose(-2, -1)) * self.scale + bias  # (B, nh, T, Tk)
                att = F.dropout(F.softmax(att.float(), dim=-1).type_as(q), p=p, training=self.training)
                y = att @ v  # (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return F.dropout(self.proj(y), p=p, training=self.training)


class SwiGLU(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.gate_up = nn.Linear(cfg.n_embd, 2 * cfg.mlp_hidden, bias=False)  # w1 and w3 in one matmul
        self.down = nn.Linear(cfg.mlp_hidden, cfg.n_embd, bias=False)
        self.dropout = cfg.dropout

    def forward(self, x):  # (B, T, C) -> (B, T, C)
        gate, up = self.gate_up(x).chunk(2, dim=-1)  # (B, T, H) each
        # In fp32, rounded once: torch 1.13's bf16 SiLU backward is scalar code, 7x slower than fp32's
        # (the MLP's forward and backward 1.7x faster this way under CPU autocast; a no-op in fp32).
        hidden = (F.silu(gate.float()) * up.float()).to(gate.dtype)
        return F.dropout(self.down(hidden), p=self.dropout, training=self.training)


class Block(nn.Module):
    def __init__(self, cfg: LMConfig, layer: int):
        super().__init__()
        self.norm1 = RMSNorm(cfg.n_embd, cfg.norm_eps)
        self.attn = Attention(cfg, layer)
        self.norm2 = RMSNorm(cfg.n_embd, cfg.norm_eps)
        self.mlp = SwiGLU(cfg)

    def forward(self, x, cos, sin, mask=None, cache=None):
        x = x + self.attn(self.norm1(x), cos, sin, mask, cache)
        return x + self.mlp(self.norm2(x))


def attention_mask(key_mask: torch.Tensor, T: int) -> torch.Tensor:
    """key_mask (B, Tk) bool/int, 1 = a real token, for all keys (past and the T new ones) ->
    (B, 1, T, Tk) bool: query i (at absolute slot Tk - T + i) sees real keys at slots <= its own."""
    Tk = key_mask.shape[1]
    q_slot = torch.arange(T, device=key_mask.device) + (Tk - T)
    causal = torch.arange(Tk, device=key_mask.device).unsqueeze(0) <= q_slot.unsqueeze(1)  # (T, Tk)
    return causal.unsqueeze(0).unsqueeze(0) & key_mask.bool().unsqueeze(1).unsqueeze(2)


class LM(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.cfg = cfg
        self.tok_emb = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.blocks = nn.ModuleList(Block(cfg, i) for i in range(cfg.n_layer))
        self.norm = RMSNorm(cfg.n_embd, cfg.norm_eps)
        self.head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)
        if cfg.tie_embeddings:
            self.head.weight = self.tok_emb.weight
        self.apply(self._init)
        for name, p in self.named_parameters():  # GPT-2: residual branch outputs scaled by depth
            if name.endswith("attn.proj.weight") or name.endswith("mlp.down.weight"):
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * cfg.n_layer))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)

    def num_params(self) -> int:
        """Unique parameters (a tied head counts once); matches countParams() in model-config.ts."""
        return sum(p.numel() for p in self.parameters())

    def forward(self, idx, positions=None, key_mask=None, cache=None, last_only: bool = False, select=None, code_rows=None):
        """idx (B, T) token ids -> logits (B, T, V); (B, V) with last_only; (N, V) for the N positions
        where the bool mask `select` (B, T) is set (training: only loss positions pay for the head).
        With `code_rows` (N,) bool as well: (logits (N - Nc, V) of the other rows, logits (Nc, K) of
        those rows over the K image codes alone, ids image_start + j), the head's columns a position
        whose target is an image code is scored among (train.py `token_losses`).
        positions (B, T): RoPE positions, default cache.length + 0..T-1.
        key_mask (B, Tk) with Tk = cache length + T: 1 for real tokens, 0 for padding. When both
        key_mask and cache are None, attention is plain causal (training's fast path)."""
        B, T = idx.shape
        start = cache.length if cache is not None else 0
        if positions is None:
            positions = (torch.arange(T, device=idx.device) + start).unsqueeze(0).expand(B, T)
        cos, sin = rope_angles(positions, self.cfg.head_dim, self.cfg.rope_theta)
        mask = None
        if key_mask is not None:
            mask = attention_mask(key_mask, T)
        elif start > 0:  # queries sit after the cached keys: not the top-left causal square
            mask = attention_mask(torch.ones(B, start + T, dtype=torch.bool, device=idx.device), T)
        x = self.tok_emb(idx)  # (B, T, C)
        for block in self.blocks:
            x = block(x, cos, sin, mask, cache)
        if cache is not None:
            cache.advance(T)
        x = self.norm(x)
        if last_only:
            x = x[:, -1]  # (B, C)
        elif select is not None:
            x = x[select]  # (N, C)
        if code_rows is not None:
            codes = self.head.weight[self.cfg.image_start:self.cfg.image_end]  # (K, C)
            return self.head(x[~code_rows]), F.linear(x[code_rows], codes)
        return self.head(x)  # (B, T, V) or (B, V)

    def configure_optimizer(self, lr: float, weight_decay: float, betas=(0.9, 0.95), fused: bool = False):
        """AdamW; matrices decay, norms (1-D) do not. The tied embedding is a matrix and decays."""
        params = [p for p in self.parameters() if p.requires_grad]
        groups = [
            {"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
            {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
        ]
        kw = {"fused": True} if fused else {}
        return torch.optim.AdamW(groups, lr=lr, betas=betas, **kw)


def load_lm(cfg: LMConfig, path, device="cpu") -> LM:
    """An LM with weights from a run folder (ckpt.pt, else weights.safetensors) or a weights/ckpt file."""
    from pathlib import Path

    from tessera_trainer.common.checkpoint import load_checkpoint, load_weights
    model = LM(cfg)
    path = Path(path)
    if path.is_dir():
        path = path / "ckpt.pt" if (path / "ckpt.pt").exists() else path / "weights.safetensors"
    if path.name.endswith("ckpt.pt"):
        load_checkpoint(path, model)
    else:
        load_weights(path, model)
    return model.to(device).eval()
