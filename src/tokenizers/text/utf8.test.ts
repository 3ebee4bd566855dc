import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomUnicode, seededRandom } from './test-helpers.ts';
import { utf8Bytes } from './utf8.ts';

test('utf8Bytes matches TextEncoder on random well-formed text', () => {
  const random = seededRandom(11);
  for (let i = 0; i < 2000; i++) {
    const text = randomUnicode(random);
    assert.deepEqual(utf8Bytes(text), [...new TextEncoder().encode(text)], JSON.stringify(text));
  }
});

test('lone surrogates become U+FFFD, as TextEncoder does', () => {
  for (const text of ['\ud800', 'a\udc00b', '\udbff\ud800', '\ud83d']) {
    assert.deepEqual(utf8Bytes(text), [...new TextEncoder().encode(text)]);
  }
});
