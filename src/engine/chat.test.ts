import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEXT_REPLY_BEAMS } from './beam-search.ts';
import { DESCRIBE_QUESTION } from './best-of-n.ts';
import { chatTask } from './chat.ts';
import { Engine } from './engine.ts';
import { EngineError } from './errors.ts';
import type { ChatEvent, RgbaImage } from './events.ts';
import { BlockCodec, collect, countDecodes, tinyContext } from './test-support.ts';

const codec = new BlockCodec();
const ctx = await tinyContext(codec);
const engine = new Engine(ctx);
const codes = Uint16Array.from({ length: 256 }, (_, i) => i % 256);

/** The block codec, answering each preview only after `delay` ms (a worker busy elsewhere). */
class LateCodec extends BlockCodec {
  constructor(private readonly delay: number) {
    super();
  }

  override async decodePartial(codes: ArrayLike<number>, rows: number): Promise<RgbaImage> {
    const image = await super.decodePartial(Array.from(codes), rows); // read now, as a worker copies on send
    await new Promise((resolve) => setTimeout(resolve, this.delay));
    return image;
  }
}

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

test('an image reply streams a partial per grid row with its preview, in order; the whole grid\'s preview is the image', async () => {
  const ask = (e: Engine) => collect(e.chat([{ role: 'user', content: 'draw a cat' }], { reply: 'image', seed: 2 }));
  const events: ChatEvent[] = await ask(engine);
  const partials = events.flatMap((e) => (e.type === 'partial' ? [e] : []));
  assert.deepEqual(partials.map((p) => p.rows), Array.from({ length: 16 }, (_, i) => i + 1));
  assert.ok(partials.every((p) => p.image?.width === 128 && p.codes.length === p.rows * 16));
  const at = (type: ChatEvent['type']) => events.findIndex((e) => e.type === type);
  assert.ok(events.indexOf(partials[15]) < at('image') && at('image') < at('done'));
  const [image] = events.flatMap((e) => (e.type === 'image' ? [e] : []));
  assert.deepEqual(image.rgba, partials[15].image);
  assert.notEqual(image.rgba!.data, partials[15].image!.data); // a copy: the event and the result share no pixels
  // previews that answer late, several steps on, leave the same events in the same order
  assert.deepEqual(await ask(new Engine(await tinyContext(new LateCodec(10)))), events);
});

test('a greedy text reply searches TEXT_REPLY_BEAMS hypotheses, as describe does, and leaves as one text event', async () => {
  const ask = [{ role: 'user' as const, content: [{ image: { codes } }, { text: DESCRIBE_QUESTION }] }];
  const calls = countDecodes(ctx);
  const events = await collect(engine.chat(ask, { reply: 'text', maxTokens: 12 }));
  assert.ok(calls.length > 0 && calls.every((rows) => rows === TEXT_REPLY_BEAMS), calls.join(','));
  const texts = events.flatMap((e) => (e.type === 'text' ? [e.text] : []));
  assert.ok(texts.length <= 1, `${texts.length} text events`);
  assert.equal(events.filter((e) => e.type === 'progress').length, 1);
  const done = events.at(-1)!;
  assert.ok(done.type === 'done' && done.text === texts.join('') && done.images.length === 0);
  // The same i2t episode as describe's: the same search, the same reply.
  assert.equal(done.text, await engine.describe({ codes }, { maxTokens: 12 }));
  // One beam decodes token by token (in Jacobi windows, which countDecodes does not see), a progress event a token.
  calls.length = 0;
  const streamed = await collect(engine.chat(ask, { reply: 'text', maxTokens: 12, beams: 1 }));
  assert.ok(streamed.filter((e) => e.type === 'progress').length > 1);
  assert.ok(calls.every((rows) => rows === 1), calls.join(','));
});

test('beams are for greedy text replies only, refused before the image is encoded', async () => {
  const pixels = await codec.decode(codes);
  const ask = [{ role: 'user' as const, content: [{ image: pixels }, { text: 'what is this?' }] }];
  const encodes = codec.calls.encode;
  for (const bad of [{ reply: 'image' as const, beams: 2 }, { reply: 'any' as const, beams: 4 }, { reply: 'text' as const, beams: 2, temperature: 1 }, { reply: 'text' as const, beams: 0 }]) {
    await assert.rejects(engine.chat(ask, { maxTokens: 8, ...bad }).then(String), (e: unknown) => e instanceof EngineError && e.code === 'bad-input', JSON.stringify(bad));
  }
  assert.equal(codec.calls.encode, encodes);
  await engine.chat(ask, { reply: 'text', maxTokens: 4 });
  assert.equal(codec.calls.encode, encodes + 1, 'the image is encoded once the settings pass');
});
