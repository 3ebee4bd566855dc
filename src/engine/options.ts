/**
 * Sampling settings as one plain typed object with commented defaults, validated in one place.
 * Every Engine method takes these (n only where it makes sense) plus its own fields; unknown keys
 * are rejected so a typo (`topk`) fails loudly instead of being ignored.
 */
import { check } from './errors.ts';
import type { SamplingOptions } from './sampler.ts';

export interface SamplingSettings extends SamplingOptions {
  /** PRNG seed: the same seed, settings and model give the same codes, bit for bit. */
  seed: number;
  /** Classifier-free guidance scale; 1 is off (no unconditional rows run). */
  cfg: number;
}

export const IMAGE_DEFAULTS: SamplingSettings = {
  seed: 0,
  // A first guess (LlamaGen samples around 4); eval/ tunes it once the default model is trained.
  cfg: 3,
  temperature: 1,
  topK: 0,
  topP: 1,
};

/** Text replies default to greedy and unguided: answers should be the model's single best guess. */
export const TEXT_DEFAULTS: SamplingSettings = { seed: 0, cfg: 1, temperature: 0, topK: 0, topP: 1 };

export const SAMPLING_KEYS = ['seed', 'cfg', 'temperature', 'topK', 'topP'] as const;

export function rejectUnknown(options: object, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(options).filter((k) => !allowed.includes(k));
  check(unknown.length === 0, `${what}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${allowed.join(', ')})`);
}

export function samplingSettings(given: Partial<SamplingSettings>, defaults: SamplingSettings): SamplingSettings {
  const s = { ...defaults, ...Object.fromEntries(Object.entries(given).filter(([k, v]) => v !== undefined && (SAMPLING_KEYS as readonly string[]).includes(k))) };
  check(Number.isInteger(s.seed) && s.seed >= 0 && s.seed < 2 ** 32, `seed must be an integer in [0, 2^32), got ${s.seed}`);
  check(Number.isFinite(s.cfg) && s.cfg >= 0, `cfg must be >= 0, got ${s.cfg}`);
  check(Number.isFinite(s.temperature) && s.temperature >= 0, `temperature must be >= 0, got ${s.temperature}`);
  check(Number.isInteger(s.topK) && s.topK >= 0, `topK must be a non-negative integer, got ${s.topK}`);
  check(s.topP > 0 && s.topP <= 1, `topP must be in (0, 1], got ${s.topP}`);
  return s;
}

/** 1..64 candidates: they run as one batch (twice that with guidance). */
export function candidates(n: number | undefined): number {
  const value = n ?? 1;
  check(Number.isInteger(value) && value >= 1 && value <= 64, `n must be an integer in [1, 64], got ${value}`);
  return value;
}
