/**
 * Logits processors: small pure functions on one row of logits (a Float32Array of vocab width).
 * None mutates its input; a processor that is off (top-k 0, top-p 1, temperature 1) returns the
 * input itself instead of a copy, which matters at 5k ids x 8 rows x 258 steps. Filtered-out ids
 * become -Infinity. The order the sampler applies them
 * in mirrors trainer/tessera_trainer/lm/sample.py: guide -> constrain -> temperature -> top-k -> top-p.
 *
 * @example
 *   const row = topP(topK(withTemperature(guide(cond, uncond, 3), 0.9), 50), 0.95);
 */

/** Classifier-free guidance: uncond + scale * (cond - uncond). Scale 1 returns cond's values. */
export function guide(cond: Float32Array, uncond: Float32Array, scale: number): Float32Array {
  if (cond.length !== uncond.length) throw new RangeError(`guide: rows differ in width (${cond.length} vs ${uncond.length})`);
  const out = new Float32Array(cond.length);
  for (let i = 0; i < cond.length; i++) out[i] = uncond[i] + scale * (cond[i] - uncond[i]);
  return out;
}

/** Divides by the temperature (> 0); the sampler treats temperature <= 0 as greedy before this. */
export function withTemperature(logits: Float32Array, temperature: number): Float32Array {
  if (!(temperature > 0)) throw new RangeError(`temperature must be > 0 here, got ${temperature}`);
  if (temperature === 1) return logits;
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = logits[i] / temperature;
  return out;
}

/** Keeps the k largest (ties with the k-th are kept, as torch's `logits < kth` does); k <= 0 is off. */
export function topK(logits: Float32Array, k: number): Float32Array {
  if (k <= 0 || k >= logits.length) return logits;
  const kth = Float32Array.from(logits).sort()[logits.length - k]; // ascending; NaN-free by contract
  return logits.map((x) => (x < kth ? -Infinity : x));
}

/**
 * Nucleus filter: keeps the smallest set of most likely ids whose probability reaches p (always at
 * least the top one). An id is dropped when the mass strictly before it already reaches p. p >= 1 is off.
 */
export function topP(logits: Float32Array, p: number): Float32Array {
  if (p >= 1) return logits;
  const probs = softmax(logits);
  const order: number[] = [];
  for (let i = 0; i < probs.length; i++) if (probs[i] > 0) order.push(i); // sort only what can be kept
  order.sort((a, b) => probs[b] - probs[a] || a - b);
  const out = logits.slice();
  let before = 0;
  for (let rank = 0; rank < order.length; rank++) {
    const id = order[rank];
    if (rank > 0 && before >= p) out[id] = -Infinity;
    before += probs[id];
  }
  return out;
}

/** Keeps only ids where `allowed` is 1 (a Uint8Array the width of the row). */
export function keepAllowed(logits: Float32Array, allowed: Uint8Array): Float32Array {
  if (allowed.length !== logits.length) throw new RangeError(`keepAllowed: mask width ${allowed.length} != ${logits.length}`);
  return logits.map((x, i) => (allowed[i] ? x : -Infinity));
}

/** Softmax in float64 (-Infinity becomes 0). An all -Infinity row has no distribution and throws. */
export function softmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (const x of logits) if (x > max) max = x;
  if (max === -Infinity) throw new RangeError('softmax of a row with every id filtered out');
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/** log softmax in float64: what best-of-N scoring reads log-probabilities from. */
export function logSoftmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (const x of logits) if (x > max) max = x;
  let sum = 0;
  for (const x of logits) sum += Math.exp(x - max);
  const logZ = max + Math.log(sum);
  return Float64Array.from(logits, (x) => x - logZ);
}
