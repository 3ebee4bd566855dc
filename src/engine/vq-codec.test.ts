/**
 * The engine's adapter over the real image tokenizer, on its committed tiny VQ fixture
 * (src/tokenizers/image/fixtures: 64 codes). That VQ does not fit the tiny LM's 256 codes, which
 * load() must refuse with a clear error.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { load } from './engine.ts';
import { imageCodes } from './image-input.ts';
import { asciiTokenizer, TINY_DIR } from './test-support.ts';
import { ImageTokenizer } from '../tokenizers/image/index.ts';
import { vqCodec } from './vq-codec.ts';

const VQ_DIR = fileURLToPath(new URL('../tokenizers/image/fixtures', import.meta.url));
const expected = JSON.parse(readFileSync(`${VQ_DIR}/expected.json`, 'utf8')) as { codes: number[][] };

test('image files, pixels of any size and codes all become the VQ\'s codes', async () => {
  const codec = vqCodec(await ImageTokenizer.load(VQ_DIR, { threads: 1 }));
  assert.equal(codec.codebookSize, 64);
  const png = readFileSync(`${VQ_DIR}/input-0.png`);
  const fromFile = await imageCodes(new Uint8Array(png), codec, 256, 64);
  assert.deepEqual([...fromFile], expected.codes[0]);
  const pixels = await codec.decode(fromFile);
  assert.deepEqual([pixels.width, pixels.height, pixels.data.length], [128, 128, 128 * 128 * 4]);
  assert.equal((await codec.encode(pixels)).length, 256);
  const small = { width: 64, height: 32, data: new Uint8Array(64 * 32 * 4).fill(255) }; // letterboxed onto white
  assert.equal((await codec.encode(small)).length, 256);
  const preview = await codec.decodePartial!(fromFile, 2);
  assert.equal(preview.data[(20 * 128) * 4 + 3], 255); // rows past the known ones are opaque white
  assert.deepEqual([...preview.data.subarray(100 * 128 * 4, 100 * 128 * 4 + 4)], [255, 255, 255, 255]);
});

test('load refuses a VQ whose codebook does not match the model', async () => {
  await assert.rejects(load(TINY_DIR, { tokenizer: asciiTokenizer, vq: VQ_DIR }), { name: 'EngineError', code: 'corrupt-file', message: /64 codes; the model's vocabulary has 256/ });
  await assert.rejects(load(TINY_DIR, { tokenizer: asciiTokenizer, vq: '/nonexistent-vq' }), { code: 'missing-file' });
});
