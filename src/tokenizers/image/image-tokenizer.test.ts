// Golden parity: the committed tiny VQ (fixtures/, made by `python -m tessera_trainer.vq fixture`)
// must give exactly PyTorch's codes and, within one 8-bit level, PyTorch's pixels.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ImageTokenizer } from './image-tokenizer.ts';
import { ImageTokenizerError } from './errors.ts';
import { readImage } from './image-io.ts';
import type { RawImage } from './raw-image.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures', import.meta.url));
const expected = JSON.parse(readFileSync(`${FIXTURE}/expected.json`, 'utf8')) as {
  inputs: string[];
  decoded: string[];
  codes: number[][];
  blank_code: number;
};

function maxChannelDiff(rgba: RawImage, rgb: RawImage): number {
  let max = 0;
  for (let i = 0; i < rgb.width * rgb.height; i++) {
    for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs(rgba.data[i * 4 + c] - rgb.data[i * 3 + c]));
  }
  return max;
}

for (const runtime of ['node', 'web'] as const) {
  test(`${runtime} runtime: codes identical to PyTorch, pixels within one level`, async () => {
    const tokenizer = await ImageTokenizer.load(FIXTURE, { runtime });
    const images = await Promise.all(expected.inputs.map((f) => readImage(`${FIXTURE}/${f}`)));
    const batch = await tokenizer.encode(images);
    for (let i = 0; i < images.length; i++) {
      assert.deepEqual([...batch[i]], expected.codes[i], `image ${i}`);
      assert.deepEqual([...(await tokenizer.encode(images[i]))], expected.codes[i], `image ${i} alone`);
    }
    const decoded = await tokenizer.decode(expected.codes);
    for (let i = 0; i < decoded.length; i++) {
      const reference = await readImage(`${FIXTURE}/${expected.decoded[i]}`);
      assert.equal(decoded[i].channels, 4);
      assert.ok(maxChannelDiff(decoded[i], reference) <= 1, `decoded ${i} differs from PyTorch by more than 1/255`);
    }
    await tokenizer.release();
  });
}

test('decodePartial: known rows as decoded, the rest white', async () => {
  const tokenizer = await ImageTokenizer.load(FIXTURE);
  const codes = Int32Array.from(expected.codes[1]);
  const rows = 5;
  const preview = await tokenizer.decodePartial(codes.subarray(0, rows * 16));
  const filled = Int32Array.from(codes).fill(expected.blank_code, rows * 16);
  const reference = await tokenizer.decode(filled);
  const cut = rows * 8 * 128 * 4;
  assert.deepEqual(preview.data.subarray(0, cut), reference.data.subarray(0, cut));
  assert.ok(preview.data.subarray(cut).every((v) => v === 255));
  // rowsKnown given explicitly, with the whole grid present: the same picture
  assert.deepEqual((await tokenizer.decodePartial(codes, rows)).data, preview.data);
  assert.ok((await tokenizer.decodePartial([], 0)).data.every((v) => v === 255));
  assert.deepEqual((await tokenizer.decodePartial(codes)).data, (await tokenizer.decode(codes)).data);
  await tokenizer.release();
});

test('batches: one decoder run gives the same pixels as one call per grid', async () => {
  const tokenizer = await ImageTokenizer.load(FIXTURE, { threads: 1 });
  const grids = [...expected.codes, expected.codes[0].map((c, i) => (c + i) % 64)].map((c) => Int32Array.from(c));
  const batch = await tokenizer.decode(grids);
  for (const [i, grid] of grids.entries()) assert.deepEqual(batch[i].data, (await tokenizer.decode(grid)).data, `decode ${i}`);
  for (const rows of [0, 3, 16]) {
    const previews = await tokenizer.decodePartial(grids, rows);
    assert.equal(previews.length, grids.length);
    for (const [i, grid] of grids.entries()) assert.deepEqual(previews[i].data, (await tokenizer.decodePartial(grid, rows)).data, `rows ${rows}, grid ${i}`);
  }
  assert.deepEqual((await tokenizer.decodePartial(grids, 16))[1].data, batch[1].data); // every row known: the full decode
  await tokenizer.release();
});

test('bad codes and images are ImageTokenizerErrors', async () => {
  const tokenizer = await ImageTokenizer.load(FIXTURE);
  await assert.rejects(tokenizer.decode(new Int32Array(255)), ImageTokenizerError);
  await assert.rejects(tokenizer.decode(new Int32Array(256).fill(tokenizer.codebookSize)), /outside \[0, 64\)/);
  await assert.rejects(tokenizer.decode([...new Array(255).fill(0), 1.5]), ImageTokenizerError);
  await assert.rejects(tokenizer.decodePartial(new Int32Array(20), 2), /2 known rows need 32 codes/);
  const small: RawImage = { width: 64, height: 64, channels: 3, data: new Uint8Array(64 * 64 * 3) };
  await assert.rejects(tokenizer.encode(small), /readImage letterboxes/);
  await assert.rejects(tokenizer.encode({ ...small, data: new Uint8Array(5) }), ImageTokenizerError);
  await assert.rejects(ImageTokenizer.load('/nonexistent/vq'), /no VQ model in \/nonexistent\/vq/);
  await tokenizer.release();
});

test('the shipped VQ (models/vq) loads, and a white page encodes to its blank code', async () => {
  // config.json is parsed strictly: a key the trainer's export adds and this schema lacks would stop
  // every command that draws (session 12's decoder_steps did, until the schema learned it).
  const tokenizer = await ImageTokenizer.load(undefined, { threads: 1 });
  const white: RawImage = { width: 128, height: 128, channels: 3, data: new Uint8Array(128 * 128 * 3).fill(255) };
  const codes = await tokenizer.encode(white);
  assert.equal(codes.length, 256);
  // away from the border (the encoder's zero padding tints two corners of this one)
  const interior = [...codes].filter((_, i) => i % 16 > 0 && i % 16 < 15 && i >= 16 && i < 240);
  assert.ok(interior.every((c) => c === tokenizer.config.blank_code), `codes ${[...new Set(interior)]}`);
  const [decoded] = await tokenizer.decode([codes]);
  assert.equal(decoded.width, 128);
});
