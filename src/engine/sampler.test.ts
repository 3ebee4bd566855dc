import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../world/random.ts';
import { argmax, sampleIndex, sampleToken } from './sampler.ts';

test('argmax picks the first largest', () => {
  assert.equal(argmax([1, 7, 7, -Infinity]), 1);
});

test('sampleIndex inverts the CDF and skips zero-mass ids', () => {
  const probs = [0, 0.25, 0, 0.75];
  assert.equal(sampleIndex(probs, 0), 1);
  assert.equal(sampleIndex(probs, 0.2499), 1);
  assert.equal(sampleIndex(probs, 0.25), 3);
  assert.equal(sampleIndex(probs, 0.9999999), 3);
  assert.equal(sampleIndex([0.5, 0.5, 0], 1), 1); // rounding past the total lands on the last id with mass
});

test('greedy draws no random number; top-k 1 is greedy at any temperature', () => {
  const logits = Float32Array.of(0.1, 3, 2);
  assert.equal(sampleToken(logits, { temperature: 0, topK: 0, topP: 1 }, () => assert.fail('drew a number')), 1);
  for (const u of [0, 0.5, 0.999]) assert.equal(sampleToken(logits, { temperature: 2, topK: 1, topP: 1 }, () => u), 1);
});

test('draws follow the distribution and repeat with the seed', () => {
  const logits = Float32Array.from([0.2, 0.8], Math.log);
  const draw = (seed: number) => {
    const rng = new Random(seed);
    return Array.from({ length: 2000 }, () => sampleToken(logits, { temperature: 1, topK: 0, topP: 1 }, () => rng.next()));
  };
  const a = draw(1);
  assert.deepEqual(a, draw(1));
  const share = a.filter((t) => t === 1).length / a.length;
  assert.ok(share > 0.76 && share < 0.84, `share of id 1: ${share}`);
});
