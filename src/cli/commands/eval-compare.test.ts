// eval-compare through the real CLI binary: the table on two report folders, and its errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/tessera.js', import.meta.url));
const tessera = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

function writeReport(dir: string, passes: boolean[]) {
  mkdirSync(dir, { recursive: true });
  const cases = passes.map((pass, i) => ({ id: `geneval/single-object/${i}`, suite: 'geneval', category: 'geneval/single-object', prompt: `p${i}`, pass, score: Number(pass) }));
  writeFileSync(join(dir, 'report.json'), JSON.stringify({ bench: 'world-bench', version: 1, world: 'starter', seed: 7000, suites: [{ name: 'geneval', cases }] }));
}

test('prints the paired table of two report folders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-eval-compare-'));
  try {
    writeReport(join(dir, 'old'), [true, false, false, false]);
    writeReport(join(dir, 'new'), [true, true, true, false]);
    const run = tessera(['eval-compare', join(dir, 'old'), join(dir, 'new')]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /\| geneval\/single-object \| 4 \| 1 \(25\.0 %\) \| 3 \(75\.0 %\) \| \+2 \/ -0 \| 0\.500 \| 25\.0 → 75\.0 % \|/);
    const missing = tessera(['eval-compare', join(dir, 'old'), join(dir, 'gone')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*gone\/report.json: give a folder that tessera eval wrote/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('needs exactly two sides', () => {
  const run = tessera(['eval-compare', 'out/eval/one']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /give two sides/);
});
