/**
 * Speculative Jacobi decoding (SJD: Teng et al. 2024, "Accelerating Auto-regressive Text-to-Image
 * Generation with Training-free Speculative Jacobi Decoding", as in Lumina-mGPT), training-free and
 * exact: the tokens follow the same distribution as decode-loop.ts's one-token steps.
 *
 *   per call, per candidate: window [c, d1 .. dm] = the last sampled token + m draft codes, ONE graph
 *   call for all rows (cond + uncond twins get the same window). out[j] is the next-token logits
 *   after window slot j, so d(j+1) is verified against out[j]: accept with prob min(1, p/q) (q: the
 *   distribution d was drawn from), else draw the next token from norm(max(0, p - q)) and stop; when
 *   every draft passes, the next token comes from out[m]. The cache keeps c and the accepted drafts
 *   (KVCache.rollback). New drafts for the positions after the new token are drawn from this call's
 *   later outputs (conditioned on the rejected drafts: the Jacobi iteration) and, past those, from the
 *   last distribution at hand.
 *
 * Drafts are only made inside an image span (codes, or locked cells); everywhere else the window is
 * [c] alone, i.e. one ordinary step. Inside an image a call asks for the image codes' logits alone
 * and the distributions span the codes only (`Dist`), as one-token steps do. Locked cells before a
 * window's first sampled draft are drafted free of the window's limit (FORCED_RUN). With temperature
 * 0, p and q are one-hot, so a draft passes iff it is the argmax and a rejection yields the argmax:
 * the tokens are the sequential greedy ones (up to the graph's rounding: a window call's logits differ
 * from one-token calls' by ~1e-4 nats, enough to flip a near tie; BENCHMARKS.md).
 *
 * @example
 *   const stats = { calls: 0, drafted: 0, accepted: 0 };
 *   decodeTokens(session, [prompt], [uncond], { ...options, jacobi: { window: 8, stats } });
 */
import { allowedNext, allowedSpan, advance, constrain, type GrammarRules, readsCodesAlone, type RowState } from './constraints.ts';
import { guide } from './logits.ts';
import { argmax, sampleIndex, samplingProbs, type SamplingOptions } from './sampler.ts';
import type { VocabularyLayout } from '../model/vocabulary.ts';

export interface JacobiOptions {
  /**
   * Tokens per row per call: the last sampled token + up to window - 1 drafts (1 = sequential);
   * locked tokens before the first sampled draft do not count (FORCED_RUN).
   */
  window: number;
  /** Filled in as the run goes: what a caller (the bench) reads back. */
  stats?: JacobiStats;
}

export interface JacobiStats {
  /** Graph calls after the prompt pass. */
  calls: number;
  /** Draft tokens verified, and how many of them were accepted. */
  drafted: number;
  accepted: number;
}

/** The distribution the sampler draws from: constrained, then temperature -> top-k -> top-p; one-hot when greedy. */
export function tokenProbs(logits: Float32Array, sampling: SamplingOptions): Float64Array {
  if (sampling.temperature <= 0) {
    const out = new Float64Array(logits.length);
    out[argmax(logits)] = 1;
    return out;
  }
  return samplingProbs(logits, sampling);
}

/**
 * Speculative sampling's accept/resample rule for draft `draft` (an index of p and q) drawn from `q`, target `p`: the
 * result is distributed as p whatever q is. Returns the draft when accepted, else a draw from the
 * residual norm(max(0, p - q)). `random` undefined is greedy (p and q one-hot): no draws, so the
 * draft passes iff it is p's argmax, and a rejection returns that argmax.
 */
export function verifyDraft(draft: number, q: Float64Array, p: Float64Array, random: (() => number) | undefined): { token: number; accepted: boolean } {
  if (p[draft] >= q[draft] || (random && random() * q[draft] < p[draft])) return { token: draft, accepted: true };
  const residual = new Float64Array(p.length);
  let total = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > q[i]) total += residual[i] = p[i] - q[i];
  if (!(total > 0) || !random) return { token: argmax(total > 0 ? residual : p), accepted: false }; // p = q up to rounding: p itself
  for (let i = 0; i < residual.length; i++) residual[i] /= total;
  return { token: sampleIndex(residual, random()), accepted: false };
}

/**
 * A position's distribution over the ids offset .. offset + probs.length - 1 (every other id has
 * probability 0): the image codes' slice inside an image, one id where it is forced, every id
 * outside. Inside an image the sampler thus works on a fifth of the vocabulary, as decode-loop's does.
 */
export interface Dist {
  offset: number;
  probs: Float64Array;
}

/**
 * Forced drafts (locked cells of an edit) before a window's first sampled draft, at most: they always
 * pass, so they ride along outside the window's limit, and a locked stretch is fed in a few calls
 * instead of one call per `window - 1` tokens.
 */
export const FORCED_RUN = 63;

/** One candidate's speculative state between calls. */
export interface Candidate {
  /** The last sampled token, not in the cache yet: slot 0 of the next window. */
  next: number;
  drafts: number[];
  /** The distribution each draft was drawn from. */
  qs: Dist[];
}

export interface JacobiContext {
  rules: GrammarRules;
  vocab: VocabularyLayout;
  sampling: SamplingOptions;
  cfg: number;
  guided: boolean;
  random: () => number;
}

/**
 * The distribution position `state` samples from: guided (when cfg is on), constrained, then the
 * sampling filters. Its logits rows are every id's, or (a codes-only call) the image codes' alone,
 * which is all an image position reads.
 */
function positionDist(ctx: JacobiContext, cond: Float32Array, uncond: Float32Array | undefined, state: RowState): Dist {
  const allowed = allowedNext(state, ctx.rules, ctx.vocab);
  if ('only' in allowed) return { offset: allowed.only, probs: Float64Array.of(1) };
  const span = allowedSpan(allowed, ctx.vocab);
  const view = (row: Float32Array) => {
    if (span) return row.length === ctx.vocab.size ? row.subarray(span[0], span[1]) : row;
    if (row.length !== ctx.vocab.size) throw new Error(`internal: a position outside an image needs every id's logits, got ${row.length}`);
    return row;
  };
  const guided = ctx.guided && uncond ? guide(view(cond), view(uncond), ctx.cfg) : view(cond);
  return { offset: span ? span[0] : 0, probs: tokenProbs(span ? guided : constrain(guided, allowed, ctx.vocab), ctx.sampling) };
}

/** A draw from `dist` (its most likely id when greedy). */
function draw(ctx: JacobiContext, dist: Dist): number {
  return dist.offset + (ctx.sampling.temperature <= 0 ? argmax(dist.probs) : sampleIndex(dist.probs, ctx.random()));
}

/**
 * Whether every position a window of `candidate` reads (after its next token and after each draft)
 * samples an image code or a forced id: then the call needs the image codes' logits alone.
 */
export function readsCodesOnly(candidate: Candidate, state: RowState, rules: GrammarRules, vocab: VocabularyLayout): boolean {
  for (let j = 0; ; j++) {
    if (!readsCodesAlone(state, rules, vocab)) return false;
    if (state.done || j === candidate.drafts.length) return true;
    state = advance(state, candidate.drafts[j], rules, vocab);
  }
}

/** Whether a draft can be made for the position after `state`: inside an image span, codes left, tokens left. */
function draftable(state: RowState, rules: GrammarRules): boolean {
  return !state.done && state.inside >= 0 && state.inside < rules.imageTokens;
}

/**
 * Verifies one candidate's window against this call's outputs (`out(j)` = cond/uncond logits after
 * slot j) and returns the tokens it emits (accepted drafts, then the new next token), their states,
 * and its state for the next call (drafts included: at most `window - 1` of them beyond a leading run
 * of forced ones, `budget` tokens at most).
 */
export function verifyWindow(
  ctx: JacobiContext,
  candidate: Candidate,
  state: RowState,
  out: (j: number) => { cond: Float32Array; uncond?: Float32Array },
  window: number,
  budget: number,
): { emitted: number[]; states: RowState[]; accepted: number; next?: Candidate } {
  const emitted: number[] = [];
  const states: RowState[] = [];
  const push = (token: number) => {
    emitted.push(token);
    states.push((state = advance(state, token, ctx.rules, ctx.vocab)));
  };
  let j = 0;
  let token = -1;
  for (; j < candidate.drafts.length; j++) {
    const { cond, uncond } = out(j);
    const p = positionDist(ctx, cond, uncond, state);
    const q = candidate.qs[j];
    // q was drawn for this very position (same tokens before it), so it has p's allowed set and slice
    if (q.offset !== p.offset || q.probs.length !== p.probs.length) throw new Error('internal: a draft and its check disagree on the allowed ids');
    const verdict = verifyDraft(candidate.drafts[j] - p.offset, q.probs, p.probs, ctx.sampling.temperature <= 0 ? undefined : ctx.random);
    if (!verdict.accepted) {
      token = p.offset + verdict.token;
      break;
    }
    push(p.offset + verdict.token);
  }
  const accepted = j;
  if (token < 0) {
    // Every draft passed: the token after them is an ordinary draw (forced ones draw nothing).
    const allowed = allowedNext(state, ctx.rules, ctx.vocab);
    if ('only' in allowed) token = allowed.only;
    else {
      const { cond, uncond } = out(j);
      token = draw(ctx, positionDist(ctx, cond, uncond, state));
    }
  }
  push(token);
  if (state.done || emitted.length >= budget) return { emitted, states, accepted };

  // Drafts for the positions after the new token: this call's later outputs, then the last of them.
  const drafts: number[] = [];
  const qs: Dist[] = [];
  let draftState = state;
  const room = budget - emitted.length - 1;
  let counted = 0; // the drafts `window` limits: sampled ones, and forced ones after the first sampled one
  for (let i = 0; i < room && draftable(draftState, ctx.rules); i++) {
    const free = counted === 0 && 'only' in allowedNext(draftState, ctx.rules, ctx.vocab);
    if (free ? i >= FORCED_RUN : counted >= window - 1) break;
    if (!free) counted++;
    const source = out(Math.min(j + 1 + i, candidate.drafts.length));
    const q = positionDist(ctx, source.cond, source.uncond, draftState);
    const draft = draw(ctx, q);
    drafts.push(draft);
    qs.push(q);
    draftState = advance(draftState, draft, ctx.rules, ctx.vocab);
  }
  return { emitted, states, accepted, next: { next: token, drafts, qs } };
}
