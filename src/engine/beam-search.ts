/**
 * Beam search over a text reply: `beams` hypotheses grow a token at a time, each step keeping the
 * best continuations of all of them, and the reply with the highest log-probability per token wins.
 * Greedy decoding commits to its first token; a caption's first words decide how the rest reads the
 * image ("a 2 by 2 grid: ..." or "a large ... on ..."), so a hypothesis that starts second-best can
 * end best. Unguided, deterministic (no draws), text replies only.
 *
 * @example
 *   const [{ tokens, logp }] = await beamSearch(session, promptIds, { beams: 4, maxNewTokens: 128, rules });
 */
import { check, checkRoom } from './errors.ts';
import { advance, allowedNext, constrain, type GrammarRules, initialState, type RowState } from './constraints.ts';
import type { ProgressEvent, TextEvent } from './events.ts';
import type { KVCache } from './kv-cache.ts';
import { logSoftmax } from './logits.ts';
import type { SamplingSettings } from './options.ts';
import type { LmSession } from './session.ts';
import type { ReplyText } from './text-stream.ts';

export interface BeamOptions {
  /** Hypotheses kept per step (1 is greedy decoding). */
  beams: number;
  maxNewTokens: number;
  rules: GrammarRules;
  signal?: AbortSignal;
}

/** A reply: its ids (the closing <end_turn> included when it reached one) and their summed log-probability. */
export interface BeamReply {
  tokens: number[];
  logp: number;
}

interface Hypothesis extends BeamReply {
  state: RowState;
}

/**
 * Hypotheses a text reply searches by default when its settings are greedy and unguided (describe,
 * chat turns that reply with text). Four named 64.1 % of a 2×2 grid's objects where greedy decoding
 * named 55.6 % (96 World-bench captions, 29 better and 11 worse; two beams 61.9 %), at ~2.9× greedy's
 * time (BENCHMARKS.md, "Captions by beam search").
 */
export const TEXT_REPLY_BEAMS: number = 4;

/**
 * The beams a text reply searches: those asked for, else TEXT_REPLY_BEAMS with greedy, unguided
 * settings, else 1 (token by token, streamed). Beams with sampled or guided settings are bad input:
 * the search draws nothing and runs no unconditional rows.
 */
export function replyBeams(asked: number | undefined, settings: SamplingSettings): number {
  const greedy = settings.temperature <= 0 && settings.cfg === 1;
  const beams = asked ?? (greedy ? TEXT_REPLY_BEAMS : 1);
  check(Number.isInteger(beams) && beams >= 1, `beams must be a positive integer, got ${beams}`);
  const sampled = [settings.temperature > 0 ? `temperature ${settings.temperature}` : '', settings.cfg !== 1 ? `cfg ${settings.cfg}` : ''].filter(Boolean).join(' and ');
  check(beams === 1 || greedy, `beam search is greedy and unguided: beams ${beams} cannot go with ${sampled} (beams 1 samples token by token)`);
  return beams;
}

/**
 * The search's best reply as a text reply's events (describe, chat): known only when the search ends,
 * so one progress event, then the whole text (pushed through `text`, flushed) as one text event.
 */
export async function* searchedReplyEvents(session: LmSession, prompt: readonly number[], options: BeamOptions, text: ReplyText): AsyncGenerator<ProgressEvent | TextEvent> {
  const [{ tokens }] = await beamSearch(session, prompt, options);
  yield { type: 'progress', done: tokens.length, total: options.maxNewTokens };
  const whole = tokens.map((id) => text.push(id)).join('') + text.flush();
  if (whole) yield { type: 'text', index: 0, text: whole };
}

/** A finished reply's rank: its mean log-probability per token, so that length is not punished. */
const meanLogp = (h: Hypothesis) => h.logp / Math.max(1, h.tokens.length);

/** The `k` largest entries of `values` (finite ones only), largest first. */
function topEntries(values: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] === -Infinity) continue;
    if (best.length === k && values[i] <= values[best[k - 1]]) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && values[best[at - 1]] < values[i]) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

/**
 * The replies the search finished (else, out of tokens, the live ones), best mean log-probability
 * first: [0] is the answer, the rest its runners-up.
 */
export async function beamSearch(session: LmSession, prompt: readonly number[], options: BeamOptions): Promise<BeamReply[]> {
  const { beams, maxNewTokens, rules, signal } = options;
  check(Number.isInteger(beams) && beams >= 1, `beams must be a positive integer, got ${beams}`);
  if (rules.reply !== 'text') throw new RangeError('beamSearch: text replies only');
  const { vocab, model } = session.config;
  checkRoom(prompt.length, maxNewTokens, model.maxSeqLen);
  signal?.throwIfAborted();
  const first = await session.prefillLast([prompt], maxNewTokens);
  let cache: KVCache = first.cache;
  /** The prompt's slots, the same in every row once tiled: only the replies after them move between rows. */
  const shared = cache.length;
  /** One hypothesis per batch row; null rows are over (fed <pad>, offering nothing). One row until the first step. */
  let rows: (Hypothesis | null)[] = [{ tokens: [], logp: 0, state: initialState() }];
  let logits: Float32Array[] = [first.last[0]];
  const finished: Hypothesis[] = [];
  try {
    for (let step = 0; step < maxNewTokens; step++) {
      // Every live hypothesis offers its best `beams` continuations; the best `beams` of all of them go on.
      const offers: { parent: number; token: number; logp: number }[] = [];
      rows.forEach((h, parent) => {
        if (!h) return;
        const scores = logSoftmax(constrain(logits[parent], allowedNext(h.state, rules, vocab), vocab));
        for (const token of topEntries(scores, beams)) offers.push({ parent, token, logp: h.logp + scores[token] });
      });
      offers.sort((a, b) => b.logp - a.logp);
      const next: Hypothesis[] = [];
      const parents: number[] = [];
      for (const offer of offers.slice(0, beams)) {
        const h = rows[offer.parent]!;
        const grown = { tokens: [...h.tokens, offer.token], logp: offer.logp, state: advance(h.state, offer.token, rules, vocab) };
        if (grown.state.done) {
          finished.push(grown);
        } else {
          next.push(grown);
          parents.push(offer.parent);
        }
      }
      // Done once `beams` replies are over: the usual early stop, which may miss a longer live reply of a better mean.
      if (finished.length >= beams || next.length === 0) {
        rows = [];
        break;
      }
      if (step === maxNewTokens - 1) {
        rows = next; // out of tokens: the live ones are the candidates, and no step is left to feed
        break;
      }
      signal?.throwIfAborted();
      if (cache.batch === 1 && beams > 1) {
        // The first step: the prompt's one row, tiled once for every hypothesis.
        const tiled = cache.select(Array.from({ length: beams }, () => 0));
        cache.release();
        cache = tiled;
      } else {
        cache.reorderTail(Array.from({ length: beams }, (_, i) => parents[i] ?? i), shared);
      }
      rows = Array.from({ length: cache.batch }, (_, i) => next[i] ?? null);
      const out = await session.decode(cache, Int32Array.from(rows, (h) => (h ? h.tokens[h.tokens.length - 1] : vocab.specials.pad)));
      logits = rows.map((_, i) => out.subarray(i * vocab.size, (i + 1) * vocab.size));
    }
  } finally {
    cache.release();
  }
  const pool = finished.length ? finished : rows.filter((h): h is Hypothesis => h !== null);
  return pool.sort((a, b) => meanLogp(b) - meanLogp(a)).map(({ tokens, logp }) => ({ tokens, logp }));
}
