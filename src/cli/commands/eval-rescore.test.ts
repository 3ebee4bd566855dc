// eval-rescore through the real CLI binary: what it refuses, and a vq reference's report re-scored end to end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/tessera.js', import.meta.url));
const tessera = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

test('eval-rescore refuses a missing folder, a file that is no report, and a report without codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-rescore-'));
  try {
    assert.match(tessera(['eval-rescore']).stderr, /give one report folder/);
    assert.match(tessera(['eval-rescore', join(dir, 'nowhere')]).stderr, /cannot read .*nowhere\/report\.json: give a folder that tessera eval wrote/);
    assert.match(tessera(['eval-rescore', dir]).stderr, /holds no report\.json, nor folders that do/);
    writeFileSync(join(dir, 'report.json'), '{"suites": ');
    assert.match(tessera(['eval-rescore', dir]).stderr, /is not JSON/);
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ bench: 'other', suites: [] }));
    assert.match(tessera(['eval-rescore', dir]).stderr, /is not a World-bench report/);
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ bench: 'world-bench', suites: [{ name: 'geneval', cases: [{ id: 'geneval/single/0', score: 1 }] }] }));
    const old = tessera(['eval-rescore', dir]);
    assert.equal(old.status, 2);
    assert.match(old.stderr, /no case of .* kept its image's codes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a vq reference's report, re-scored by the same verifier, scores the same; a folder of reports is re-scored report by report", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-rescore-'));
  try {
    const first = join(dir, 'sweep', 'seed-1');
    const run = tessera(['eval', '--suite', 'geneval', '--model', 'vq', '--bank', 'test', '--limit', '2', '--out', first]);
    assert.equal(run.status, 0, run.stderr);
    const again = tessera(['eval-rescore', first, '--bank', 'test']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /re-scored 2 cases from their codes, 0 kept their scores/);
    const [before, after] = [first, `${first}-rescored`].map((d) => JSON.parse(readFileSync(join(d, 'report.json'), 'utf8')));
    assert.deepEqual(after.suites[0].cases.map((c: { score: number }) => c.score), before.suites[0].cases.map((c: { score: number }) => c.score));
    assert.equal(after.rescoredFrom, first);
    rmSync(`${first}-rescored`, { recursive: true });
    const sweep = tessera(['eval-rescore', join(dir, 'sweep'), '--bank', 'test', '--out', join(dir, 'new')]);
    assert.equal(sweep.status, 0, sweep.stderr);
    assert.equal(JSON.parse(readFileSync(join(dir, 'new', 'seed-1', 'report.json'), 'utf8')).rescoredFrom, first);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
