/**
 * The generation loop: one prefill, then one decode step per token, everything explicit.
 *
 *   rows [0, B) conditional prompts, rows [B, 2B) their unconditional twins (when cfg != 1): ONE batch.
 *   per step: guide -> constrain (grammar, locks) -> sample per conditional row -> the same token is
 *   fed to both twins -> decode. Rows whose reply is over are fed <pad> and report -1.
 *
 * Identical prompts (best-of-N asks for N copies) are prefilled once and their cache tiled. Abort
 * is checked between steps, so a cancelled run stops within one step. Mirrors generate() in
 * trainer/tessera_trainer/lm/sample.py, with a seeded PRNG stream per row (same seed, same tokens).
 *
 * @example
 *   for await (const { tokens } of decodeTokens(session, [prompt], [uncond], options)) console.log(tokens[0]);
 */
import { Random } from '../world/random.ts';
import { allowedNext, advance, constrain, type GrammarRules, initialState, type RowState } from './constraints.ts';
import { EngineError } from './errors.ts';
import { guide } from './logits.ts';
import { sampleToken, type SamplingOptions } from './sampler.ts';
import { lastLogits, type LmSession } from './session.ts';

export interface DecodeOptions {
  /** Classifier-free guidance scale; 1 runs no unconditional rows. */
  cfg: number;
  sampling: SamplingOptions;
  seed: number;
  rules: GrammarRules;
  maxNewTokens: number;
  signal?: AbortSignal;
}

export interface Step {
  step: number;
  /** Per conditional row: the token it emitted this step, or -1 once its reply is over. */
  tokens: Int32Array;
  /** Per conditional row, after this step's token. */
  states: readonly RowState[];
}

/** The batch rows for `prompts` (+ `uncond` when guided), and which unique prompt each row reads. */
export function guidanceBatch(prompts: readonly number[][], uncond: readonly number[][] | undefined, cfg: number): { unique: number[][]; rowOf: number[] } {
  const rows = cfg !== 1 && uncond ? [...prompts, ...uncond] : [...prompts];
  if (cfg !== 1 && uncond && uncond.length !== prompts.length) throw new RangeError('one unconditional prompt per prompt');
  const keys = new Map<string, number>();
  const unique: number[][] = [];
  const rowOf = rows.map((row) => {
    const key = row.join(',');
    let at = keys.get(key);
    if (at === undefined) keys.set(key, (at = unique.push(row) - 1));
    return at;
  });
  return { unique, rowOf };
}

/** Each row draws from its own stream, so candidate b's draws do not depend on how many run beside it. */
export function rowSeed(seed: number, row: number): number {
  return (seed + Math.imul(row, 0x9e3779b9)) >>> 0;
}

export async function* decodeTokens(
  session: LmSession,
  prompts: readonly number[][],
  uncond: readonly number[][] | undefined,
  options: DecodeOptions,
): AsyncGenerator<Step> {
  const { vocab, model } = session.config;
  const B = prompts.length;
  const longest = Math.max(...prompts.map((p) => p.length), ...(uncond ?? []).map((p) => p.length));
  if (longest + options.maxNewTokens > model.maxSeqLen) {
    throw new EngineError('too-long', `prompt of ${longest} tokens + ${options.maxNewTokens} new ones exceeds the model's ${model.maxSeqLen}`);
  }
  options.signal?.throwIfAborted();
  const { unique, rowOf } = guidanceBatch(prompts, uncond, options.cfg);
  const guided = rowOf.length > B;
  const V = vocab.size;
  const first = await session.prefill(unique);
  const perPrompt = lastLogits(first.logits, unique.length, first.T, V);
  let rows = rowOf.map((u) => perPrompt[u]);
  const identity = rowOf.length === unique.length && rowOf.every((u, i) => u === i);
  const cache = identity ? first.cache : first.cache.select(rowOf);

  const streams = prompts.map((_, b) => new Random(rowSeed(options.seed, b)));
  let states = prompts.map(() => initialState());
  const fed = new Int32Array(rowOf.length);
  for (let step = 0; step < options.maxNewTokens; step++) {
    options.signal?.throwIfAborted();
    const tokens = new Int32Array(B).fill(-1);
    for (let b = 0; b < B; b++) {
      if (states[b].done) continue;
      const allowed = allowedNext(states[b], options.rules, vocab);
      if ('only' in allowed) tokens[b] = allowed.only; // forced: no draw, so locks do not shift the PRNG
      else {
        const logits = guided ? guide(rows[b], rows[B + b], options.cfg) : rows[b];
        tokens[b] = sampleToken(constrain(logits, allowed, vocab), options.sampling, () => streams[b].next());
      }
    }
    states = states.map((s, b) => (s.done ? s : advance(s, tokens[b], options.rules, vocab)));
    yield { step, tokens, states };
    if (states.every((s) => s.done) || step === options.maxNewTokens - 1) return;
    options.signal?.throwIfAborted();
    for (let r = 0; r < fed.length; r++) fed[r] = tokens[r % B] < 0 ? vocab.specials.pad : tokens[r % B];
    const logits = await session.decode(cache, fed);
    rows = rowOf.map((_, r) => logits.subarray(r * V, (r + 1) * V));
  }
}
