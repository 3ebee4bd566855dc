import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparePaired, countPairs, signTest } from './paired.ts';

test('the sign test is exact: both tails of a fair coin', () => {
  assert.equal(signTest(0, 0), 1);
  assert.equal(signTest(3, 3), 1);
  assert.equal(signTest(0, 1), 1);
  assert.equal(signTest(5, 0), 2 / 32);
  assert.equal(signTest(0, 5), 2 / 32);
  // 8 against 3: 2 (1 + 11 + 55 + 165) / 2^11
  assert.ok(Math.abs(signTest(8, 3) - (2 * 232) / 2048) < 1e-12);
  assert.ok(signTest(300, 200) < 1e-5 && signTest(300, 200) > 0);
  // Past 1,074 discordant cases 2^-n underflows: a tie must still read 1, a lopsided split near 0.
  assert.equal(signTest(700, 700), 1);
  assert.ok(signTest(650, 750) > 0.005 && signTest(650, 750) < 0.02);
});

test('only the cases both runs have count, and only the discordant ones decide', () => {
  const run = (passes: Record<string, boolean>) => Object.entries(passes).map(([id, pass]) => ({ id, suite: 'geneval', pass, score: null }));
  const a = run({ c1: true, c2: true, c3: false, c4: false, c5: true, extra: true });
  const b = run({ c1: true, c2: false, c3: true, c4: false, c5: false });
  const counts = { cases: 5, firstPassed: 3, secondPassed: 2, onlyFirst: 2, onlySecond: 1, p: signTest(2, 1), firstScore: null, secondScore: null };
  assert.deepEqual(comparePaired(a, b), counts);
  assert.deepEqual(comparePaired(b, a), { ...counts, firstPassed: 2, secondPassed: 3, onlyFirst: 1, onlySecond: 2, p: signTest(1, 2) });
  assert.throws(() => comparePaired(a, run({ other: true })), /share no case/);
});

test('counts pairs: passes of each side, the discordant ones, and mean scores over the cases both score', () => {
  const pairs = [
    [{ pass: true, score: 1 }, { pass: false, score: 0.5 }],
    [{ pass: false, score: 0 }, { pass: true, score: null }],
    [{ pass: false, score: 0.25 }, { pass: false, score: 0.75 }],
  ] as const;
  assert.deepEqual(countPairs(pairs), { cases: 3, firstPassed: 1, secondPassed: 1, onlyFirst: 1, onlySecond: 1, p: 1, firstScore: 0.625, secondScore: 0.625 });
  assert.deepEqual({ ...countPairs([[{ pass: true, score: null }, { pass: true, score: null }]]), p: 0 }, { cases: 1, firstPassed: 1, secondPassed: 1, onlyFirst: 0, onlySecond: 0, p: 0, firstScore: null, secondScore: null });
});
