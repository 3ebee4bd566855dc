import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEXT_REPLY_BEAMS } from './beam-search.ts';
import { Engine } from './engine.ts';
import { EngineError } from './errors.ts';
import { BlockCodec, collect, countDecodes, tinyContext } from './test-support.ts';

const ctx = await tinyContext(new BlockCodec());
const engine = new Engine(ctx);
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

test('greedy settings search TEXT_REPLY_BEAMS hypotheses by default and send the reply as one text event', async () => {
  const calls = countDecodes(ctx);
  const events = await collect(engine.describe({ codes }, { maxTokens: 12 }));
  const texts = events.flatMap((e) => (e.type === 'text' ? [e.text] : []));
  assert.ok(texts.length <= 1, `${texts.length} text events`);
  const done = events.at(-1)!;
  assert.ok(done.type === 'done' && done.text === texts.join(''));
  assert.ok(calls.length > 0 && calls.every((rows) => rows === TEXT_REPLY_BEAMS), calls.join(','));
  assert.equal(await engine.describe({ codes }, { maxTokens: 12, beams: TEXT_REPLY_BEAMS }), done.text);
  // One beam is the greedy stream: a row a step, a text event as characters arrive.
  calls.length = 0;
  const greedy = await collect(engine.describe({ codes }, { maxTokens: 12, beams: 1 }));
  assert.ok(calls.every((rows) => rows === 1));
  const last = greedy.at(-1)!;
  assert.equal(last.type === 'done' && last.text, greedy.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join(''));
});

test('sampled settings decode token by token unless beams are asked for, which they cannot go with', async () => {
  const calls = countDecodes(ctx);
  await engine.describe({ codes }, { maxTokens: 8, temperature: 1, seed: 2 });
  assert.ok(calls.length > 0 && calls.every((rows) => rows === 1));
  for (const bad of [{ beams: 4, temperature: 1 }, { beams: 2, cfg: 2 }, { beams: 0 }, { beams: 1.5 }]) {
    await assert.rejects(engine.describe({ codes }, { maxTokens: 8, ...bad }).then(String), (e: unknown) => e instanceof EngineError && e.code === 'bad-input', JSON.stringify(bad));
  }
});
