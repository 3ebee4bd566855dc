/**
 * The trainer's PyTorch answers for a model's weights: export.reference()'s batch (two prompts, one
 * left-padded), its logits at every real prefill position and at `steps` greedy decode steps, in
 * fp32. What an exported lm.onnx is checked against (src/engine/parity.ts).
 *
 * @example
 *   const ref = pytorchReference('models/default/config.json', 'models/default/weights.safetensors', 20);
 *   ref.logits.length === (B * T + steps * B) * V
 */
import { spawnSync } from 'node:child_process';
import { resolvePython, trainerEnv } from './python.ts';

export interface LmReference {
  /** (B, T) prompt ids, left-padded with <pad>. */
  input_ids: number[][];
  /** The greedy token of each row at each decode step: what the steps were fed (teacher forcing). */
  greedy: number[][];
  /** Prefill logits (B, T, V), then each step's (B, V), float32. */
  logits: Float32Array;
}

const PYTHON = String.raw`
import json, sys, torch
from tessera_trainer.lm.config import LMConfig
from tessera_trainer.lm.export import manual_attention, reference
from tessera_trainer.lm.model import load_lm
torch.set_num_threads(1)
config, weights, steps = sys.argv[1:4]
model = load_lm(LMConfig.load(config), weights)
manual_attention(model)
ref, data = reference(model, steps=int(steps))
sys.stdout.buffer.write(json.dumps(ref).encode() + b"\n" + data)
`;

export function pytorchReference(configPath: string, weights: string, steps: number): LmReference {
  const out = spawnSync(resolvePython(), ['-c', PYTHON, configPath, weights, String(steps)], { env: trainerEnv(), maxBuffer: 1 << 30 });
  if (out.status !== 0) throw new Error(`PyTorch reference failed: ${out.stderr.toString().trim().split('\n').at(-1)}`);
  const split = out.stdout.indexOf(10);
  const { input_ids, greedy } = JSON.parse(out.stdout.subarray(0, split).toString()) as { input_ids: number[][]; greedy: number[][] };
  const body = out.stdout.subarray(split + 1);
  return { input_ids, greedy, logits: new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)) };
}
