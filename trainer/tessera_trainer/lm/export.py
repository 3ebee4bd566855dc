"""ONNX export of the LM for the TypeScript engine: one graph, lm.onnx, for prefill and decode.

    python -m tessera_trainer.lm export --config config.json --weights RUN --out models/lm [--dtype fp16]
    python -m tessera_trainer.lm fixture --config src/model/fixtures/tiny/config.json --out src/model/fixtures/tiny

lm.onnx (opset 17); the graph itself is onnx_graph.py's GraphLM:
  in   input_ids        int64  (B, T)
       position_ids     int64  (B, T)      RoPE positions; 0 at each row's first real token
       attention_mask   int64  (B, S + T)  1 = attend: real written cache slots, then the T new tokens
       all_logits       int64  (1,)        1: logits for every id; 0: code_logits only (inside an image)
       past.{i}.key     float  (B, H, S, D) for i in 0..L-1, and past.{i}.value: the engine's cache
  out  logits           float  (B, T, V)   every position (decode: T = 1); (0, T, V) when all_logits = 0
       code_logits      float  (B, T, K)   the image codes' logits: column j is id image_start + j
       new.{i}.key      float  (B, H, T, D) and new.{i}.value: this call's slots, for the engine to keep
Prefill is a call with S = 0; a decode step feeds one token per row and the cache (whose unused slots
the mask hides). H = nHead, D = nEmbd / nHead, V = vocab.size, L = nLayer. DIR/export.json repeats
these names. Weights are stored fp16 by default (`export`; the fixture keeps fp32 so its parity test
stays at 1e-4): a trained model loses nothing measurable, and ORT casts them back to fp32 at load.
PrefillGraph and DecodeGraph below are the PyTorch reference computation (model.py's own forward with
concatenated caches) that the fixture's reference logits come from.
"""
import argparse
import inspect
import json
import shutil
from pathlib import Path

import torch

from .config import LMConfig
from .model import LM, ConcatCache, load_lm
from .onnx_graph import GraphLM

OPSET = 17
DTYPES = {"fp16": torch.float16, "fp32": torch.float32, "int8": torch.int8}
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


def export(model: LM, out: str | Path, dtype: torch.dtype = torch.float32) -> dict:
    """Writes out/lm.onnx (onnx_graph.GraphLM, weights stored as `dtype`) and out/export.json; returns the manifest."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("prefill.onnx", "decode.onnx"):  # the two-graph format this one replaces
        (out / stale).unlink(missing_ok=True)
    cfg = model.cfg
    graph = GraphLM(model.float().eval(), dtype).eval()
    L, H, D = cfg.n_layer, cfg.n_head, cfg.head_dim
    B, T, S = 2, 3, 4  # example sizes; every axis below is dynamic
    ids = torch.randint(0, cfg.vocab_size, (B, T))
    pos = (torch.arange(T) + S).unsqueeze(0).expand(B, T).contiguous()
    mask = torch.ones(B, S + T, dtype=torch.long)
    all_logits = torch.tensor([1])
    past = [torch.randn(B, H, S, D) for _ in range(2 * L)]
    inputs = ["input_ids", "position_ids", "attention_mask", "all_logits", *kv_names("past", L)]
    outputs = ["logits", "code_logits", *kv_names("new", L)]
    with torch.no_grad():
        # No export-time folding: it would turn the fp16 weights' Casts into fp32 initializers. ORT folds
        # them (and the tied head's Transpose) when it loads the graph.
        torch.onnx.export(
            graph, (ids, pos, mask, all_logits, *past), str(out / "lm.onnx"), opset_version=OPSET, do_constant_folding=False, **EXPORT_KW,
            input_names=inputs, output_names=outputs,
            dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "position_ids": {0: "batch", 1: "seq"},
                          "attention_mask": {0: "batch", 1: "total"}, "logits": {0: "rows", 1: "seq"}, "code_logits": {0: "batch", 1: "seq"},
                          **{n: {0: "batch", 2: "past"} for n in kv_names("past", L)},
                          **{n: {0: "batch", 2: "seq"} for n in kv_names("new", L)}},
        )
    manifest = {
        "format": "tessera-lm-onnx", "version": 3, "opset": OPSET, "layers": L, "heads": H, "headDim": D,
        "vocabSize": cfg.vocab_size, "weights": str(dtype).removeprefix("torch."),
        "lm": {"file": "lm.onnx", "inputs": inputs, "outputs": outputs, "logits": "(B, T, V), or (0, T, V) when all_logits = 0",
               "code_logits": "(B, T, K): ids image_start + j"},
        "kv": "(B, heads, slots, headDim) float32, key then value per layer; past = the engine's cache, new = this call's T slots",
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
    """Exports fixture_model() (fp32 weights) and writes its PyTorch reference logits beside the graph."""
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
        ap.add_argument("--dtype", choices=sorted(DTYPES), default="fp16", help="how lm.onnx stores the weights (computation is fp32)")
    args = ap.parse_args(argv)
    if fixture:
        make_fixture(args.config, args.out)
    else:
        cfg = LMConfig.load(args.config)
        export(load_lm(cfg, args.weights), args.out, DTYPES[args.dtype])
        if Path(args.config).resolve() != (Path(args.out) / "config.json").resolve():
            shutil.copy(args.config, Path(args.out) / "config.json")
    print(f"wrote {args.out}")
