/**
 * Text -> image: the prompt as a t2i episode, guided against the same episode without its text.
 *
 * @example
 *   for await (const e of engine.generate({ prompt: 'two blue stars', n: 4, seed: 1 })) ...
 */
import { needTokenizer, samplingDefaults, type EngineContext } from './context.ts';
import { check, EngineError } from './errors.ts';
import type { GenerateEvent } from './events.ts';
import { imageEvents } from './image-run.ts';
import type { JacobiOptions } from './jacobi.ts';
import { candidates, rejectUnknown, SAMPLING_KEYS, samplingSettings, type SamplingSettings } from './options.ts';
import { promptIds, type Turn } from './prompt.ts';

export interface ImageOutputOptions {
  /** Candidates, run as one batch and returned best first (default 1). */
  n?: number;
  /** Rank candidates by best-of-N score (default: when n > 1). */
  score?: boolean;
  /** Decode a preview image every this many grid rows (default 1; 0: partial events carry codes only). */
  previewEvery?: number;
  /**
   * Which candidates' partial events carry a preview: 'all' (default) or candidate indices, e.g. [0]
   * for a UI that shows one. Each preview is a VQ decode (~15 ms per row here), so ask only for what
   * is shown; the others' partial events still carry their codes.
   */
  previews?: 'all' | readonly number[];
  /** Also encode each final image as PNG (needs the VQ; default false). */
  png?: boolean;
  /**
   * Speculative Jacobi decoding (jacobi.ts): up to `window` tokens per graph call inside the image,
   * same sampling distribution, other random draws (so other codes for a seed than without; greedy
   * gives the same up to the graph's rounding). Default: `defaultJacobi(n)`; `{ window: 1 }` turns it
   * off. `stats`, when given, is filled in with calls, drafted and accepted tokens.
   */
  jacobi?: JacobiOptions;
  signal?: AbortSignal;
}

export interface GenerateOptions extends ImageOutputOptions, Partial<SamplingSettings> {
  prompt: string;
}

export const IMAGE_OUTPUT_KEYS = ['n', 'score', 'previewEvery', 'previews', 'png', 'jacobi', 'signal', ...SAMPLING_KEYS] as const;

/**
 * Jacobi windows of 4 for a single candidate, none for several. Measured on the default model
 * (BENCHMARKS.md, engine, "Jacobi windows on the codes' head"): over 16 prompts and seeds at N=1,
 * windows of 4 took 0.80 of the one-token time at step 43,948 (6: 0.86, with a worse tail) and 0.84 at
 * step 41,331 (6: 0.85); at N=4 the batch waits for its slowest candidate and 8 rows x T tokens are
 * compute bound: 2x slower.
 */
export function defaultJacobi(n: number): JacobiOptions | undefined {
  return n === 1 ? { window: 4 } : undefined;
}

export function imageOutput(ctx: EngineContext, options: ImageOutputOptions) {
  const n = candidates(options.n);
  const previewEvery = options.previewEvery ?? 1;
  check(Number.isInteger(previewEvery) && previewEvery >= 0, `previewEvery must be a non-negative integer, got ${previewEvery}`);
  const previews = previewCandidates(options.previews ?? 'all', n);
  if (options.png && !ctx.codec) throw new EngineError('unavailable', 'png needs the VQ image tokenizer, which this engine was loaded without');
  const jacobi = options.jacobi ?? defaultJacobi(n);
  if (jacobi) check(Number.isInteger(jacobi.window) && jacobi.window >= 1 && jacobi.window <= 64, `jacobi.window must be an integer in [1, 64], got ${jacobi.window}`);
  return { n, previewEvery, previews, png: options.png ?? false, score: options.score ?? n > 1, signal: options.signal, ...(jacobi ? { jacobi } : {}) };
}

/** The previewed candidates, ascending. */
function previewCandidates(previews: 'all' | readonly number[], n: number): number[] {
  if (previews === 'all') return Array.from({ length: n }, (_, b) => b);
  check(Array.isArray(previews), `previews must be 'all' or a list of candidate indices, got ${String(previews)}`);
  for (const b of previews) check(Number.isInteger(b) && b >= 0 && b < n, `previews: no candidate ${b} among n = ${n}`);
  return [...new Set(previews)].sort((a, b) => a - b);
}

export function generateImages(ctx: EngineContext, options: GenerateOptions): AsyncGenerator<GenerateEvent> {
  rejectUnknown(options, ['prompt', ...IMAGE_OUTPUT_KEYS], 'generate');
  check(typeof options.prompt === 'string', 'generate: prompt must be a string');
  const tokenizer = needTokenizer(ctx);
  const out = imageOutput(ctx, options);
  const turns: Turn[] = [{ role: 'user', parts: [{ text: options.prompt }] }];
  const ids = (drop: boolean) => promptIds('t2i', turns, tokenizer, ctx.config.vocab, { drop, imageTokens: ctx.config.image.tokens });
  return imageEvents(ctx, {
    ...out,
    prompt: ids(false),
    uncond: ids(true),
    settings: samplingSettings(options, samplingDefaults(ctx).image),
    ...(out.score ? { scoreText: options.prompt } : {}),
  });
}
