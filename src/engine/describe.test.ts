import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from './engine.ts';
import { BlockCodec, collect, tinyContext } from './test-support.ts';

const engine = new Engine(await tinyContext(new BlockCodec()));
const codes = Uint16Array.from({ length: 256 }, (_, i) => i % 256);

test('describe streams text events that add up to the final text, and never emits an image', async () => {
  const events = await collect(engine.describe({ codes }, { maxTokens: 24, temperature: 1, seed: 4 }));
  const text = events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('');
  const done = events.at(-1)!;
  assert.ok(done.type === 'done' && done.text === text);
  assert.ok(events.filter((e) => e.type === 'progress').length <= 24);
  assert.equal(await engine.describe({ codes }, { maxTokens: 24, temperature: 1, seed: 4 }), text);
  assert.ok([...text].every((c) => c.charCodeAt(0) >= 32 && c.charCodeAt(0) < 128));
});
