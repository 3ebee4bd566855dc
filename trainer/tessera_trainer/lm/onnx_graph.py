"""The LM's forward as the engine runs it: ONE graph for prefill and decode, written for few ONNX ops.
Same numbers as model.py's LM (test_lm_export.py checks); only the arithmetic's layout differs.

    inputs   input_ids (B, T), position_ids (B, T), attention_mask (B, S + T)  int64
             all_logits (1,) int64: 1 computes every id's logits, 0 the image codes' alone
             past.{i}.key, past.{i}.value  (B, H, S, D) float32: S cache slots, any of them unused
    outputs  logits (B, T, V) if all_logits else (0, T, V); code_logits (B, T, K): ids image_start + j
             new.{i}.key, new.{i}.value (B, H, T, D): this call's T slots

Prefill is the call with S = 0. The engine owns the cache: it keeps preallocated (B, H, S, D) buffers,
feeds them as past, masks the slots not written yet (attention_mask 0) and copies the new slots in.
So no step copies the whole cache (the old decode graph's Concat of past and new was a third of a
step, and the runtime copied every present tensor out again; see BENCHMARKS.md).

Why each choice (the decode step at this size is per-op overhead, not FLOPs):
- RoPE: rope(x) = x * cos + rotate_half(x) * sin for q and k together, rotate_half as one small
  matmul by a fixed (D, D) signed permutation; cos and sin are gathered from a table by position,
  never recomputed. (Until session 8 rotate_half came from extra QKV columns, a fixed permutation of
  rows of Wq and Wk: no extra node, but 5C instead of 3C columns to read; the small matmul is 10 %
  faster a step at 8 rows and ~3 % at 2, BENCHMARKS.md.)
- 1/sqrt(head_dim) folded into Wq: no scale op.
- Reshapes with constant shapes (0 keeps a dim, -1 infers one): no Shape -> Gather -> Concat chains per layer.
- The tied head reuses the embedding matrix (a Transpose that ORT folds at load): stored once.
- Two heads, both constant matrices (so ORT prepacks them): the image codes' columns, always, and the
  whole vocabulary, run on zero rows unless all_logits. Inside an image the engine asks for codes
  only: the full head was the largest matmul of a decode step (383 of 4,140 us at B=2), a fifth of it
  ~75. Slicing one head by a run-time range instead cost more than it saved: a non-constant slice is
  copied and repacked on every call (BENCHMARKS.md).
- Weights may be stored fp16 with a Cast to float32 that ORT folds at load: half the file, same speed.
- RMSNorm and SiLU are written so ORT fuses them (SimplifiedLayerNormalization, QuickGelu); each
  residual add and the norm after it are one SkipSimplifiedLayerNormalization node (AddNorm).
"""
import torch
import torch.nn as nn

from .model import LM


class ReshapeKeep(torch.autograd.Function):
    """ONNX Reshape with a constant shape (0 keeps the batch dim, -1 infers seq): no Shape chains."""

    @staticmethod
    def forward(ctx, x, shape):
        return x.reshape([x.shape[i] if s == 0 else s for i, s in enumerate(shape)])

    @staticmethod
    def symbolic(g, x, shape):
        return g.op("Reshape", x, g.op("Constant", value_t=torch.tensor(shape, dtype=torch.long)))


class SplitBy(torch.autograd.Function):
    """Split along the last axis into two parts whose sizes come from a (2,) int64 tensor computed once."""

    @staticmethod
    def forward(ctx, x, sizes):
        return tuple(t.contiguous() for t in torch.split(x, sizes.tolist(), dim=-1))

    @staticmethod
    def symbolic(g, x, sizes):
        return g.op("Split", x, sizes, axis_i=-1, outputs=2)


class RowsIf(torch.autograd.Function):
    """x if flag (a (1,) int64 tensor, 0 or 1) else x[:0]: a Slice whose end is flag * a huge number,
    so a matmul after it runs on all rows or none, with no control flow in the graph."""

    @staticmethod
    def forward(ctx, x, flag):
        return x if int(flag[0]) else x[:0]

    @staticmethod
    def symbolic(g, x, flag):
        end = g.op("Mul", flag, g.op("Constant", value_t=torch.tensor([2 ** 62])))
        return g.op("Slice", x, g.op("Constant", value_t=torch.tensor([0])), end, g.op("Constant", value_t=torch.tensor([0])))


class AddNorm(torch.autograd.Function):
    """(x + delta, RMSNorm(x + delta) * gain): the residual add and the next norm as ONE node, ORT's
    SkipSimplifiedLayerNormalization (com.microsoft); ORT does not fuse this pattern by itself when
    the sum also feeds the next residual."""

    @staticmethod
    def forward(ctx, x, delta, gain, eps):
        s = x + delta
        return s * torch.rsqrt(s.pow(2).mean(-1, keepdim=True) + eps) * gain, s

    @staticmethod
    def symbolic(g, x, delta, gain, eps):
        normed, _, _, s = g.op("com.microsoft::SkipSimplifiedLayerNormalization", x, delta, gain, epsilon_f=eps, outputs=4)
        return normed, s


INT8_BLOCK = 32  # weights per scale along K


class BlockInt8MatMul(torch.autograd.Function):
    """x @ w for w stored as blocks of INT8_BLOCK weights along K, each block one scale: ORT's
    MatMulNBits (com.microsoft) with bits=8. accuracy_level 4 computes in int8, quantizing x per block
    as well; PyTorch's forward skips that step, so the graph's numbers differ from it slightly. Per
    block, not per tensor: quantizing each activation row as a whole (DynamicQuantizeMatMul) moved the
    trained model's next-token distributions by 0.93 nats of KL; per block, 1e-5 (BENCHMARKS.md)."""

    @staticmethod
    def forward(ctx, x, codes, scales, k, n):
        w = (codes.float() - 128) * scales.unsqueeze(-1)  # (N, ceil(K / block), block)
        return x @ w.reshape(n, -1)[:, :k].t()

    @staticmethod
    def symbolic(g, x, codes, scales, k, n):
        return g.op("com.microsoft::MatMulNBits", x, codes, scales, K_i=k, N_i=n, bits_i=8, block_size_i=INT8_BLOCK,
                    accuracy_level_i=4)


def quantize_blocks(w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """w (K, N) float -> codes uint8 (N, ceil(K / INT8_BLOCK), INT8_BLOCK), 128 meaning 0, and scales
    (N, ceil(K / INT8_BLOCK)): symmetric per block of K, MatMulNBits' layout (column n's weights along
    K; a last partial block is padded with zeros)."""
    k, n = w.shape
    padded = torch.nn.functional.pad(w.t(), (0, -k % INT8_BLOCK))  # (N, K rounded up)
    blocks = padded.reshape(n, -1, INT8_BLOCK)
    scales = blocks.abs().amax(-1).clamp(min=1e-8) / 127.0
    codes = torch.round(blocks / scales.unsqueeze(-1)).clamp(-127, 127) + 128
    return codes.to(torch.uint8), scales.float()


def rotate_half_rows(w: torch.Tensor, n_head: int) -> torch.Tensor:
    """w (H*D, C), rows head-major -> rows giving rotate_half(w @ x) = cat(-x2, x1) per head."""
    w = w.view(n_head, 2, -1, w.shape[-1])  # (H, 2 halves, D/2, C)
    return torch.cat([-w[:, 1], w[:, 0]], dim=1).reshape(-1, w.shape[-1])


class GraphLM(nn.Module):
    """Export-only: weights rearranged from an LM; see the module docstring for the contract."""

    def __init__(self, model: LM, dtype: torch.dtype = torch.float32):
        """dtype: how weights are stored; torch.int8 quantizes every matmul's weights (the heads too)
        and stores the embedding and norms fp16."""
        super().__init__()
        cfg = self.cfg = model.cfg
        C, H, D = cfg.n_embd, cfg.n_head, cfg.head_dim
        self.int8 = dtype == torch.int8
        store = torch.float16 if self.int8 else dtype
        keep = lambda t: nn.Parameter(t.detach().to(store).contiguous(), requires_grad=False)  # noqa: E731
        self.emb = keep(model.tok_emb.weight)  # (V, C)
        head = (model.tok_emb.weight if cfg.tie_embeddings else model.head.weight).t()  # (C, V)
        codes = slice(cfg.image_start, cfg.image_end)
        if self.int8:
            self.head, self.code_head = self.matrix(head), self.matrix(head[:, codes])
        else:  # fp: the tied head is the embedding itself (a Transpose and Slice that ORT folds at load)
            self.head = None if cfg.tie_embeddings else self.matrix(head)
            self.code_columns = codes
        self.norms, self.qkv, self.proj, self.gate_up, self.down = nn.ParameterList(), *(nn.ModuleList() for _ in range(4))
        for block in model.blocks:
            wq, wk, wv = block.attn.qkv.weight.split(C, dim=0)  # (C, C) each, rows = outputs
            wq = wq * block.attn.scale
            w = torch.cat([wq, wk, wv])  # (3C, C)
            self.qkv.append(self.matrix(w.t()))  # (C, 3C): x @ w
            self.proj.append(self.matrix(block.attn.proj.weight.t()))
            self.gate_up.append(self.matrix(block.mlp.gate_up.weight.t()))
            self.down.append(self.matrix(block.mlp.down.weight.t()))
            self.norms.extend([keep(block.norm1.weight), keep(block.norm2.weight)])
        self.norms.append(keep(model.norm.weight))
        # Angles as model.rope_angles computes them (fp32), halves repeated to the full head width.
        inv_freq = 1.0 / cfg.rope_theta ** (torch.arange(0, D, 2, dtype=torch.float32) / D)
        freqs = torch.arange(cfg.max_seq_len, dtype=torch.float32).unsqueeze(-1) * inv_freq  # (maxT, D/2)
        self.register_buffer("cos", freqs.cos().repeat(1, 2), persistent=False)  # (maxT, D)
        self.register_buffer("sin", freqs.sin().repeat(1, 2), persistent=False)
        # rotate_half as a (D, D) signed permutation: x @ rot = cat(-x2, x1)
        self.register_buffer("rot", rotate_half_rows(torch.eye(D), 1).t().contiguous(), persistent=False)

    def matrix(self, w: torch.Tensor) -> nn.Module:
        """A (K, N) matmul weight as a module holding it: fp (w) or int8 blocks (codes, scales)."""
        m = nn.Module()
        if self.int8:
            codes, scales = quantize_blocks(w.detach().float())
            m.register_buffer("codes", codes.contiguous())
            m.register_buffer("scales", scales.contiguous())
            m.k, m.n = w.shape
        else:
            m.w = nn.Parameter(w.detach().to(self.emb.dtype).contiguous(), requires_grad=False)
        return m

    def mm(self, x, m: nn.Module):
        return BlockInt8MatMul.apply(x, m.codes, m.scales, m.k, m.n) if self.int8 else x @ m.w.float()

    def rms(self, x, i):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.cfg.norm_eps) * self.norms[i].float()

    def add_norm(self, x, delta, i):
        """(norm i of x + delta, x + delta)."""
        return AddNorm.apply(x, delta, self.norms[i].float(), self.cfg.norm_eps)

    def forward(self, input_ids, position_ids, attention_mask, all_logits, *past):
        cfg = self.cfg
        H, D, M = cfg.n_head, cfg.head_dim, cfg.mlp_hidden
        # Once per call: the split sizes [S, T], the additive mask, the rotation.
        sizes = torch.cat([torch._shape_as_tensor(past[0])[2:3], torch._shape_as_tensor(input_ids)[1:2]])
        S, T = past[0].shape[2], input_ids.shape[1]
        slot = torch.arange(S + T, device=input_ids.device)
        causal = slot.unsqueeze(0) <= (slot[S:]).unsqueeze(1)  # (T, S + T): query i sits at slot S + i
        allowed = causal.unsqueeze(0).unsqueeze(0) & attention_mask.bool().unsqueeze(1).unsqueeze(2)  # (B, 1, T, S + T)
        bias = torch.where(allowed, torch.tensor(0.0), torch.tensor(torch.finfo(torch.float32).min))
        cos, sin = self.cos[position_ids].unsqueeze(2), self.sin[position_ids].unsqueeze(2)  # (B, T, 1, D)
        emb = self.emb.float()
        x = emb[input_ids]  # (B, T, C): the residual stream
        h = self.rms(x, 0)  # its normed copy; every later norm comes with the add before it
        new = []
        for i in range(cfg.n_layer):
            qkv = ReshapeKeep.apply(self.mm(h, self.qkv[i]), (0, -1, 3 * H, D))  # (B, T, 3H, D)
            qk, v = qkv.split([2 * H, H], dim=2)
            qk = (qk * cos + (qk @ self.rot) * sin).transpose(1, 2)  # (B, 2H, T, D), scaled q then k
            q, k = qk.split([H, H], dim=1)  # (B, H, T, D)
            v = v.transpose(1, 2)
            past_k, past_v = past[2 * i], past[2 * i + 1]
            scores = torch.cat([q @ past_k.transpose(-1, -2), q @ k.transpose(-1, -2)], dim=-1) + bias  # (B, H, T, S + T)
            p_past, p_new = SplitBy.apply(torch.softmax(scores, dim=-1), sizes)
            y = (p_past @ past_v + p_new @ v).transpose(1, 2)  # (B, T, H, D)
            h, x = self.add_norm(x, self.mm(ReshapeKeep.apply(y, (0, -1, H * D)), self.proj[i]), 2 * i + 1)
            gate, up = self.mm(h, self.gate_up[i]).split([M, M], dim=-1)
            h, x = self.add_norm(x, self.mm(gate * torch.sigmoid(gate) * up, self.down[i]), 2 * i + 2)  # the next norm1, or the final norm
            new += [k, v]
        # h is now the final norm's output
        if self.int8:
            logits, code_logits = self.mm(RowsIf.apply(h, all_logits), self.head), self.mm(h, self.code_head)
        else:
            head = emb.t() if self.head is None else self.head.w.float()  # (C, V)
            logits, code_logits = RowsIf.apply(h, all_logits) @ head, h @ head[:, self.code_columns]
        return (logits, code_logits, *new)
