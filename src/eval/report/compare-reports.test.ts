import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareReports, formatComparison, readReports, ReportError, type ComparedReport } from './compare-reports.ts';
import { signTest } from './paired.ts';

/** A report whose cases pass where `passes` has a 1; categories alternate a, b. */
function report(seed: number, passes: string, world = 'starter'): ComparedReport {
  const cases = [...passes].map((bit, i) => ({ id: `geneval/${i}`, category: i % 2 ? 'b' : 'a', prompt: `prompt ${seed}/${i}`, pass: bit === '1', score: Number(bit) }));
  return { world: world as ComparedReport['world'], seed, file: `report-${seed}.json`, suites: [{ name: 'geneval', cases }] };
}

test('counts passes, discordant cases and the sign test overall and per category', () => {
  const c = compareReports([report(1, '110010'), report(2, '0000')], [report(1, '011011'), report(2, '1111')]);
  // seed 1: case 0 first only, cases 2 and 5 second only; seed 2: all four second only
  assert.deepEqual({ ...c.all, p: undefined }, { cases: 10, firstPassed: 3, secondPassed: 8, onlyFirst: 1, onlySecond: 6, p: undefined, firstScore: 0.3, secondScore: 0.8 });
  assert.equal(c.all.p, signTest(1, 6));
  assert.deepEqual(c.categories.map((k) => [k.category, k.cases, k.firstPassed, k.secondPassed, k.onlyFirst, k.onlySecond]), [
    ['a', 5, 2, 4, 1, 3],
    ['b', 5, 1, 4, 0, 3],
  ]);
  assert.deepEqual(c.unpaired, { first: 0, second: 0 });
});

test('pairs cases by world, placement, seed, suite and id; the rest is counted as unpaired', () => {
  const onGrid = { ...report(1, '1111'), placement: 'grid' as const };
  const c = compareReports([report(1, '11'), report(3, '1')], [report(1, '0000'), report(1, '1', 'full'), onGrid]);
  assert.equal(c.all.cases, 2);
  assert.equal(c.all.onlyFirst, 2);
  assert.deepEqual(c.unpaired, { first: 1, second: 7 });
  // A report from before placements was drawn free.
  assert.equal(compareReports([report(1, '11')], [{ ...report(1, '00'), placement: 'free' }]).all.cases, 2);
  assert.throws(() => compareReports([report(1, '11')], [{ ...report(1, '00'), placement: 'grid' }]), /share no case/);
  assert.match(formatComparison(c, { first: 'old', second: 'new' }), /not paired, left out: 1 case\(s\) only the first side has, 7 only the second/);
});

test('refuses sides that share nothing, a case twice on one side, and the same case with another prompt', () => {
  assert.throws(() => compareReports([report(1, '1')], [report(2, '1')]), /share no case/);
  assert.throws(() => compareReports([report(1, '1'), report(1, '0')], [report(1, '1')]), /first side holds case starter\/free\/1\/geneval\/geneval\/0 twice \(report-1.json and report-1.json\)/);
  const reworded = report(1, '1');
  reworded.suites[0].cases[0].prompt = 'another prompt';
  assert.throws(() => compareReports([report(1, '1')], [reworded]), /different prompts/);
});

test('mean scores count partial credit, over the cases both sides score', () => {
  const first = report(1, '000');
  const second = report(1, '000');
  first.suites[0].cases.forEach((c, i) => (c.score = [0.25, 0.5, null][i]));
  second.suites[0].cases.forEach((c, i) => (c.score = [0.75, 1, 0.5][i]));
  const c = compareReports([first], [second]);
  assert.deepEqual([c.all.firstScore, c.all.secondScore], [0.375, 0.875]);
  assert.deepEqual(c.categories.map((k) => [k.category, k.firstScore, k.secondScore]), [['a', 0.25, 0.75], ['b', 0.5, 1]]);
  first.suites[0].cases.forEach((k) => (k.score = null));
  assert.equal(compareReports([first], [second]).all.firstScore, null);
});

test('the table has a row per category and one for all, with both pass rates and mean scores', () => {
  const text = formatComparison(compareReports([report(1, '1100')], [report(1, '1111')]), { first: 'old', second: 'new' });
  assert.match(text, /^first: old\nsecond: new\n/);
  assert.match(text, /\| a \| 2 \| 1 \(50\.0 %\) \| 2 \(100\.0 %\) \| \+1 \/ -0 \| 1\.000 \| 50\.0 → 100\.0 % \|/);
  assert.match(text, /\| \*\*all\*\* \| 4 \| 2 \(50\.0 %\) \| 4 \(100\.0 %\) \| \+2 \/ -0 \| 0\.500 \| 50\.0 → 100\.0 % \|/);
});

test('one-object cases are counted by kind when either side names it, in the order of the kinds', () => {
  const first = report(1, '101111');
  const second = report(1, '111000');
  const kinds = ['emoji in two tones', 'shape, one color', 'emoji in its own colors', undefined, 'emoji in its own colors', 'emoji in two tones'] as const;
  // Only the newer side names kinds (reports before session 23 do not): the same case is the same scene.
  second.suites[0].cases.forEach((c, i) => kinds[i] && (c.objectKind = kinds[i]));
  const c = compareReports([first], [second]);
  assert.deepEqual(c.kinds.map((k) => [k.category, k.kind, k.cases, k.firstPassed, k.secondPassed]), [
    ['a', 'emoji in its own colors', 2, 2, 1],
    ['a', 'emoji in two tones', 1, 1, 1],
    ['b', 'emoji in two tones', 1, 1, 0],
    ['b', 'shape, one color', 1, 0, 1],
  ]);
  const text = formatComparison(c, { first: 'old', second: 'new' });
  assert.match(text, /One-object cases by what they ask for:/);
  assert.match(text, /\| a \| emoji in its own colors \| 2 \| 2 \(100\.0 %\) \| 1 \(50\.0 %\) \| \+0 \/ -1 \|/);
  assert.doesNotMatch(formatComparison(compareReports([first], [first]), { first: 'a', second: 'b' }), /One-object cases/, 'no kinds, no table');
});

test('reads a report folder, a folder of report folders, and refuses what is not a report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-compare-'));
  try {
    for (const seed of [7000, 7100]) {
      mkdirSync(join(dir, 'sweep', `default-${seed}`), { recursive: true });
      writeFileSync(join(dir, 'sweep', `default-${seed}`, 'report.json'), JSON.stringify({ bench: 'world-bench', ...report(seed, '10') }));
    }
    mkdirSync(join(dir, 'sweep', 'notes'));
    assert.deepEqual(readReports(join(dir, 'sweep', 'default-7000')).map((r) => r.seed), [7000]);
    assert.deepEqual(readReports(join(dir, 'sweep')).map((r) => r.seed), [7000, 7100]);
    assert.throws(() => readReports(join(dir, 'sweep', 'notes')), /holds no report.json, nor folders that do/);
    assert.throws(() => readReports(join(dir, 'missing')), (e) => e instanceof ReportError && /cannot read .*missing\/report.json/.test(e.message));
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ bench: 'something-else', suites: [] }));
    assert.throws(() => readReports(join(dir, 'other.json')), /is not a World-bench report/);
    writeFileSync(join(dir, 'broken.json'), '{');
    assert.throws(() => readReports(join(dir, 'broken.json')), /is not JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
