/**
 * Parity through the engine's own layers: LmSession + KVCache + argmax must reproduce the PyTorch
 * reference logits and greedy tokens of the committed tiny model (src/model/fixtures/tiny), on a
 * batch with a left-padded row. Also: leftPad matches sample.py's left_pad, and select() tiles rows.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseModelConfig } from '../model/model-config.ts';
import { CAPACITY_STEP } from './kv-cache.ts';
import { argmax } from './sampler.ts';
import { commonPrefix, lastLogits, leftPad, LmSession, SHARED_PREFIX_MIN, WIDE_CALL_MIN } from './session.ts';

const dir = new URL('../model/fixtures/tiny/', import.meta.url);
const config = parseModelConfig(JSON.parse(readFileSync(new URL('config.json', dir), 'utf8')));
const ref = JSON.parse(readFileSync(new URL('reference.json', dir), 'utf8')) as {
  input_ids: number[][];
  attention_mask: number[][];
  position_ids: number[][];
  greedy: number[][];
};
const bin = readFileSync(new URL('reference.bin', dir));
const refLogits = new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4);
const V = config.vocab.size;
const TOLERANCE = 1e-4;
const open = () => LmSession.create(new URL('lm.onnx', dir).pathname, config, { intraOpNumThreads: 1 });

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

test('leftPad reproduces the reference ids, mask and positions', () => {
  const pad = config.vocab.specials.pad;
  const rows = ref.input_ids.map((r) => r.filter((id) => id !== pad));
  const batch = leftPad(rows, pad);
  assert.deepEqual(Array.from(batch.ids, Number), ref.input_ids.flat());
  assert.deepEqual(Array.from(batch.mask, Number), ref.attention_mask.flat());
  assert.deepEqual(Array.from(batch.positions, Number), ref.position_ids.flat());
  assert.deepEqual([...batch.pads], [0, 3]);
});

test('LmSession prefill + decode match PyTorch logits and greedy tokens', async () => {
  const session = await open();
  const rows = ref.input_ids.map((r) => r.filter((id) => id !== config.vocab.specials.pad));
  const { logits, T, cache } = await session.prefill(rows);
  const B = rows.length;
  for (let b = 0; b < B; b++) {
    for (let t = cache.pads[b]; t < T; t++) {
      const at = (b * T + t) * V;
      assert.ok(maxAbsDiff(logits.subarray(at, at + V), refLogits.subarray(at, at + V)) < TOLERANCE, `prefill [${b}, ${t}]`);
    }
  }
  let offset = B * T * V;
  let last = lastLogits(logits, B, T, V);
  for (const [step, expected] of ref.greedy.entries()) {
    const tokens = last.map(argmax);
    assert.deepEqual(tokens, expected, `greedy tokens at step ${step}`);
    const out = await session.decode(cache, tokens);
    assert.equal(cache.length, T + step + 1);
    assert.equal(cache.capacity, Math.ceil((T + step + 1) / CAPACITY_STEP) * CAPACITY_STEP);
    assert.ok(maxAbsDiff(out, refLogits.subarray(offset, offset + B * V)) < TOLERANCE, `decode step ${step}`);
    offset += B * V;
    last = [0, 1].map((b) => out.subarray(b * V, (b + 1) * V));
  }
  assert.equal(offset, refLogits.length);
  await session.release();
});

test('a tiled cache decodes each copy exactly like its source row', async () => {
  const session = await open();
  const rows = ref.input_ids.map((r) => r.filter((id) => id !== config.vocab.specials.pad));
  const { cache } = await session.prefill(rows);
  const tiled = cache.select([1, 0, 1]);
  assert.deepEqual([...tiled.pads], [3, 0, 3]);
  const wide = await session.decode(tiled, [7, 7, 7]);
  const narrow = await session.decode(cache, [7, 7]);
  assert.ok(maxAbsDiff(wide.subarray(0, V), narrow.subarray(V, 2 * V)) < 1e-5);
  assert.ok(maxAbsDiff(wide.subarray(V, 2 * V), narrow.subarray(0, V)) < 1e-5);
  assert.ok(maxAbsDiff(wide.subarray(2 * V), narrow.subarray(V, 2 * V)) < 1e-5);
  await session.release();
});

test('a decode step asked for the codes\' logits returns those columns of the full logits, and advances the cache alike', async () => {
  const session = await open();
  const rows = ref.input_ids.map((r) => r.filter((id) => id !== config.vocab.specials.pad));
  const { cache } = await session.prefill(rows);
  const twin = cache.select([0, 1]);
  const { start, size } = config.vocab.image;
  const full = await session.decode(cache, [7, 9]);
  const codes = await session.decode(twin, [7, 9], 'codes');
  assert.equal(codes.length, 2 * size);
  for (let b = 0; b < 2; b++) {
    assert.ok(maxAbsDiff(codes.subarray(b * size, (b + 1) * size), full.subarray(b * V + start, b * V + start + size)) < 1e-5, `row ${b}`);
  }
  assert.equal(twin.length, cache.length, 'both caches advanced by one slot');
  const [next, nextTwin] = [await session.decode(cache, [3, 4]), await session.decode(twin, [3, 4])];
  assert.ok(maxAbsDiff(next, nextTwin) < 1e-5, 'the cache written by a codes-only step is the same');
  await assert.rejects(session.decode(twin, [7, 9], 'text' as never), RangeError);
  assert.equal(twin.length, cache.length, 'a refused call leaves the cache as it was');
  await session.release();
});

test('prompts sharing a long prefix run it once: the same last logits and next steps as a plain prefill', async () => {
  const session = await open();
  const prefix = Array.from({ length: SHARED_PREFIX_MIN + 8 }, (_, i) => 5 + ((i * 7) % 60));
  const rows = [
    [...prefix, 11, 12, 13],
    [...prefix, 21],
    [...prefix, 31, 32, 33, 34, 35],
  ];
  assert.equal(commonPrefix(rows), prefix.length);
  const plain = await session.prefill(rows);
  const sharedRun = await session.prefillLast(rows);
  assert.equal(sharedRun.cache.batch, 3);
  lastLogits(plain.logits, 3, plain.T, V).forEach((row, b) => assert.ok(maxAbsDiff(row, sharedRun.last[b]) < TOLERANCE, `row ${b}`));
  assert.deepEqual([...sharedRun.cache.positions], rows.map((r) => r.length));
  // the padding inside the shorter rows stays masked: the next steps agree too
  for (const tokens of [[7, 8, 9], [40, 41, 42]]) {
    const [a, b] = [await session.decode(plain.cache, tokens), await session.decode(sharedRun.cache, tokens)];
    assert.ok(maxAbsDiff(a, b) < TOLERANCE, `after ${tokens}`);
  }
  // rows without a long common prefix take the plain path (one call)
  assert.equal(commonPrefix([[1, 2, 3], [1, 2, 4]]), 2);
  assert.equal(commonPrefix([[1, 2], [1, 2, 3]]), 1); // every row keeps a token of its own
  await session.release();
});

test('with wideThreads, large calls run on a second session of the graph, with the same logits', async () => {
  const narrow = await open();
  const wide = await LmSession.create(new URL('lm.onnx', dir).pathname, config, { intraOpNumThreads: 1, wideThreads: 2 });
  const second = (wide as unknown as { wide?: { run: (...args: unknown[]) => Promise<unknown> } }).wide;
  assert.ok(second, 'a second session was opened');
  let wideRuns = 0;
  const run = second.run.bind(second);
  second.run = (...args) => (wideRuns++, run(...args));
  const rows = [Array.from({ length: WIDE_CALL_MIN / 2 }, (_, i) => 5 + (i % 60)), Array.from({ length: WIDE_CALL_MIN / 2 }, (_, i) => 7 + (i % 50))];
  const [a, b] = [await narrow.prefill(rows), await wide.prefill(rows)];
  assert.equal(wideRuns, 1, 'the prefill of 2 x 32 tokens ran wide');
  assert.ok(maxAbsDiff(a.logits, b.logits) < 1e-5);
  const [stepA, stepB] = [await narrow.decode(a.cache, [9, 9]), await wide.decode(b.cache, [9, 9])];
  assert.equal(wideRuns, 1, 'a one-token step did not');
  assert.ok(maxAbsDiff(stepA, stepB) < 1e-5);
  await Promise.all([narrow.release(), wide.release()]);
  const plain = await LmSession.create(new URL('lm.onnx', dir).pathname, config, { intraOpNumThreads: 2, wideThreads: 2 });
  assert.equal((plain as unknown as { wide?: unknown }).wide, undefined, 'no second session when it would not be wider');
  await plain.release();
});
