// The eval command through the real CLI binary: argument errors, and which references the vq subject
// is read with (the smoke run itself is tested in src/eval/run/run-suite.test.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/tessera.js', import.meta.url));
const tessera = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

test('an unknown suite is an error that names the closest suite', () => {
  const run = tessera(['eval', '--suite', 'genevl', '--model', 'groundtruth']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /unknown suite "genevl"; did you mean "geneval"/);
});

test('a bad --limit or --bank is refused before anything loads', () => {
  assert.match(tessera(['eval', '--limit', '0']).stderr, /--limit must be a positive integer/);
  assert.match(tessera(['eval', '--bank', 'tiny']).stderr, /--bank must be one of full, test/);
});

test('bad sampling settings, or settings for a reference, are refused before anything loads', () => {
  assert.match(tessera(['eval', '--cfg', '-1']).stderr, /cfg must be >= 0/);
  assert.match(tessera(['eval', '--top-p', '0']).stderr, /topP must be in \(0, 1\]/);
  const reference = tessera(['eval', '--model', 'groundtruth', '--temperature', '0.5']);
  assert.equal(reference.status, 2);
  assert.match(reference.stderr, /sampling settings apply to a model, not to the groundtruth reference/);
});

test('an unknown --world is an error that lists the worlds', () => {
  const run = tessera(['eval', '--world', 'stage-9']);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /unknown world "stage-9" \(worlds: full, stage-1, starter, starter-2, starter-3, starter-free, tokenizer\)/);
});

test('an unknown --placement is refused, naming the placements', () => {
  const run = tessera(['eval', '--placement', 'aligned']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--placement must be one of free, grid, got "aligned"/);
});

test('--best-of must be 1 to 16, and applies to a model only', () => {
  for (const bad of ['0', '2.5', '17']) assert.match(tessera(['eval', '--best-of', bad]).stderr, /--best-of must be an integer from 1 to 16/, bad);
  const reference = tessera(['eval', '--model', 'vq', '--best-of', '4']);
  assert.equal(reference.status, 2);
  assert.match(reference.stderr, /sampling settings apply to a model, not to the vq reference/);
});

test('eval --help lists its flags', () => {
  const run = tessera(['eval', '--help']);
  assert.equal(run.status, 0);
  for (const flag of ['--suite', '--model', '--out', '--limit', '--seed', '--cfg', '--temperature', '--top-k', '--top-p', '--best-of', '--world']) assert.ok(run.stdout.includes(flag), flag);
});

test('the vq reference is read with references drawn through that VQ', () => {
  const out = mkdtempSync(join(tmpdir(), 'tessera-eval-vq-'));
  try {
    const run = tessera(['eval', '--suite', 'geneval', '--model', 'vq', '--bank', 'test', '--limit', '1', '--out', out]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /building the codec reference bank/);
    assert.doesNotMatch(run.stderr, /building the blurred reference bank/);
    assert.ok(existsSync(join(out, 'report.json')));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
