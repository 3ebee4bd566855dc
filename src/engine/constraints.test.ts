import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vocabularyLayout } from '../model/vocabulary.ts';
import { sampleToken } from './sampler.ts';
import { advance, allowedNext, allowedSpan, constrain, type GrammarRules, imageRules, initialState, outsideMask, readsCodesAlone, type RowState } from './constraints.ts';

const vocab = vocabularyLayout(96, 256);
const { boi, eoi, end_turn, pad, bos, user } = vocab.specials;

/** Runs the grammar with a "model" that always prefers `favourite`, returning the emitted ids. */
function run(rules: GrammarRules, favourite: number, limit = 600): number[] {
  let state: RowState = initialState();
  const out: number[] = [];
  while (!state.done && out.length < limit) {
    const allowed = allowedNext(state, rules, vocab);
    const logits = new Float32Array(vocab.size);
    logits[favourite] = 10;
    const masked = constrain(logits, allowed, vocab);
    let id = 0;
    for (let i = 1; i < masked.length; i++) if (masked[i] > masked[id]) id = i;
    assert.notEqual(masked[id], -Infinity);
    out.push(id);
    state = advance(state, id, rules, vocab);
  }
  return out;
}

test('an image reply is <boi>, exactly 256 codes, <eoi>, whatever the model prefers', () => {
  for (const favourite of [end_turn, 5, vocab.image.start + 3, eoi]) {
    const out = run(imageRules(), favourite);
    assert.equal(out.length, 258);
    assert.equal(out[0], boi);
    assert.equal(out[257], eoi);
    assert.ok(out.slice(1, 257).every((id) => id >= vocab.image.start && id < vocab.image.start + vocab.image.size));
  }
});

test('locks force their codes in the first image only', () => {
  const locks = new Int32Array(256).fill(-1);
  locks[0] = 7;
  locks[255] = 9;
  const out = run(imageRules(locks), vocab.image.start + 1);
  assert.equal(out[1], vocab.image.start + 7);
  assert.equal(out[2], vocab.image.start + 1);
  assert.equal(out[256], vocab.image.start + 9);
  // In an 'any' reply, a second image is not locked.
  let state = { ...initialState(), images: 1, inside: 0 };
  assert.deepEqual(allowedNext(state, { reply: 'any', imageTokens: 256, locks }, vocab), { codes: true });
  state = { ...state, images: 0 };
  assert.deepEqual(allowedNext(state, { reply: 'any', imageTokens: 256, locks }, vocab), { only: vocab.image.start + 7 });
});

test('outside an image: no codes, <eoi>, <pad>, <bos> or task markers; text replies also ban <boi>', () => {
  const any = outsideMask(vocab, false);
  const text = outsideMask(vocab, true);
  for (const id of [eoi, pad, bos, vocab.image.start, vocab.image.start + 255, ...Object.values(vocab.tasks)]) assert.equal(any[id], 0, `id ${id}`);
  for (const id of [0, 95, boi, end_turn, user]) assert.equal(any[id], 1, `id ${id}`);
  assert.equal(text[boi], 0);
  assert.deepEqual(run({ reply: 'text', imageTokens: 256 }, boi, 5).includes(boi), false);
});

test('an any-reply can hold text, then an image, then end', () => {
  const rules: GrammarRules = { reply: 'any', imageTokens: 256 };
  let state = initialState();
  for (const id of [5, boi, ...Array(256).fill(vocab.image.start), eoi, 6]) state = advance(state, id, rules, vocab);
  assert.deepEqual(state, { inside: -1, images: 1, emitted: 260, done: false });
  assert.equal(advance(state, end_turn, rules, vocab).done, true);
});

test('sampling the image codes\' span alone draws the same ids as sampling the masked vocabulary', () => {
  const span = allowedSpan({ codes: true }, vocab)!;
  assert.deepEqual(span, [vocab.image.start, vocab.image.start + vocab.image.size]);
  assert.equal(allowedSpan({ only: boi }, vocab), undefined);
  assert.equal(allowedSpan({ outside: outsideMask(vocab, false) }, vocab), undefined);
  let seed = 1;
  const uniform = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const settings = [
    { temperature: 1, topK: 0, topP: 1 },
    { temperature: 0.7, topK: 20, topP: 0.9 },
    { temperature: 1.3, topK: 300, topP: 1 }, // k above the span's width: off, as on the masked row
    { temperature: 1, topK: 0, topP: 0.5 },
    { temperature: 0, topK: 0, topP: 1 },
  ];
  for (const sampling of settings) {
    for (let trial = 0; trial < 20; trial++) {
      const logits = Float32Array.from({ length: vocab.size }, () => 6 * uniform() - 3);
      const u = uniform();
      const full = sampleToken(constrain(logits, { codes: true }, vocab), sampling, () => u);
      const sliced = span[0] + sampleToken(logits.subarray(...span), sampling, () => u);
      assert.equal(sliced, full, `${JSON.stringify(sampling)} trial ${trial}`);
    }
  }
});

test('a position reads the codes alone inside an image, where forced, and after the reply; never outside', () => {
  const rules: GrammarRules = { reply: 'any', imageTokens: 256 };
  let state = initialState();
  assert.equal(readsCodesAlone(state, rules, vocab), false); // text or <boi>
  state = advance(state, boi, rules, vocab);
  assert.equal(readsCodesAlone(state, rules, vocab), true); // any code
  for (let i = 0; i < 256; i++) state = advance(state, vocab.image.start, rules, vocab);
  assert.equal(readsCodesAlone(state, rules, vocab), true); // <eoi>, forced
  state = advance(state, eoi, rules, vocab);
  assert.equal(readsCodesAlone(state, rules, vocab), false); // text again
  assert.equal(readsCodesAlone(advance(state, end_turn, rules, vocab), rules, vocab), true); // over
});
