import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guide, keepAllowed, logSoftmax, softmax, topK, topP, withTemperature } from './logits.ts';

const row = (...xs: number[]) => Float32Array.from(xs);
const finite = (a: Float32Array) => [...a].map((x, i) => (x === -Infinity ? -1 : i)).filter((i) => i >= 0);

test('guide: u + s (c - u); scale 1 gives cond, 0 gives uncond', () => {
  const c = row(1, 2, 3);
  const u = row(0, 4, 3);
  assert.deepEqual([...guide(c, u, 1)], [1, 2, 3]);
  assert.deepEqual([...guide(c, u, 0)], [0, 4, 3]);
  assert.deepEqual([...guide(c, u, 3)], [3, -2, 3]);
  assert.throws(() => guide(c, row(1), 2), RangeError);
});

test('withTemperature divides and never mutates its input', () => {
  const x = row(2, -4);
  assert.deepEqual([...withTemperature(x, 2)], [1, -2]);
  assert.deepEqual([...x], [2, -4]);
  assert.throws(() => withTemperature(x, 0), RangeError);
});

test('topK keeps the k largest, ties with the k-th included; 0 is off', () => {
  assert.deepEqual(finite(topK(row(1, 5, 3, 4), 2)), [1, 3]);
  assert.deepEqual(finite(topK(row(1, 5, 3, 3), 2)), [1, 2, 3]);
  assert.deepEqual(finite(topK(row(1, 5, 3), 0)), [0, 1, 2]);
  assert.deepEqual(finite(topK(row(1, 5, 3), 9)), [0, 1, 2]);
});

test('topP keeps the smallest top set reaching p, and always the top id', () => {
  const logits = Float32Array.from([0.5, 0.3, 0.15, 0.05], Math.log); // probabilities exactly these
  assert.deepEqual(finite(topP(logits, 0.5)), [0]);
  assert.deepEqual(finite(topP(logits, 0.6)), [0, 1]);
  assert.deepEqual(finite(topP(logits, 0.9)), [0, 1, 2]);
  assert.deepEqual(finite(topP(logits, 0.01)), [0]);
  assert.deepEqual(finite(topP(logits, 1)), [0, 1, 2, 3]);
  assert.deepEqual(finite(topP(Float32Array.from([0.05, 0.15, 0.5, 0.3], Math.log), 0.6)), [2, 3]);
});

test('filters compose and leave already-filtered ids filtered', () => {
  const out = topP(topK(row(-Infinity, 1, 2, 3, 4), 3), 0.99);
  assert.equal(out[0], -Infinity);
  assert.equal(out[1], -Infinity);
  assert.ok(Number.isFinite(out[4]));
});

test('keepAllowed, softmax and logSoftmax', () => {
  assert.deepEqual([...keepAllowed(row(1, 2, 3), Uint8Array.of(1, 0, 1))], [1, -Infinity, 3]);
  const p = softmax(row(0, Math.log(3), -Infinity));
  assert.ok(Math.abs(p[0] - 0.25) < 1e-6 && Math.abs(p[1] - 0.75) < 1e-6 && p[2] === 0);
  const lp = logSoftmax(row(0, Math.log(3)));
  assert.ok(Math.abs(lp[1] - Math.log(0.75)) < 1e-6);
  assert.throws(() => softmax(row(-Infinity, -Infinity)), RangeError);
});
