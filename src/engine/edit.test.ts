import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from './engine.ts';
import type { GenerateEvent } from './events.ts';
import { BlockCodec, collect, tinyContext } from './test-support.ts';

const codec = new BlockCodec();
const engine = new Engine(await tinyContext(codec));
const source = Uint16Array.from({ length: 256 }, (_, i) => (i * 37) % 256);

test('locked tokens: every cell outside the mask keeps the source code, for every candidate', async () => {
  const box = { x: 0.25, y: 0.25, w: 0.5, h: 0.25 }; // rows 4-7, cols 4-11
  const { images } = await engine.edit({ image: { codes: source }, instruction: 'make it red', mask: { boxes: [box] }, n: 2, seed: 3 });
  assert.equal(images.length, 2);
  for (const { codes } of images) {
    let changed = 0;
    for (let i = 0; i < 256; i++) {
      const [row, col] = [Math.floor(i / 16), i % 16];
      const inside = row >= 4 && row < 8 && col >= 4 && col < 12;
      if (!inside) assert.equal(codes[i], source[i], `cell ${i} outside the mask changed`);
      else if (codes[i] !== source[i]) changed++;
    }
    assert.ok(changed > 0, 'the masked region was regenerated');
  }
});

test('an RGBA source is VQ-encoded; without a mask the instruction alone drives the edit', async () => {
  const pixels = await codec.decode(source);
  const before = codec.calls.encode;
  const events: GenerateEvent[] = await collect(engine.edit({ image: pixels, instruction: 'flip it', seed: 1, previewEvery: 0 }));
  assert.equal(codec.calls.encode, before + 1);
  const done = events.at(-1)!;
  assert.equal(done.type, 'done');
  if (done.type !== 'done') return;
  assert.equal(done.images[0].codes.length, 256);
  assert.ok(done.images[0].codes.some((c, i) => c !== source[i]));
  assert.ok(events.filter((e) => e.type === 'partial').every((e) => e.type === 'partial' && !e.image));
});

test('bad inputs fail with EngineError before any decoding', async () => {
  await assert.rejects(engine.edit({ image: { codes: source.subarray(1) }, instruction: 'x' }).then(), { code: 'bad-input' });
  await assert.rejects(engine.edit({ image: { codes: source }, instruction: 'x', maks: {} } as never).then(), /unknown option maks/);
  await assert.rejects(engine.edit({ image: { codes: source }, instruction: 'x', topP: 0 }).then(), /topP/);
});
