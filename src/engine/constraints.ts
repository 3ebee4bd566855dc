/**
 * Constrained decoding: the grammar of an assistant reply, per batch row, as pure functions over a
 * small state. Mirrors ImageGrammar in trainer/tessera_trainer/lm/sample.py:
 *
 *   outside an image   text ids and specials, but no image code, <eoi>, <pad>, <bos> or task marker
 *   after <boi>        exactly `imageTokens` image codes, then <eoi>
 *
 * and adds what the engine needs: a reply kind ('image' forces <boi> first and ends at its <eoi>;
 * 'text' also bans <boi>) and locked tokens (edit: positions of the first reply image whose code is
 * fixed to the source image's).
 *
 * @example
 *   let state = initialState();
 *   const rule = allowedNext(state, rules, vocab);      // { only: boi } for an image reply
 *   state = advance(state, vocab.specials.boi, rules, vocab);
 */
import type { VocabularyLayout } from '../model/vocabulary.ts';
import { IMAGE_TOKENS } from '../model/vocabulary.ts';

export type ReplyKind = 'image' | 'text' | 'any';

export interface GrammarRules {
  reply: ReplyKind;
  /** Codes per image (config.image.tokens). */
  imageTokens: number;
  /** Per position of the first reply image: the code it must hold, or -1 where the model chooses. */
  locks?: Int32Array;
}

export interface RowState {
  /** Codes emitted in the current image, or -1 outside an image. */
  inside: number;
  /** Images completed (an <eoi> seen) in this reply. */
  images: number;
  /** Tokens emitted in this reply. */
  emitted: number;
  /** The reply is over: <end_turn>, or an image reply's <eoi>. */
  done: boolean;
}

/** What the next token may be: one forced id, any image code, or the outside set. */
export type Allowed = { only: number } | { codes: true } | { outside: Uint8Array };

export function initialState(): RowState {
  return { inside: -1, images: 0, emitted: 0, done: false };
}

export function imageRules(locks?: Int32Array): GrammarRules {
  return { reply: 'image', imageTokens: IMAGE_TOKENS, ...(locks ? { locks } : {}) };
}

const outsideMasks = new WeakMap<VocabularyLayout, Map<boolean, Uint8Array>>();

/** 1 for ids allowed outside an image; `noImages` also bans <boi>. Cached per vocabulary. */
export function outsideMask(vocab: VocabularyLayout, noImages: boolean): Uint8Array {
  let byKind = outsideMasks.get(vocab);
  if (!byKind) outsideMasks.set(vocab, (byKind = new Map()));
  let mask = byKind.get(noImages);
  if (!mask) {
    mask = new Uint8Array(vocab.size).fill(1);
    mask.fill(0, vocab.image.start, vocab.image.start + vocab.image.size);
    const { eoi, pad, bos, boi } = vocab.specials;
    for (const id of [eoi, pad, bos, ...Object.values(vocab.tasks)]) mask[id] = 0;
    if (noImages) mask[boi] = 0;
    byKind.set(noImages, mask);
  }
  return mask;
}

export function allowedNext(state: RowState, rules: GrammarRules, vocab: VocabularyLayout): Allowed {
  if (state.done) throw new RangeError('allowedNext: the reply is already over');
  if (state.inside >= rules.imageTokens) return { only: vocab.specials.eoi };
  if (state.inside >= 0) {
    const lock = state.images === 0 && rules.locks ? rules.locks[state.inside] : -1;
    return lock >= 0 ? { only: vocab.image.start + lock } : { codes: true };
  }
  if (rules.reply === 'image' && state.emitted === 0) return { only: vocab.specials.boi };
  return { outside: outsideMask(vocab, rules.reply === 'text') };
}

/** The logits with everything `allowed` excludes at -Infinity (a new row). */
export function constrain(logits: Float32Array, allowed: Allowed, vocab: VocabularyLayout): Float32Array {
  if ('outside' in allowed) return logits.map((x, i) => (allowed.outside[i] ? x : -Infinity));
  const [lo, hi] = 'only' in allowed ? [allowed.only, allowed.only + 1] : [vocab.image.start, vocab.image.start + vocab.image.size];
  return logits.map((x, i) => (i >= lo && i < hi ? x : -Infinity));
}

/**
 * The one run of ids [lo, hi) that `allowed` keeps, when it is a run of several (any image code):
 * the sampler can then read that slice alone instead of masking the whole vocabulary, and draw the
 * same id (every id outside it would have had probability 0). Undefined for other sets.
 */
export function allowedSpan(allowed: Allowed, vocab: VocabularyLayout): [number, number] | undefined {
  return 'codes' in allowed ? [vocab.image.start, vocab.image.start + vocab.image.size] : undefined;
}

/**
 * Whether sampling the position after `state` reads no logits but the image codes': the reply is
 * over, the token is forced, or it is any image code. Such a call can ask the graph for the codes' head alone.
 */
export function readsCodesAlone(state: RowState, rules: GrammarRules, vocab: VocabularyLayout): boolean {
  if (state.done) return true;
  const allowed = allowedNext(state, rules, vocab);
  return 'only' in allowed || allowedSpan(allowed, vocab) !== undefined;
}

export function advance(state: RowState, token: number, rules: GrammarRules, vocab: VocabularyLayout): RowState {
  const { boi, eoi, end_turn } = vocab.specials;
  const next = { ...state, emitted: state.emitted + 1 };
  if (token === boi) next.inside = 0;
  else if (token === eoi) {
    next.inside = -1;
    next.images++;
    if (rules.reply === 'image') next.done = true;
  } else if (state.inside >= 0) next.inside++;
  if (token === end_turn) next.done = true;
  return next;
}
