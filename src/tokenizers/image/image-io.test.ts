import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { ImageTokenizerError } from './errors.ts';
import { encodeImage, readImage, writeImage } from './image-io.ts';
import { psnr, type RawImage } from './raw-image.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-image-io-'));

function solid(width: number, height: number, rgb: [number, number, number]): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { width, height, channels: 3, data };
}

test('a 128x128 PNG comes back unchanged', async () => {
  const image = solid(128, 128, [10, 200, 30]);
  image.data[5] = 99;
  const back = await readImage(await encodeImage(image));
  assert.deepEqual(back, image);
});

test('other sizes are letterboxed onto white', async () => {
  const wide = await sharp({ create: { width: 200, height: 100, channels: 3, background: { r: 255, g: 0, b: 0 } } }).jpeg().toBuffer();
  const image = await readImage(wide);
  assert.equal(image.width, 128);
  assert.equal(image.height, 128);
  const px = (x: number, y: number) => [...image.data.subarray((y * 128 + x) * 3, (y * 128 + x) * 3 + 3)];
  assert.deepEqual(px(64, 5), [255, 255, 255]); // band above
  assert.deepEqual(px(64, 122), [255, 255, 255]); // band below
  const [r, g, b] = px(64, 64);
  assert.ok(r > 240 && g < 15 && b < 15, `centre is red, got ${[r, g, b]}`);
});

test('transparency is composited onto white; WebP and RGBA work', async () => {
  const clear = await sharp({ create: { width: 128, height: 128, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).webp({ lossless: true }).toBuffer();
  const image = await readImage(clear);
  assert.ok(image.data.every((v) => v === 255));
  const path = join(dir, 'out.webp');
  await writeImage({ width: 128, height: 128, channels: 4, data: new Uint8Array(128 * 128 * 4).fill(255) }, path);
  assert.equal((await sharp(path).metadata()).format, 'webp');
});

test('corrupt or missing input is an ImageTokenizerError, not a crash', async () => {
  const bad = join(dir, 'bad.png');
  writeFileSync(bad, 'this is not a png');
  await assert.rejects(readImage(bad), (e: unknown) => e instanceof ImageTokenizerError && /not a readable PNG, JPEG or WebP/.test(e.message));
  await assert.rejects(readImage(join(dir, 'missing.png')), /no such file/);
  await assert.rejects(readImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47])), ImageTokenizerError);
});

test('psnr', () => {
  const a = solid(4, 4, [100, 100, 100]);
  assert.equal(psnr(a, a), Infinity);
  const b = solid(4, 4, [110, 100, 100]); // mse = 100/3 -> 10 log10(65025 * 3 / 100)
  assert.ok(Math.abs(psnr(a, b) - 10 * Math.log10((65025 * 3) / 100)) < 1e-4); // float32 pixels
  assert.throws(() => psnr(a, solid(2, 2, [0, 0, 0])), ImageTokenizerError);
});
