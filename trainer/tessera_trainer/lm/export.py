"""ONNX export of the LM for the TypeScript engine: two graphs sharing one set of weights.

    python -m tessera_trainer.lm export --config config.json --weights RUN --out models/lm
    python -m tessera_trainer.lm fixture --config src/model/fixtures/tiny/config.json --out src/model/fixtures/tiny

prefill.onnx (opset 17), for a prompt (left-pad rows of different lengths):
  in   input_ids        int64  (B, T)
       position_ids     int64  (B, T)     RoPE positions; 0 at each row's first real token
       attention_mask   int64  (B, T)     1 real token, 0 padding
  out  logits           float  (B, T, V)  every position (the engine takes [:, -1]; scoring takes all)
       present.{i}.key  float  (B, H, T, D)   for i in 0..L-1, and present.{i}.value
decode.onnx, one new token per row:
  in   input_ids        int64  (B, 1)
       position_ids     int64  (B, 1)
       attention_mask   int64  (B, P + 1)  the prefill mask with a 1 appended per step
       past.{i}.key     float  (B, H, P, D)    and past.{i}.value, from the previous call's present.*
  out  logits           float  (B, V)
       present.{i}.key  float  (B, H, P + 1, D) and present.{i}.value
H = nHead, D = nEmbd / nHead, V = vocab.size, L = nLayer. DIR/export.json repeats these names.
Attention is exported from the manual path (matmul + softmax), not SDPA, so torch 1.13 and 2.x give
the same plain-op graph.
"""
import argparse
import inspect
import json
import shutil
from pathlib import Path

import torch

from .config import LMConfig
from .model import LM, ConcatCache, load_lm

OPSET = 17
# The TorchScript exporter: torch 1.13 has only it; torch >= 2.9 defaults to the dynamo one, whose
# dynamic-shape handling of this graph is untested here.
EXPORT_KW = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}


def kv_names(prefix: str, n_layer: int) -> list[str]:
    return [f"{prefix}.{i}.{kv}" for i in range(n_layer) for kv in ("key", "value")]


class PrefillGraph(torch.nn.Module):
    def __init__(self, model: LM):
        super().__init__()
        self.model = model

    def forward(self, input_ids, position_ids, attention_mask):
        cache = ConcatCache()
        logits = self.model(input_ids, positions=position_ids, key_mask=attention_mask, cache=cache)
        return (logits, *[t for kv in cache.present for t in kv])


class DecodeGraph(torch.nn.Module):
    def __init__(self, model: LM):
        super().__init__()
        self.model = model

    def forward(self, input_ids, position_ids, attention_mask, *past):
        cache = ConcatCache([(past[2 * i], past[2 * i + 1]) for i in range(len(past) // 2)])
        logits = self.model(input_ids, positions=position_ids, key_mask=attention_mask, cache=cache, last_only=True)
        return (logits, *[t for kv in cache.present for t in kv])


def manual_attention(model: LM) -> None:
    for block in model.blocks:
        block.attn.sdpa = False


def export(model: LM, out: str | Path) -> dict:
    """Writes out/prefill.onnx, out/decode.onnx and out/export.json; returns the manifest."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = model.cfg
    model = model.float().eval()
    manual_attention(model)
    L, H, D = cfg.n_layer, cfg.n_head, cfg.head_dim
    B, T, P = 2, 5, 3  # example sizes; every axis below is dynamic
    ids = torch.randint(0, cfg.vocab_size, (B, T))
    pos = torch.arange(T).unsqueeze(0).expand(B, T).contiguous()
    mask = torch.ones(B, T, dtype=torch.long)
    present = kv_names("present", L)
    with torch.no_grad():
        torch.onnx.export(
            PrefillGraph(model), (ids, pos, mask), str(out / "prefill.onnx"), opset_version=OPSET, **EXPORT_KW,
            input_names=["input_ids", "position_ids", "attention_mask"], output_names=["logits", *present],
            dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "position_ids": {0: "batch", 1: "seq"},
                          "attention_mask": {0: "batch", 1: "seq"}, "logits": {0: "batch", 1: "seq"},
                          **{n: {0: "batch", 2: "seq"} for n in present}},
        )
        past = [torch.randn(B, H, P, D) for _ in range(2 * L)]
        past_names = kv_names("past", L)
        torch.onnx.export(
            DecodeGraph(model), (ids[:, :1], pos[:, :1] + P, torch.ones(B, P + 1, dtype=torch.long), *past),
            str(out / "decode.onnx"), opset_version=OPSET, **EXPORT_KW,
            input_names=["input_ids", "position_ids", "attention_mask", *past_names], output_names=["logits", *present],
            dynamic_axes={"input_ids": {0: "batch"}, "position_ids": {0: "batch"}, "attention_mask": {0: "batch", 1: "total"},
                          "logits": {0: "batch"}, **{n: {0: "batch", 2: "past"} for n in past_names},
                          **{n: {0: "batch", 2: "total"} for n in present}},
        )
    manifest = {
        "opset": OPSET, "layers": L, "heads": H, "headDim": D, "vocabSize": cfg.vocab_size,
        "prefill": {"file": "prefill.onnx", "inputs": ["input_ids", "position_ids", "attention_mask"], "outputs": ["logits", *present],
                    "logits": "(B, T, V)"},
        "decode": {"file": "decode.onnx", "inputs": ["input_ids", "position_ids", "attention_mask", *past_names],
                   "outputs": ["logits", *present], "logits": "(B, V)"},
        "kv": "(B, heads, seq, headDim) float32, key then value per layer",
    }
    (out / "export.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


@torch.no_grad()
def reference(model: LM, steps: int = 4) -> tuple[dict, bytes]:
    """Fixed inputs through the same two-graph computation, in PyTorch: what the TS parity test expects.
    Row 1 is left-padded by 3, so the test covers masks and per-row positions. Returns the JSON part
    (inputs, greedy tokens, shapes) and the logits as float32 little-endian bytes: prefill (B, T, V)
    then each decode step's (B, V)."""
    cfg = model.cfg
    rows = [[cfg.bos, cfg.tasks["t2i"], cfg.user, 5, 17, cfg.end_turn, cfg.assistant],
            [cfg.pad, cfg.pad, cfg.pad, cfg.bos, cfg.tasks["i2t"], cfg.user, 9]]
    ids = torch.tensor(rows)
    mask = (ids != cfg.pad).long()
    pos = (mask.cumsum(1) - 1).clamp(min=0)
    outs = PrefillGraph(model)(ids, pos, mask)
    ref = {"input_ids": rows, "attention_mask": mask.tolist(), "position_ids": pos.tolist(), "greedy": [],
           "logits": {"file": "reference.bin", "dtype": "float32", "prefill": list(outs[0].shape), "decode": []}}
    blobs = [outs[0]]
    logits, past, next_pos = outs[0][:, -1], list(outs[1:]), pos[:, -1] + 1
    for _ in range(steps):
        tok = logits.argmax(-1)  # (B,)
        ref["greedy"].append(tok.tolist())
        mask = torch.cat([mask, torch.ones_like(mask[:, :1])], 1)
        outs = DecodeGraph(model)(tok.unsqueeze(1), next_pos.unsqueeze(1), mask, *past)
        logits, past, next_pos = outs[0], list(outs[1:]), next_pos + 1
        ref["logits"]["decode"].append(list(logits.shape))
        blobs.append(logits)
    data = b"".join(t.float().contiguous().numpy().astype("<f4").tobytes() for t in blobs)
    return ref, data


def fixture_model(cfg: LMConfig, seed: int = 0) -> LM:
    """The fixture's seeded random weights, drawn wider than training's init (std 0.1, norm gains
    around 1) so logits are far from uniform and the parity test has teeth."""
    torch.manual_seed(seed)
    model = LM(cfg)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() >= 2:
                p.normal_(0, 0.1)
            else:
                p.uniform_(0.5, 1.5)
    manual_attention(model)
    return model.eval()


def make_fixture(config: str | Path, out: str | Path, seed: int = 0) -> dict:
    """Exports fixture_model() and writes its PyTorch reference logits beside the graphs."""
    model = fixture_model(LMConfig.load(config), seed)
    manifest = export(model, out)
    ref, data = reference(model)
    (Path(out) / "reference.json").write_text(json.dumps(ref) + "\n")
    (Path(out) / "reference.bin").write_bytes(data)
    return manifest


def main(argv: list[str], fixture: bool = False) -> None:
    ap = argparse.ArgumentParser(prog=f"python -m tessera_trainer.lm {'fixture' if fixture else 'export'}", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True)
    ap.add_argument("--out", required=True)
    if not fixture:
        ap.add_argument("--weights", required=True, help="run folder, ckpt.pt or weights file")
    args = ap.parse_args(argv)
    if fixture:
        make_fixture(args.config, args.out)
    else:
        cfg = LMConfig.load(args.config)
        export(load_lm(cfg, args.weights), args.out)
        if Path(args.config).resolve() != (Path(args.out) / "config.json").resolve():
            shutil.copy(args.config, Path(args.out) / "config.json")
    print(f"wrote {args.out}")
