/**
 * Picking one id from a row of logits: greedy, or temperature -> top-k -> top-p -> draw. The draw
 * takes its uniform number from the caller, so a seeded PRNG makes a whole generation reproducible.
 *
 * @example
 *   const rng = new Random(7);
 *   const id = sampleToken(logits, { temperature: 1, topK: 0, topP: 0.9 }, () => rng.next());
 */
import { softmax, topK, topP, withTemperature } from './logits.ts';

export interface SamplingOptions {
  /** Softmax temperature; <= 0 picks the most likely id (greedy) and draws no random number. */
  temperature: number;
  /** Keep only the k most likely ids; 0 is off. */
  topK: number;
  /** Keep the smallest top set with probability >= p; 1 is off. */
  topP: number;
}

/** The first index of the largest value. */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

/** Inverse-CDF draw: the first id whose cumulative probability exceeds u in [0, 1). */
export function sampleIndex(probs: ArrayLike<number>, u: number): number {
  let cum = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] <= 0) continue;
    cum += probs[i];
    last = i;
    if (u < cum) return i;
  }
  return last; // rounding left u above the total: the last id with mass
}

/** The distribution a draw is made from (temperature > 0): temperature -> top-k -> top-p -> softmax. */
export function samplingProbs(logits: Float32Array, options: SamplingOptions): Float64Array {
  return softmax(topP(topK(withTemperature(logits, options.temperature), options.topK), options.topP));
}

export function sampleToken(logits: Float32Array, options: SamplingOptions, random: () => number): number {
  if (options.temperature <= 0) return argmax(logits);
  return sampleIndex(samplingProbs(logits, options), random());
}
