import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median } from './median.ts';

test('median: the middle sample, the upper one for an even count; no values is an error', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 3);
  assert.throws(() => median([]), RangeError);
});
