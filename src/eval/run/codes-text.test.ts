import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codesFromText, codesToText } from './codes-text.ts';

test('codes survive the report text bit for bit, over the whole uint16 range', () => {
  const codes = Uint16Array.from({ length: 256 }, (_, i) => (i * 2654435761) % 65536);
  const text = codesToText(codes);
  assert.equal(text.length, 684);
  assert.deepEqual(codesFromText(text), codes);
  assert.deepEqual(codesFromText(codesToText([])), new Uint16Array(0));
});

test('text that is not base64 of whole codes is refused', () => {
  for (const bad of ['AAA', 'not base64!', 'AQ==']) assert.throws(() => codesFromText(bad), RangeError, bad);
});
