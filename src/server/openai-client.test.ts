// End to end: the server on an ephemeral loopback port with the tiny engine, driven by the official
// openai client, as an application would use it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { startTestServer, tinyModel } from './test-support.ts';

const API_KEY = 'sk-test-key';
const { model } = await tinyModel();
const server = await startTestServer({ model, apiKey: API_KEY, limits: { maxBodyBytes: 200_000, maxQueue: 4 } });
after(() => server.close());
const client = new OpenAI({ apiKey: API_KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });

/** A 128 px image of flat 8x8 gray blocks: the block codec reads it back exactly. */
const blocks = Uint16Array.from({ length: 256 }, (_, i) => (i * 37) % 256);
async function blockPng(): Promise<Buffer> {
  const rgb = Buffer.alloc(128 * 128 * 3);
  for (let y = 0; y < 128; y++) for (let x = 0; x < 128; x++) rgb.fill(blocks[(y >> 3) * 16 + (x >> 3)], (y * 128 + x) * 3, (y * 128 + x) * 3 + 3);
  return sharp(rgb, { raw: { width: 128, height: 128, channels: 3 } }).png().toBuffer();
}

/** Red channel of each 8x8 block's top-left pixel. */
async function blockValues(b64: string): Promise<number[]> {
  const { data, info } = await sharp(Buffer.from(b64, 'base64')).raw().toBuffer({ resolveWithObject: true });
  return Array.from({ length: 256 }, (_, i) => data[((Math.floor(i / 16) * 8) * 128 + (i % 16) * 8) * info.channels]);
}

async function rejectsWith(promise: Promise<unknown>, status: number, pattern: RegExp, param?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof OpenAI.APIError, String(error));
    assert.equal(error.status, status);
    assert.match(error.message, pattern);
    if (param) assert.equal(error.param, param);
    return true;
  });
}

test('generate: n images as PNG, with the OpenAI response fields and usage', async () => {
  const response = await client.images.generate({ prompt: 'a red fox', n: 2, size: '128x128' as never, quality: 'low' });
  assert.equal(response.data?.length, 2);
  for (const image of response.data!) {
    const meta = await sharp(Buffer.from(image.b64_json!, 'base64')).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 128, 128]);
  }
  assert.equal(response.size as string, '128x128');
  assert.deepEqual([response.quality, response.background, response.output_format], ['low', 'opaque', 'png']);
  assert.deepEqual(response.usage, { input_tokens: 9, output_tokens: 512, total_tokens: 521, input_tokens_details: { text_tokens: 9, image_tokens: 0 } });
  assert.ok(Math.abs(response.created - Date.now() / 1000) < 60);
});

test('generate: jpeg and webp output formats, quality auto as medium', async () => {
  const jpeg = await client.images.generate({ prompt: 'two stars', output_format: 'jpeg', output_compression: 50, model: 'tessera' });
  assert.equal((await sharp(Buffer.from(jpeg.data![0].b64_json!, 'base64')).metadata()).format, 'jpeg');
  assert.equal(jpeg.quality, 'medium');
  assert.equal(jpeg.usage?.output_tokens, 512); // 2 candidates for 1 image
  const webp = await client.images.generate({ prompt: 'two stars', output_format: 'webp', quality: 'low', model: 'tessera-tiny' });
  assert.equal((await sharp(Buffer.from(webp.data![0].b64_json!, 'base64')).metadata()).format, 'webp');
});

test('edit with a mask: only the transparent region of the mask changes', async () => {
  const rgba = Buffer.alloc(128 * 128 * 4, 255);
  for (let y = 32; y < 64; y++) for (let x = 32; x < 96; x++) rgba[(y * 128 + x) * 4 + 3] = 0; // rows 4-7, cols 4-11
  const mask = await sharp(rgba, { raw: { width: 128, height: 128, channels: 4 } }).png().toBuffer();
  const response = await client.images.edit({
    image: await toFile(await blockPng(), 'in.png', { type: 'image/png' }),
    mask: await toFile(mask, 'mask.png', { type: 'image/png' }),
    prompt: 'make it red',
    quality: 'low',
  });
  const values = await blockValues(response.data![0].b64_json!);
  let changed = 0;
  values.forEach((v, i) => {
    const [row, col] = [Math.floor(i / 16), i % 16];
    if (row >= 4 && row < 8 && col >= 4 && col < 12) changed += v !== blocks[i] ? 1 : 0;
    else assert.equal(v, blocks[i], `block ${i} outside the mask changed`);
  });
  assert.ok(changed > 0, 'the masked region was regenerated');
  assert.equal(response.usage?.input_tokens_details.image_tokens, 256);
});

test('stream: partial images, then the completed image, in the openai package shapes', async () => {
  const stream = await client.images.generate({ prompt: 'a blue star', stream: true, partial_images: 2, quality: 'low' });
  const events = [];
  for await (const event of stream) events.push(event);
  assert.deepEqual(events.map((e) => e.type), ['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed']);
  const [first, second, done] = events;
  assert.ok(first.type === 'image_generation.partial_image' && second.type === 'image_generation.partial_image');
  assert.deepEqual([first.partial_image_index, second.partial_image_index], [0, 1]);
  assert.deepEqual(Object.keys(first).sort(), ['b64_json', 'background', 'created_at', 'output_format', 'partial_image_index', 'quality', 'size', 'type']);
  assert.deepEqual(Object.keys(done).sort(), ['b64_json', 'background', 'created_at', 'output_format', 'quality', 'size', 'type', 'usage']);
  assert.ok(done.type === 'image_generation.completed' && done.usage.output_tokens === 256);
  // The first preview shows 5 of 16 rows; below them the block codec paints black.
  const preview = await blockValues(first.b64_json);
  assert.ok(preview.slice(5 * 16).every((v) => v === 0));
});

test('edit stream: image[] in, image_edit events out', async () => {
  // An array goes out as image[] (one entry: Tessera edits one image per request).
  const stream = await client.images.edit({ image: [await toFile(await blockPng(), 'in.png')], prompt: 'flip it', stream: true, partial_images: 1, quality: 'low' });
  const types = [];
  for await (const event of stream) types.push(event.type);
  assert.deepEqual(types, ['image_edit.partial_image', 'image_edit.completed']);
});

test('models: list and retrieve', async () => {
  const list = await client.models.list();
  assert.deepEqual(list.data.map((m) => m.id), ['tessera-tiny']);
  assert.equal((await client.models.retrieve('tessera')).id, 'tessera-tiny');
  await rejectsWith(client.models.retrieve('gpt-image-1'), 404, /does not exist/);
});

test('invalid requests: 400 naming the parameter', async () => {
  await rejectsWith(client.images.generate({ prompt: 'x', colour: 'red' } as never), 400, /Unknown parameter: 'colour'/, 'colour');
  await rejectsWith(client.images.generate({ prompt: 'x', n: 11 }), 400, /'n': expected an integer from 1 to 10, got 11/, 'n');
  await rejectsWith(client.images.generate({ prompt: 'x', size: '1024x1024' }), 400, /paints 128x128 images only/, 'size');
  await rejectsWith(client.images.generate({ prompt: 'x', background: 'transparent' }), 400, /always opaque/, 'background');
  await rejectsWith(client.images.generate({ prompt: 'x', response_format: 'url' }), 400, /b64_json/, 'response_format');
  await rejectsWith(client.images.generate({ prompt: 'x', model: 'dall-e-3' }), 400, /not served here/, 'model');
  await rejectsWith(client.images.generate({ prompt: '' }), 400, /'prompt'/, 'prompt');
  await rejectsWith(client.images.edit({ image: await toFile(Buffer.from('\x89PNG\r\n\x1a\nnot really'), 'bad.png'), prompt: 'x' }), 400, /Invalid image/, 'image');
  await rejectsWith(client.images.edit({ image: await toFile(await blockPng(), 'in.png'), mask: await toFile(await blockPng(), 'm.png'), prompt: 'x' }), 400, /no alpha channel/, 'mask');
});

test('auth: a missing or wrong API key is 401', async () => {
  const response = await fetch(`${server.url}/v1/models`);
  assert.equal(response.status, 401);
  assert.deepEqual(await response.json(), { error: { message: "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.", type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
  const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${server.url}/v1`, maxRetries: 0 });
  await rejectsWith(wrong.images.generate({ prompt: 'x' }), 401, /Incorrect API key/);
});

test('an oversized body is 413 before it is parsed', async () => {
  await rejectsWith(client.images.generate({ prompt: 'x'.repeat(300_000) }), 413, /larger than this server accepts/);
});
