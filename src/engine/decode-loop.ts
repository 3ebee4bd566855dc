/**
 * The generation loop: one prefill, then one decode step per token, everything explicit.
 *
 *   rows [0, B) conditional prompts, rows [B, 2B) their unconditional twins (when cfg != 1): ONE batch.
 *   per step: guide -> constrain (grammar, locks) -> sample per conditional row -> the same token is
 *   fed to both twins -> decode. Rows whose reply is over are fed <pad> and report -1.
 *
 * Identical prompts (best-of-N asks for N copies) are prefilled once and their cache tiled, and a
 * prefix the distinct ones share (an edit's source image) once too (LmSession.prefillLast). A head
 * start (options.headStart) runs one candidate's first steps alone, then the others', then all
 * together again, with the same tokens as a lockstep run. Abort is checked between steps, so a
 * cancelled run stops within one step. With `jacobi`, image codes go several to a call instead
 * (jacobiSteps; the default for one candidate, generate.ts). Mirrors generate() in trainer/tessera_trainer/lm/sample.py,
 * with a seeded PRNG stream per row (same seed, same tokens). When the call ends, or its caller stops
 * early, its caches are released, so that the next call grows in their memory (arena-pool.ts).
 *
 * @example
 *   for await (const { tokens } of decodeTokens(session, [prompt], [uncond], options)) console.log(tokens[0]);
 */
import { Random } from '../world/random.ts';
import { allowedNext, allowedSpan, advance, constrain, type GrammarRules, initialState, readsCodesAlone, type RowState } from './constraints.ts';
import { checkRoom } from './errors.ts';
import { guide } from './logits.ts';
import { type Candidate, FORCED_RUN, type JacobiOptions, readsCodesOnly, verifyWindow } from './jacobi.ts';
import { KVCache } from './kv-cache.ts';
import { sampleToken, type SamplingOptions } from './sampler.ts';
import type { LmSession, LogitsKind } from './session.ts';

export interface DecodeOptions {
  /** Classifier-free guidance scale; 1 runs no unconditional rows. */
  cfg: number;
  sampling: SamplingOptions;
  seed: number;
  rules: GrammarRules;
  maxNewTokens: number;
  signal?: AbortSignal;
  /**
   * Let one candidate run alone for its first `steps` tokens, then the others catch up and all run as
   * one batch: whatever the caller shows of the leader early (a streamed preview) then waits for
   * steps at a batch of one candidate instead of all of them. The tokens are the same as without: each
   * candidate draws from its own stream and a row's math does not depend on the rows beside it.
   */
  headStart?: HeadStart;
  /**
   * Speculative Jacobi decoding inside image spans (jacobi.ts): several tokens per graph call, the
   * same sampling distribution. Off by default; a head start is not combined with it (ignored).
   */
  jacobi?: JacobiOptions;
  /**
   * Compute every id's logits at every step. By default a step whose rows are all inside an image
   * asks the graph for the image codes' logits only (their own head, a fifth of the full one). With
   * an fp export those are the full head's columns, so this option only makes steps slower (the
   * reference the tests check against); an int8 export quantizes each head on its own (1e-5 nats).
   */
  fullHead?: boolean;
}

export interface HeadStart {
  candidate: number;
  steps: number;
}

export interface Step {
  /** The index, in each emitting row's reply, of this step's tokens (during a head start the others repeat the leader's). */
  step: number;
  /** Per conditional row: the token it emitted this step, or -1 (its reply is over, or it is waiting out a head start). */
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
  const caches: KVCache[] = [];
  try {
    yield* decodeSteps(session, prompts, uncond, options, caches);
  } finally {
    for (const cache of caches) cache.release();
  }
}

/** decodeTokens' loop; every cache it makes goes into `caches`, for its caller to release. */
async function* decodeSteps(
  session: LmSession,
  prompts: readonly number[][],
  uncond: readonly number[][] | undefined,
  options: DecodeOptions,
  caches: KVCache[],
): AsyncGenerator<Step> {
  const { vocab, model } = session.config;
  const B = prompts.length;
  const longest = Math.max(...prompts.map((p) => p.length), ...(uncond ?? []).map((p) => p.length));
  checkRoom(longest, options.maxNewTokens, model.maxSeqLen);
  const jacobi = options.jacobi && options.jacobi.window > 1 ? options.jacobi : undefined;
  const lead = jacobi ? undefined : headStartOf(options, B);
  options.signal?.throwIfAborted();
  const { unique, rowOf } = guidanceBatch(prompts, uncond, options.cfg);
  const guided = rowOf.length > B;
  const V = vocab.size;
  const first = await session.prefillLast(unique, options.maxNewTokens + (jacobi ? jacobi.window + FORCED_RUN : 0));
  const kept = (cache: KVCache) => (caches.push(cache), cache);
  kept(first.cache);
  const perPrompt = first.last;
  /** Per batch row (row r is candidate r % B's): the logits of its next token. */
  const logits = rowOf.map((u) => perPrompt[u]);
  /** A candidate's batch rows: its conditional row, then its unconditional twin. */
  const rowsOf = (group: readonly number[]) => (guided ? [...group, ...group.map((b) => b + B)] : [...group]);
  /** The prefill's cache, tiled for `rows` (the prefill ran each distinct prompt once). */
  const cacheFor = (rows: readonly number[]) => kept(first.cache.select(rows.map((r) => rowOf[r])));

  const streams = prompts.map((_, b) => new Random(rowSeed(options.seed, b)));
  let states = prompts.map(() => initialState());
  /** Per batch row: the id of logits[r][0], the image codes' start after a step that computed only them. */
  const logitsFrom = new Int32Array(rowOf.length);
  /** One token for each live candidate of `group`, -1 for every other row. */
  const sample = (group: readonly number[]): Int32Array => {
    const tokens = new Int32Array(B).fill(-1);
    for (const b of group) {
      if (states[b].done) continue;
      const allowed = allowedNext(states[b], options.rules, vocab);
      const span = allowedSpan(allowed, vocab);
      const draw = () => streams[b].next();
      if ('only' in allowed) tokens[b] = allowed.only; // forced: no draw, so locks do not shift the PRNG
      else if (span) {
        // Inside an image: guide and sample the image codes' slice only (a fifth of the vocabulary), same draw.
        const [lo, hi] = span;
        const slice = (r: number) => (logitsFrom[r] === lo ? logits[r] : logits[r].subarray(lo, hi));
        const cond = slice(b);
        tokens[b] = lo + sampleToken(guided ? guide(cond, slice(B + b), options.cfg) : cond, options.sampling, draw);
      } else {
        if (logitsFrom[b] !== 0 || (guided && logitsFrom[B + b] !== 0)) throw new Error(`internal: candidate ${b} needs every id's logits, its last step computed only some`);
        const guidedLogits = guided ? guide(logits[b], logits[B + b], options.cfg) : logits[b];
        tokens[b] = sampleToken(constrain(guidedLogits, allowed, vocab), options.sampling, draw);
      }
    }
    states = states.map((s, b) => (s.done || tokens[b] < 0 ? s : advance(s, tokens[b], options.rules, vocab)));
    return tokens;
  };
  /**
   * Feeds `rows` (in `cache`'s order) their candidates' tokens (<pad> once over) and keeps the next
   * logits: those of the image codes alone when every live row of the call is inside an image.
   */
  const feed = async (cache: KVCache, rows: readonly number[], tokens: Int32Array) => {
    options.signal?.throwIfAborted();
    const kind = nextLogits(rows.map((r) => r % B));
    const out = await session.decode(cache, Int32Array.from(rows, (r) => (tokens[r % B] < 0 ? vocab.specials.pad : tokens[r % B])), kind);
    const width = kind === 'codes' ? vocab.image.size : V;
    rows.forEach((r, i) => {
      logits[r] = out.subarray(i * width, (i + 1) * width);
      logitsFrom[r] = kind === 'codes' ? vocab.image.start : 0;
    });
  };
  /** The logits the next sample() reads for `candidates`: the image codes' if it reads no others (forced tokens read none). */
  const nextLogits = (candidates: readonly number[]): LogitsKind => {
    const codes = candidates.every((b) => readsCodesAlone(states[b], options.rules, vocab));
    return codes && !options.fullHead && candidates.some((b) => !states[b].done) ? 'codes' : 'all';
  };

  const everyone = prompts.map((_, b) => b);
  let rows = rowsOf(everyone);
  let cache: KVCache;
  if (lead) {
    // The leader's first steps at a batch of one candidate, then the others' same steps, then one batch again.
    const groups = [[lead.candidate], everyone.filter((b) => b !== lead.candidate)];
    const groupCaches = [];
    for (const group of groups) {
      const groupRows = rowsOf(group);
      const groupCache = cacheFor(groupRows);
      for (let step = 0; step < lead.steps; step++) {
        options.signal?.throwIfAborted();
        const tokens = sample(group);
        yield { step, tokens, states };
        await feed(groupCache, groupRows, tokens);
      }
      groupCaches.push(groupCache);
    }
    rows = groups.flatMap(rowsOf);
    cache = kept(KVCache.stack(groupCaches));
  } else {
    const identity = rowOf.length === unique.length && rowOf.every((u, i) => u === i);
    cache = identity ? first.cache : cacheFor(rows);
  }
  if (jacobi) {
    const first = sample(everyone); // an ordinary first step; `states` now follow it
    yield* jacobiSteps(session, cache, rows, options, jacobi, { B, guided, streams, states, first });
    return;
  }
  for (let step = lead?.steps ?? 0; step < options.maxNewTokens; step++) {
    options.signal?.throwIfAborted();
    const tokens = sample(everyone);
    yield { step, tokens, states };
    if (states.every((s) => s.done) || step === options.maxNewTokens - 1) return;
    await feed(cache, rows, tokens);
  }
}

/**
 * The loop of decodeTokens with speculative Jacobi windows (jacobi.ts): the first token is sampled
 * as usual, then each call feeds every row its candidate's window (rows whose window is shorter, or
 * whose reply is over, are padded with <pad> and keep only their real slots), verifies the drafts and
 * rolls the cache back past each candidate's first rejection. One Step per token index of a call:
 * candidates that emitted fewer tokens this call report -1; `step` is the furthest candidate's index.
 */
async function* jacobiSteps(
  session: LmSession,
  cache: KVCache,
  rows: readonly number[],
  options: DecodeOptions,
  jacobi: JacobiOptions,
  loop: { B: number; guided: boolean; streams: Random[]; states: RowState[]; first: Int32Array },
): AsyncGenerator<Step> {
  const { vocab } = session.config;
  const { B, guided, streams } = loop;
  const V = vocab.size;
  let states = loop.states;
  const counts = new Int32Array(B).fill(1);
  yield { step: 0, tokens: loop.first, states };
  /** Per candidate: its window for the next call, or undefined once it emits no more. */
  const live: (Candidate | undefined)[] = states.map((s, b) => (s.done || options.maxNewTokens <= 1 ? undefined : { next: loop.first[b], drafts: [], qs: [] }));
  const contexts = streams.map((stream) => ({ rules: options.rules, vocab, sampling: options.sampling, cfg: options.cfg, guided, random: () => stream.next() }));
  while (live.some((c) => c)) {
    options.signal?.throwIfAborted();
    const T = Math.max(...live.map((c) => (c ? 1 + c.drafts.length : 0)));
    const ids = new Int32Array(rows.length * T).fill(vocab.specials.pad);
    rows.forEach((r, i) => {
      const c = live[r % B];
      if (c) ids.set([c.next, ...c.drafts], i * T);
    });
    // The image codes' logits alone when no live candidate reads another id this call (as decodeSteps' feed).
    const codes = !options.fullHead && live.every((c, b) => !c || readsCodesOnly(c, states[b], options.rules, vocab));
    const out = await session.decodeWindow(cache, ids, T, codes ? 'codes' : 'all');
    if (jacobi.stats) jacobi.stats.calls++;
    const width = codes ? vocab.image.size : V;
    const at = (row: number, j: number) => out.subarray((row * T + j) * width, (row * T + j + 1) * width);
    const results = live.map((c, b) => {
      if (!c) return undefined;
      const [cond, uncond] = rows.flatMap((r, i) => (r === b || r === b + B ? [i] : []));
      const result = verifyWindow(contexts[b], c, states[b], (j) => ({ cond: at(cond, j), ...(uncond !== undefined ? { uncond: at(uncond, j) } : {}) }), jacobi.window, options.maxNewTokens - counts[b]);
      if (jacobi.stats) {
        jacobi.stats.drafted += c.drafts.length;
        jacobi.stats.accepted += result.accepted;
      }
      return result;
    });
    // Each row keeps its window's first token (already emitted) and the drafts its candidate accepted.
    cache.rollback(T, rows.map((r) => (results[r % B] ? 1 + results[r % B]!.accepted : 0)));
    const most = Math.max(...results.map((r) => r?.emitted.length ?? 0));
    for (let j = 0; j < most; j++) {
      const tokens = new Int32Array(B).fill(-1);
      results.forEach((r, b) => {
        if (!r || j >= r.emitted.length) return;
        tokens[b] = r.emitted[j];
        states = states.map((s, i) => (i === b ? r.states[j] : s));
      });
      const step = Math.max(...results.map((r, b) => (r && j < r.emitted.length ? counts[b] + j : -1)));
      yield { step, tokens, states };
    }
    results.forEach((r, b) => {
      if (!r) return;
      counts[b] += r.emitted.length;
      live[b] = r.next;
    });
  }
}

/** The head start asked for, when it can apply: more than one candidate, and steps left after it. */
function headStartOf(options: DecodeOptions, B: number): HeadStart | undefined {
  const lead = options.headStart;
  if (!lead || B < 2) return undefined;
  if (!Number.isInteger(lead.candidate) || lead.candidate < 0 || lead.candidate >= B) throw new RangeError(`headStart: no candidate ${lead.candidate} in ${B}`);
  const steps = Math.min(lead.steps, options.maxNewTokens - 1);
  return steps > 0 ? { candidate: lead.candidate, steps } : undefined;
}
