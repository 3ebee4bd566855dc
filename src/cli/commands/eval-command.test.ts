// The eval command's argument errors, through the real CLI binary (the smoke run itself is tested
// in src/eval/run/run-suite.test.ts, without a second build of the verifier's bank).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

test('eval --help lists its flags', () => {
  const run = tessera(['eval', '--help']);
  assert.equal(run.status, 0);
  for (const flag of ['--suite', '--model', '--out', '--limit', '--seed', '--cfg', '--temperature', '--top-k', '--top-p']) assert.ok(run.stdout.includes(flag), flag);
});
