import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOCKS } from './features.ts';
import { bankKey, loadOrBuildBank, type BankOptions } from './reference-bank.ts';

test('a bank is built once, cached under its key, and reads back the same', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verifier-bank-'));
  try {
    const options: BankOptions = { vocabulary: 'core', concepts: ['cat-face'], grids: [4], darkGrids: [], accessoryGrids: [], twoToneGrids: [4], blurred: false, cacheDir: dir };
    const built = await loadOrBuildBank(options);
    assert.deepEqual(readdirSync(dir), [`${bankKey(options)}.bin`]);
    // Every style draws the cat in its own colors, gray and two-tone; plus every shape and word.
    assert.equal(built.refs.filter((r) => r.kind === 'emoji').length, 15);
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
