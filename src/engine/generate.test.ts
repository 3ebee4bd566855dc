import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rankByScore, scoreImages } from './best-of-n.ts';
import { Engine } from './engine.ts';
import { defaultJacobi } from './generate.ts';
import type { GenerateEvent } from './events.ts';
import { BlockCodec, collect, countDecodes, tinyContext } from './test-support.ts';

const codec = new BlockCodec();
const ctx = await tinyContext(codec);
const engine = new Engine(ctx);

test('one image streams progress, a partial per grid row with a preview, then the image and done', async () => {
  const events: GenerateEvent[] = await collect(engine.generate({ prompt: 'a red fox', seed: 5, png: true }));
  const progress = events.filter((e) => e.type === 'progress');
  assert.equal(progress.length, 258);
  assert.deepEqual(progress.at(-1), { type: 'progress', done: 258, total: 258 });
  const partials = events.filter((e) => e.type === 'partial');
  assert.deepEqual(partials.map((p) => p.rows), Array.from({ length: 16 }, (_, i) => i + 1));
  assert.ok(partials.every((p) => p.codes.length === p.rows * 16 && p.image?.width === 128));
  const [image] = events.filter((e) => e.type === 'image');
  assert.equal(image.codes.length, 256);
  assert.ok(image.rgba && image.png && image.png[1] === 0x50); // "\x89PNG"
  assert.deepEqual(partials.at(-1)!.codes, image.codes);
  const done = events.at(-1)!;
  assert.ok(done.type === 'done' && done.images.length === 1 && done.scores.length === 0);
});

test('previews: one batched VQ call per row for all candidates, equal to one preview each; the last is the final image', async () => {
  const before = { ...codec.calls };
  const events: GenerateEvent[] = await collect(engine.generate({ prompt: 'two stars', n: 3, seed: 4, score: false }));
  const calls = Object.fromEntries(Object.entries(codec.calls).map(([k, v]) => [k, v - before[k as keyof typeof before]]));
  // 16 batched previews, the first one split in two (candidate 0 alone goes out first); finals reuse the 16-row previews
  assert.deepEqual(calls, { encode: 0, decode: 0, partial: 0, decodeBatch: 0, partialBatch: 17 });
  const partials = events.filter((e) => e.type === 'partial');
  assert.equal(partials.length, 3 * 16);
  for (const p of partials) assert.deepEqual(p.image, await codec.decodePartial(p.codes, p.rows), `candidate ${p.index} row ${p.rows}`);
  for (const image of events.filter((e) => e.type === 'image')) {
    assert.deepEqual(image.rgba, await codec.decode(image.codes)); // a full decode, as before
    const last = partials.find((p) => p.index === image.index && p.rows === 16)!;
    assert.notEqual(image.rgba!.data, last.image!.data); // equal pixels, not one shared buffer
  }
  const noPreviews = codec.calls.decodeBatch;
  await engine.generate({ prompt: 'two stars', n: 2, seed: 4, score: false, previewEvery: 0 });
  assert.equal(codec.calls.decodeBatch, noPreviews + 1); // both final images in one call
});

test('determinism: the same seed gives the same codes; another seed does not', async () => {
  const codes = async (seed: number) => (await engine.generate({ prompt: 'a red fox', seed, previewEvery: 0 })).images[0].codes;
  const a = await codes(11);
  assert.deepEqual(await codes(11), a);
  assert.notDeepEqual(await codes(12), a);
});

test('best-of-N: one batch of 2N rows, candidates ranked by their i2t score, best first', async () => {
  const batches = countDecodes(ctx);
  const { images, scores } = await engine.generate({ prompt: 'two stars', n: 3, seed: 2, previewEvery: 0 });
  ctx.session.decode = Object.getPrototypeOf(ctx.session).decode;
  assert.equal(batches.length, 257);
  assert.ok(batches.every((b) => b === 6));
  assert.deepEqual(images.map((im) => im.index).sort(), [0, 1, 2]);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  assert.ok(scores.every((s) => Number.isFinite(s) && s < 0));
  // Recomputing in candidate order gives the same scores.
  const byIndex = [...images].sort((a, b) => a.index - b.index);
  const again = await scoreImages(ctx, byIndex.map((im) => im.codes), 'two stars');
  byIndex.forEach((im, i) => assert.ok(Math.abs(im.score! - again[i]) < 1e-9));
  assert.deepEqual(rankByScore(again), images.map((im) => im.index));
});

test('one candidate decodes in Jacobi windows by default, several in one-token steps; window 1 turns windows off', async () => {
  const windows: number[] = [];
  const real = ctx.session.decodeWindow.bind(ctx.session);
  ctx.session.decodeWindow = (cache, tokens, T, kind) => (windows.push(T), real(cache, tokens, T, kind));
  const steps = countDecodes(ctx);
  const calls = async (over: object) => {
    windows.length = steps.length = 0;
    await collect(engine.generate({ prompt: 'a red fox', seed: 3, previewEvery: 0, ...over }));
    return { windows: windows.length, steps: steps.length, longest: Math.max(0, ...windows) };
  };
  const single = await calls({});
  assert.ok(single.windows > 0 && single.windows + single.steps < 257 && single.longest === defaultJacobi(1)!.window, JSON.stringify(single));
  assert.deepEqual(await calls({ n: 2, score: false }), { windows: 0, steps: 257, longest: 0 });
  assert.deepEqual(await calls({ jacobi: { window: 1 } }), { windows: 0, steps: 257, longest: 0 });
  ctx.session.decode = Object.getPrototypeOf(ctx.session).decode;
  ctx.session.decodeWindow = Object.getPrototypeOf(ctx.session).decodeWindow;
});

test('cancelling mid-generation rejects with AbortError within one step', async () => {
  const controller = new AbortController();
  const calls = countDecodes(ctx);
  let seen = 0;
  await assert.rejects(async () => {
    // one-token steps (Jacobi windows cancel within one call: jacobi.test.ts)
    for await (const e of engine.generate({ prompt: 'a red fox', signal: controller.signal, previewEvery: 0, jacobi: { window: 1 } })) {
      if (e.type === 'progress' && ++seen === 30) controller.abort();
    }
  }, { name: 'AbortError' });
  ctx.session.decode = Object.getPrototypeOf(ctx.session).decode;
  assert.equal(seen, 30);
  assert.equal(calls.length, 29); // the step that saw the abort decoded nothing more
});

test('previews only for the candidates asked for; codes and final images byte-identical to a run with none', async () => {
  const run = (over: object) => collect(engine.generate({ prompt: 'two stars', n: 3, seed: 7, score: false, ...over }));
  const before = { ...codec.calls };
  const events: GenerateEvent[] = await run({ previews: [2] });
  assert.equal(codec.calls.partialBatch - before.partialBatch, 16); // one preview per row, of candidate 2 alone
  const partials = events.filter((e) => e.type === 'partial');
  assert.equal(partials.length, 3 * 16); // everyone's codes still stream
  assert.deepEqual(partials.filter((p) => p.image).map((p) => [p.index, p.rows]), Array.from({ length: 16 }, (_, i) => [2, i + 1]));
  // Candidate 2 had a head start: its first preview came before anyone else's first row.
  assert.deepEqual([partials[0].index, partials[0].rows], [2, 1]);
  const progress = events.filter((e) => e.type === 'progress');
  assert.deepEqual(progress.map((p) => p.done), Array.from({ length: 258 }, (_, i) => i + 1));

  const images = (es: GenerateEvent[]) => es.flatMap((e) => (e.type === 'image' ? [[e.index, e.codes, e.rgba]] : []));
  const none = await run({ previewEvery: 0 }); // lockstep, no head start: the engine's old path
  assert.deepEqual(images(events), images(none));
  assert.deepEqual(images(await run({})), images(none)); // previews of all three, led by candidate 0
});

test('previews must name candidates of this run', async () => {
  await assert.rejects(async () => engine.generate({ prompt: 'x', n: 2, previews: [2] }), { name: 'EngineError' });
  await assert.rejects(async () => engine.generate({ prompt: 'x', n: 2, previews: [0.5] }), { name: 'EngineError' });
});
