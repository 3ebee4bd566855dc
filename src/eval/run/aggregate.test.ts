import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, MIN_CASES_FOR_ERROR, stdError, suiteScore, suiteStdError } from './aggregate.ts';
import type { CaseResult } from './run-case.ts';

const result = (category: string, score: number | null): CaseResult => ({
  id: `${category}/${Math.random()}`, suite: 'geneval', category, task: 't2i', prompt: 'p',
  score, pass: score === 1, metrics: { identity: score }, note: '', ms: 1,
});

test('stdError is the sample standard deviation over the square root of the count', () => {
  // Mean 0.25; squared deviations 0.5625 + 3 × 0.0625 = 0.75; variance 0.75 / 3; SE √(0.25 / 4) = 0.25.
  assert.equal(stdError([1, 0, 0, 0]), 0.25);
  assert.equal(stdError([0.5, 0.5, 0.5]), 0);
  assert.equal(stdError([1]), null);
  assert.equal(stdError([]), null);
});

test('each category carries the standard error of its mean, over the cases that have a score', () => {
  const categories = aggregate([result('a', 1), result('a', 0), result('a', 0), result('a', 0), result('b', 1), result('b', null)]);
  const [a, b] = categories;
  assert.equal(a.score, 0.25);
  assert.equal(a.scoreStdError, 0.25);
  assert.equal(b.cases, 2);
  assert.equal(b.score, 1);
  assert.equal(b.scoreStdError, null, 'one scored case: no spread to measure');
});

test('a suite combines its categories\' errors as independent, as it averages their scores', () => {
  const a = [1, 0, 0, 0, 1, 0, 0, 0];
  const b = [1, 1, 0, 0, 1, 1, 0, 0];
  const categories = aggregate([...a.map((s) => result('a', s)), ...b.map((s) => result('b', s))]);
  assert.equal(suiteScore(categories), 0.375);
  // Variances 1.5 / 7 and 2 / 7 (sample), each over 8 cases; the mean of two: √(SE(a)² + SE(b)²) / 2.
  assert.ok(Math.abs(suiteStdError(categories)! - Math.sqrt(1.5 / 7 / 8 + 2 / 7 / 8) / 2) < 1e-12);
  assert.equal(suiteStdError(aggregate(a.slice(0, MIN_CASES_FOR_ERROR - 1).map((s) => result('a', s)))), null, 'too few cases to trust a spread');
  assert.equal(suiteStdError(aggregate([0, 0, 0].map((s) => result('a', s)))), null, 'three agreeing cases are not certainty');
  assert.equal(suiteStdError(aggregate([result('speed', null), result('speed', null)])), null, 'nothing scored');
});
