import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparePaired, signTest } from './paired.ts';

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
  const run = (passes: Record<string, boolean>) => Object.entries(passes).map(([id, pass]) => ({ id, suite: 'geneval', pass }));
  const a = run({ c1: true, c2: true, c3: false, c4: false, c5: true, extra: true });
  const b = run({ c1: true, c2: false, c3: true, c4: false, c5: false });
  assert.deepEqual(comparePaired(a, b), { cases: 5, onlyFirst: 2, onlySecond: 1, p: signTest(2, 1) });
  assert.deepEqual(comparePaired(b, a), { cases: 5, onlyFirst: 1, onlySecond: 2, p: signTest(1, 2) });
  assert.throws(() => comparePaired(a, run({ other: true })), /share no case/);
});
