import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArenaPool } from './arena-pool.ts';
import { CAPACITY_STEP, KVCache } from './kv-cache.ts';
import { promptIds } from './prompt.ts';
import { asciiTokenizer, tinyContext } from './test-support.ts';

const ctx = await tinyContext(undefined);
const { vocab } = ctx.config;
const turns = [{ role: 'user' as const, parts: [{ text: 'two red stars' }] }];
const prompt = promptIds('t2i', turns, asciiTokenizer, vocab);
const uncond = promptIds('t2i', turns, asciiTokenizer, vocab, { drop: true });
const tokens = [vocab.specials.boi, vocab.image.start + 7, vocab.image.start + 30, vocab.image.start + 1];

/** Logits of a few decode steps fed the same tokens on every row. */
async function steps(cache: KVCache): Promise<Float32Array[]> {
  const out = [];
  for (const t of tokens) out.push((await ctx.session.decode(cache, Array(cache.batch).fill(t))).slice());
  return out;
}

test('prefilling each distinct prompt once and tiling its cache gives the logits of prefilling every row, bit for bit', async () => {
  // Best-of-4 with guidance: 8 rows, 2 distinct prompts.
  const every = await ctx.session.prefill([prompt, prompt, prompt, prompt, uncond, uncond, uncond, uncond]);
  const distinct = await ctx.session.prefill([prompt, uncond]);
  const tiled = distinct.cache.select([0, 0, 0, 0, 1, 1, 1, 1]);
  assert.deepEqual(await steps(tiled), await steps(every.cache));
});

test('stack joins caches that ran apart into one, as if they had run as one batch', async () => {
  const distinct = await ctx.session.prefill([prompt, uncond]);
  const together = distinct.cache.select([0, 1, 0, 1]);
  const [a, b] = [distinct.cache.select([0, 1]), distinct.cache.select([0, 1])];
  const [ta, tb] = [await steps(a), await steps(b)];
  const joined = await steps(together);
  joined.forEach((logits, i) => assert.deepEqual(logits, Float32Array.from([...ta[i], ...tb[i]])));
  const stacked = KVCache.stack([a, b]);
  assert.equal(stacked.batch, 4);
  assert.equal(stacked.length, together.length);
  assert.deepEqual(await steps(stacked), await steps(together));
  assert.throws(() => KVCache.stack([stacked, distinct.cache.select([0])]), RangeError);
});

test('rollback: a window call undone down to what each row keeps reads like never having seen the rest', async () => {
  const { cache } = await ctx.session.prefill([prompt, uncond]);
  const plain = cache.select([0, 1]);
  const [a, b, c] = tokens;
  // row 0 keeps [a, b] of [a, b, c]; row 1 keeps [a] (a hole where its b was)
  await ctx.session.decodeWindow(cache, [a, b, c, a, b, c], 3);
  cache.rollback(3, [2, 1]);
  assert.deepEqual(Array.from(cache.positions), [plain.positions[0] + 2, plain.positions[1] + 1]);
  const next = await ctx.session.decode(cache, [c, c]);
  const p0 = plain.select([0]);
  await ctx.session.decode(p0, [a]);
  await ctx.session.decode(p0, [b]);
  const want0 = await ctx.session.decode(p0, [c]);
  const p1 = plain.select([1]);
  await ctx.session.decode(p1, [a]);
  const want1 = await ctx.session.decode(p1, [c]);
  const V = vocab.size;
  const close = (x: Float32Array, y: Float32Array) => x.every((v, i) => Math.abs(v - y[i]) < 1e-4);
  assert.ok(close(next.subarray(0, V), want0));
  assert.ok(close(next.subarray(V, 2 * V), want1));
});

test('a cache with a reservation grows in two arenas taken in turn, with the logits of one that allocates, bit for bit', async () => {
  const n = 3 * CAPACITY_STEP + 5; // several growths
  const plain = (await ctx.session.prefill([prompt, uncond])).cache;
  const reserved = (await ctx.session.prefill([prompt, uncond], n)).cache;
  const arenas = new Set<ArrayBufferLike>();
  const capacities = new Set<number>();
  for (let i = 0; i < n; i++) {
    const t = i === 0 ? vocab.specials.boi : vocab.image.start + ((i * 37) % vocab.image.size);
    const want = (await ctx.session.decode(plain, [t, t])).slice();
    assert.deepEqual((await ctx.session.decode(reserved, [t, t])).slice(), want, `step ${i}`);
    arenas.add((reserved.past(ctx.session.ort.Tensor)[0].data as Float32Array).buffer);
    capacities.add(reserved.capacity);
  }
  assert.equal(reserved.capacity, plain.capacity);
  assert.ok(capacities.size >= 3, `grew ${capacities.size - 1} times`);
  assert.equal(arenas.size, 2);
  // Past the reservation it allocates again, still the same numbers.
  for (let i = 0; i < CAPACITY_STEP; i++) {
    const t = vocab.image.start + i;
    assert.deepEqual((await ctx.session.decode(reserved, [t, t])).slice(), (await ctx.session.decode(plain, [t, t])).slice());
  }
});

test("a released cache's arenas go to its pool; the next cache grows in them, with the logits of fresh memory, bit for bit", async () => {
  const n = 2 * CAPACITY_STEP + 3;
  const arenasOf = (cache: KVCache) => (cache.past(ctx.session.ort.Tensor)[0].data as Float32Array).buffer;
  const code = (i: number, k: number) => (i === 0 ? vocab.specials.boi : vocab.image.start + ((i * k) % vocab.image.size));
  const first = (await ctx.session.prefill([prompt, uncond], n)).cache;
  const used = new Set<ArrayBufferLike>();
  for (let i = 0; i < n; i++) {
    await ctx.session.decode(first, [code(i, 11), code(i, 11)]);
    used.add(arenasOf(first));
  }
  first.release();
  first.release(); // a second release is a no-op
  assert.throws(() => first.past(ctx.session.ort.Tensor), /after release/);
  assert.throws(() => first.select([0]), /after release/);
  assert.ok(ctx.session.arenas.bytesHeld > 0);

  // The next cache's arenas are the released ones, still holding the first cache's keys and values.
  const plain = (await ctx.session.prefill([prompt, uncond])).cache;
  const reused = (await ctx.session.prefill([prompt, uncond], n)).cache;
  for (let i = 0; i < n; i++) {
    const t = code(i, 29);
    assert.deepEqual((await ctx.session.decode(reused, [t, t])).slice(), (await ctx.session.decode(plain, [t, t])).slice(), `step ${i}`);
    if (reused.capacity > CAPACITY_STEP) assert.ok(used.has(arenasOf(reused)), `step ${i}: not in a released arena`);
  }
});

test('a pool gives a cache no memory another live cache holds', () => {
  const pool = new ArenaPool();
  const shape = { layers: 1, heads: 1, headDim: 2 };
  const slot = (v: number) => [{ dims: [1, 1, 1, 2], data: new Float32Array([v, v]) }, { dims: [1, 1, 1, 2], data: new Float32Array([v, v]) }] as never;
  // A released cache leaves two arenas' buffers in the pool, which the two live caches below draw from.
  const released = KVCache.empty(shape, new Int32Array(1), 2 * CAPACITY_STEP, pool);
  for (let i = 0; i < CAPACITY_STEP + 1; i++) released.append(slot(3), [1]);
  released.release();
  assert.ok(pool.bytesHeld > 0);
  const a = KVCache.empty(shape, new Int32Array(1), 2 * CAPACITY_STEP, pool);
  const b = KVCache.empty(shape, new Int32Array(1), 2 * CAPACITY_STEP, pool);
  for (let i = 0; i < CAPACITY_STEP + 1; i++) {
    a.append(slot(1), [1]);
    b.append(slot(2), [1]);
  }
  class Wrapped {
    constructor(readonly type: 'float32', readonly data: Float32Array) {}
  }
  const data = (c: KVCache) => c.past(Wrapped as never).map((t) => t.data as Float32Array);
  const [da, db] = [data(a), data(b)];
  assert.ok(da.every((x) => !db.some((y) => y.buffer === x.buffer)));
  assert.ok(da.every((x) => x.subarray(0, 2 * (CAPACITY_STEP + 1)).every((v) => v === 1)));
  assert.ok(db.every((y) => y.subarray(0, 2 * (CAPACITY_STEP + 1)).every((v) => v === 2)));
  assert.equal(pool.bytesHeld, 0, 'both drew the released memory');
});

test('hide masks written slots of one row for good, through growth and tiling; out-of-range slots throw', async () => {
  const { cache } = await ctx.session.prefill([prompt, prompt]);
  const width = () => cache.capacity + 1;
  const row = (b: number) => Array.from(cache.attentionMask(1).subarray(b * width(), b * width() + cache.length), Number);
  const before = row(0);
  cache.hide(0, 2, 4);
  assert.deepEqual(row(0), before.map((m, s) => (s >= 2 && s < 4 ? 0 : m)));
  assert.deepEqual(row(1), before, 'the other row keeps its slots');
  for (let i = 0; i < CAPACITY_STEP; i++) await ctx.session.decode(cache, [vocab.specials.boi, vocab.specials.boi]); // grows past its capacity
  assert.deepEqual(row(0).slice(0, before.length), before.map((m, s) => (s >= 2 && s < 4 ? 0 : m)));
  assert.deepEqual(Array.from(cache.select([0]).attentionMask(1).subarray(0, 4), Number), [...before.slice(0, 2), 0, 0]);
  assert.throws(() => cache.hide(0, 3, cache.length + 1), RangeError);
  assert.throws(() => cache.hide(2, 0, 1), RangeError);
});

test('reorderTail moves rows\' replies in place as select would, leaving the shared prompt alone', async () => {
  // Three rows of one prompt whose replies differ, then re-parented: row i takes row rows[i]'s reply.
  const { cache: one } = await ctx.session.prefill([prompt]);
  const shared = one.length;
  const diverge = async (cache: KVCache) => {
    for (const step of [0, 1]) await ctx.session.decode(cache, [0, 1, 2].map((b) => vocab.image.start + 10 * b + step));
  };
  const [a, b] = [one.select([0, 0, 0]), one.select([0, 0, 0])];
  await diverge(a);
  await diverge(b);
  const rows = [2, 0, 0];
  const reference = a.select(rows);
  b.reorderTail(rows, shared);
  assert.deepEqual(Array.from(b.positions), Array.from(reference.positions));
  assert.deepEqual(await steps(b), await steps(reference));
  // Moving nothing changes nothing; bad arguments throw.
  const c = one.select([0, 0, 0]);
  await diverge(c);
  const before = await steps(c.select([0, 1, 2]));
  c.reorderTail([0, 1, 2], shared);
  assert.deepEqual(await steps(c), before);
  assert.throws(() => c.reorderTail([0, 1], shared), RangeError);
  assert.throws(() => c.reorderTail([0, 1, 3], shared), RangeError);
  assert.throws(() => c.reorderTail([0, 1, 2], c.length + 1), RangeError);
});
