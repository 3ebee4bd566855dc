/**
 * How closely an lm.onnx, run by LmSession, follows the trainer's PyTorch answers for some weights
 * (src/trainer/lm-reference.ts): the prompts prefilled, then the reference's greedy tokens fed back
 * (teacher forcing, so one early disagreement does not derail the rest). Lossy exports (int8) are
 * judged by it, and the shipped model is checked to be its own weights.
 *
 * @example
 *   const stats = await parity(session, pytorchReference(config, weights, 20));
 *   stats.meanKl < 1e-3 && stats.top1 > 0.95
 */
import type { LmReference } from '../trainer/lm-reference.ts';
import { softmax } from './logits.ts';
import { argmax } from './sampler.ts';
import type { LmSession } from './session.ts';

export interface ParityStats {
  positions: number;
  maxAbsDiff: number;
  /** Share of positions whose argmax agrees. */
  top1: number;
  /** Mean KL(PyTorch || ONNX) per position, in nats. */
  meanKl: number;
}

export async function parity(session: LmSession, ref: LmReference): Promise<ParityStats> {
  const V = session.config.vocab.size;
  let maxAbsDiff = 0;
  let kl = 0;
  let agree = 0;
  let positions = 0;
  const compare = (got: Float32Array, want: Float32Array) => {
    for (let i = 0; i < V; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(got[i] - want[i]));
    const p = softmax(want);
    const q = softmax(got);
    for (let i = 0; i < V; i++) if (p[i] > 0) kl += p[i] * Math.log(p[i] / Math.max(q[i], 1e-300));
    if (argmax(got) === argmax(want)) agree++;
    positions++;
  };
  const rows = ref.input_ids.map((r) => r.filter((id) => id !== session.config.vocab.specials.pad));
  const B = rows.length;
  const { logits, T, cache } = await session.prefill(rows);
  for (let b = 0; b < B; b++) {
    for (let t = cache.pads[b]; t < T; t++) compare(logits.subarray((b * T + t) * V, (b * T + t + 1) * V), ref.logits.subarray((b * T + t) * V, (b * T + t + 1) * V));
  }
  let offset = B * T * V;
  for (const tokens of ref.greedy) {
    const step = await session.decode(cache, tokens);
    for (let b = 0; b < B; b++) compare(step.subarray(b * V, (b + 1) * V), ref.logits.subarray(offset + b * V, offset + (b + 1) * V));
    offset += B * V;
  }
  if (offset !== ref.logits.length) throw new RangeError(`reference holds ${ref.logits.length} logits, the batch used ${offset}`);
  return { positions, maxAbsDiff, top1: agree / positions, meanKl: kl / positions };
}
