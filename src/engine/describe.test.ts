import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatTask } from './chat.ts';
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

test('chat reads earlier images and text, and returns what the reply holds', async () => {
  const reply = await engine.chat(
    [
      { role: 'user', content: 'draw a cat' },
      { role: 'assistant', content: [{ image: { codes } }] },
      { role: 'user', content: 'now a dog beside it' },
    ],
    { reply: 'image', seed: 1, previewEvery: 0 },
  );
  assert.equal(reply.images.length, 1);
  assert.equal(reply.images[0].codes.length, 256);
  assert.ok(reply.images[0].rgba);
  const text = await engine.chat([{ role: 'user', content: [{ image: { codes } }, { text: 'what is this?' }] }], { reply: 'text', maxTokens: 8 });
  assert.equal(text.images.length, 0);
  await assert.rejects(engine.chat([{ role: 'assistant', content: 'hi' }]).then(), { code: 'bad-input' });
});

test('the chat task follows the conversation', () => {
  assert.equal(chatTask([{ role: 'user', content: 'a cat' }], 'any'), 't2i');
  assert.equal(chatTask([{ role: 'user', content: [{ image: { codes } }, { text: 'red' }] }], 'any'), 'edit');
  assert.equal(chatTask([{ role: 'user', content: [{ image: { codes } }] }], 'text'), 'i2t');
  assert.equal(chatTask([{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }], 'any'), 'multiturn');
});
