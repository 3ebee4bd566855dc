/**
 * How closely a model folder's lm.onnx, run by the engine's LmSession, follows PyTorch on the same
 * weights: the question an int8 (or any lossy) export has to answer before it ships.
 *
 *   node --import tsx bench/engine-parity.ts --model models/default --weights models/default/weights.safetensors
 *   python -m tessera_trainer.lm export --config models/default/config.json \
 *     --weights models/default/weights.safetensors --out /tmp/int8 --dtype int8
 *   node --import tsx bench/engine-parity.ts --model /tmp/int8 --weights models/default/weights.safetensors
 *
 * PyTorch computes export.reference()'s batch (two prompts, one left-padded) and --steps greedy steps
 * in fp32; the engine replays the same tokens (teacher forcing, so one early disagreement does not
 * derail the rest). Prints the largest logit difference, top-1 agreement and the mean
 * KL(PyTorch || ONNX) over every real position.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readModelDir } from '../src/engine/model-files.ts';
import { softmax } from '../src/engine/logits.ts';
import { argmax } from '../src/engine/sampler.ts';
import { LmSession } from '../src/engine/session.ts';
import { resolvePython, trainerEnv } from '../src/trainer/python.ts';

const { values: flags } = parseArgs({ options: { model: { type: 'string' }, weights: { type: 'string' }, steps: { type: 'string', default: '120' } } });
if (!flags.model || !flags.weights) throw new Error('usage: bench/engine-parity.ts --model DIR --weights FILE [--steps N]');
const files = await readModelDir(flags.model);
const V = files.config.vocab.size;

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
const out = spawnSync(resolvePython(), ['-c', PYTHON, join(flags.model, 'config.json'), flags.weights, flags.steps], { env: trainerEnv(), maxBuffer: 1 << 30 });
if (out.status !== 0) throw new Error(`PyTorch side failed: ${out.stderr.toString().trim().split('\n').at(-1)}`);
const split = out.stdout.indexOf(10);
const ref = JSON.parse(out.stdout.subarray(0, split).toString()) as { input_ids: number[][]; greedy: number[][] };
const body = out.stdout.subarray(split + 1);
const expected = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));

let maxDiff = 0;
let kl = 0;
let agree = 0;
let positions = 0;
function compare(got: Float32Array, want: Float32Array): void {
  for (let i = 0; i < V; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
  const p = softmax(want);
  const q = softmax(got);
  for (let i = 0; i < V; i++) if (p[i] > 0) kl += p[i] * Math.log(p[i] / Math.max(q[i], 1e-300));
  if (argmax(got) === argmax(want)) agree++;
  positions++;
}

const session = await LmSession.create(files.lm, files.config, { intraOpNumThreads: 1 });
const rows = ref.input_ids.map((r) => r.filter((id) => id !== files.config.vocab.specials.pad));
const B = rows.length;
const { logits, T, cache } = await session.prefill(rows);
for (let b = 0; b < B; b++) {
  for (let t = cache.pads[b]; t < T; t++) compare(logits.subarray((b * T + t) * V, (b * T + t + 1) * V), expected.subarray((b * T + t) * V, (b * T + t + 1) * V));
}
let offset = B * T * V;
for (const tokens of ref.greedy) {
  const step = await session.decode(cache, tokens);
  for (let b = 0; b < B; b++) compare(step.subarray(b * V, (b + 1) * V), expected.subarray(offset + b * V, offset + (b + 1) * V));
  offset += B * V;
}
await session.release();
console.log(`${files.lm} vs PyTorch (fp32) over ${positions} positions (prefill + ${ref.greedy.length} teacher-forced steps, ${B} rows):`);
console.log(`  max |logit diff| ${maxDiff.toExponential(2)}, top-1 agreement ${((100 * agree) / positions).toFixed(1)}%, mean KL ${(kl / positions).toExponential(2)} nats`);
