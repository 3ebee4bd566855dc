import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOCKS } from './features.ts';
import { bankKey, buildBank, loadOrBuildBank, type BankOptions } from './reference-bank.ts';
import type { Rgba } from './image.ts';

test('a bank is built once, cached under its key, and reads back the same', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verifier-bank-'));
  try {
    const options: BankOptions = { vocabulary: 'core', concepts: ['cat-face'], grids: [4], darkGrids: [], accessoryGrids: [], twoToneGrids: [4], blurred: false, cacheDir: dir };
    const built = await loadOrBuildBank(options);
    assert.deepEqual(readdirSync(dir), [`${bankKey(options)}.bin`]);
    // Every style draws the cat in its own colors, gray, two-tone and with its lighter half white; plus every shape and word.
    assert.equal(built.refs.filter((r) => r.kind === 'emoji').length, 20);
    assert.equal(built.refs.filter((r) => r.paint === 'dark-half').length, 5);
    assert.ok(built.refs.some((r) => r.kind === 'text' && r.label === 'OpenAI'));
    const read = await loadOrBuildBank(options);
    assert.deepEqual(read.refs, built.refs);
    for (const b of BLOCKS) {
      assert.deepEqual(read.blocks[b].rows, built.blocks[b].rows, b);
      assert.deepEqual(read.blocks[b].scales, built.blocks[b].scales, b);
    }
    assert.notEqual(bankKey({ ...options, grids: [2] }), bankKey(options));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a codec bank draws every reference scene through the codec, and its key names the codec", async () => {
  const options: BankOptions = { vocabulary: 'core', concepts: ['cat-face'], grids: [4], darkGrids: [], accessoryGrids: [], twoToneGrids: [], blurred: true, cacheDir: null };
  const seen: number[] = [];
  // A codec that blanks the image: every reference it draws must then read as blank.
  const blank = { key: 'blank-1', roundTrip: (image: Rgba) => (seen.push(image.width), { ...image, data: new Uint8ClampedArray(image.data.length).fill(255) }) };
  const halved = await buildBank(options);
  const coded = await buildBank({ ...options, codec: blank });
  assert.equal(coded.refs.length, halved.refs.length);
  assert.equal(seen.length, Math.ceil(halved.refs.length / 16), 'one round trip per 4×4 scene of references');
  assert.ok(seen.every((w) => w === 128));
  assert.ok(coded.refs.every((r) => r.side === coded.refs[0].side), 'a blank crop has no size of its own');
  assert.ok(!halved.refs.every((r) => r.side === halved.refs[0].side));
  assert.notEqual(bankKey({ ...options, codec: blank }), bankKey(options));
  assert.notEqual(bankKey({ ...options, codec: blank }), bankKey({ ...options, codec: { ...blank, key: 'blank-2' } }));
  // The codec is for blurred banks only: a sharp bank ignores it.
  assert.equal(bankKey({ ...options, blurred: false, codec: blank }), bankKey({ ...options, blurred: false }));
});
