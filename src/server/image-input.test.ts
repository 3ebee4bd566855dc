import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { readImageInput } from './image-input.ts';

const solid = (width: number, height: number, format: 'png' | 'jpeg', alpha = 1) =>
  sharp({ create: { width, height, channels: 4, background: { r: 200, g: 0, b: 0, alpha } } }).toFormat(format).toBuffer();

test('sources are letterboxed onto white at the model size', async () => {
  const image = await readImageInput(await solid(200, 100, 'png'), { kind: 'image', size: 128, maxPixels: 1e6 });
  assert.deepEqual([image.width, image.height, image.data.length], [128, 128, 128 * 128 * 4]);
  const px = (x: number, y: number) => Array.from(image.data.subarray((y * 128 + x) * 4, (y * 128 + x) * 4 + 4));
  assert.deepEqual(px(64, 2), [255, 255, 255, 255]); // band above
  assert.deepEqual(px(64, 64), [200, 0, 0, 255]);
});

test('masks keep alpha 0 exact and pad with "keep"', async () => {
  const mask = await readImageInput(await solid(256, 128, 'png', 0), { kind: 'mask', size: 128, maxPixels: 1e6 });
  const alpha = (x: number, y: number) => mask.data[(y * 128 + x) * 4 + 3];
  assert.deepEqual([alpha(64, 64), alpha(0, 32), alpha(64, 10)], [0, 0, 255]);
});

test('refused: oversized by header, not an image, JPEG or alpha-less masks', async () => {
  const options = { kind: 'image' as const, size: 128, maxPixels: 100 * 100 };
  await assert.rejects(readImageInput(await solid(101, 100, 'png'), options), { code: 'bad-input', message: /101x100 \(10100 pixels\); the limit is 10000 pixels/ });
  await assert.rejects(readImageInput(new TextEncoder().encode('GIF89a nonsense'), options), { code: 'bad-input', message: /not a readable PNG, JPEG or WebP/ });
  const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } }).gif().toBuffer();
  await assert.rejects(readImageInput(gif, options), { message: /is gif; send PNG, JPEG or WebP/ });
  await assert.rejects(readImageInput(await solid(8, 8, 'jpeg'), { ...options, kind: 'mask' }), { message: /must be a PNG/ });
  const opaque = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } }).png().toBuffer();
  await assert.rejects(readImageInput(opaque, { ...options, kind: 'mask', name: 'm.png' }), { message: /^m\.png has no alpha channel/ });
});

test('a truncated PNG fails at decode with a clear message', async () => {
  const png = await solid(64, 64, 'png');
  await assert.rejects(readImageInput(png.subarray(0, 60), { kind: 'image', size: 128, maxPixels: 1e6 }), { code: 'bad-input', message: /image (is not a readable|cannot be decoded)/ });
});
