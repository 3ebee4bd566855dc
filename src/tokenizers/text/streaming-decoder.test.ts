import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamingTextDecoder } from './streaming-decoder.ts';
import { captionTokenizer, randomUnicode, seededRandom } from './test-helpers.ts';

const tokenizer = captionTokenizer();

test('id-by-id decoding emits only whole characters and adds up to the text', () => {
  const random = seededRandom(8);
  for (let i = 0; i < 500; i++) {
    const text = randomUnicode(random) + ' a red cat 👩‍👩‍👧 हिन्दी';
    const stream = new StreamingTextDecoder(tokenizer);
    let out = '';
    for (const id of tokenizer.encode(text)) {
      const chunk = stream.push(id);
      assert.ok(!chunk.includes('\uFFFD'), 'never a replacement character mid-stream');
      out += chunk;
    }
    out += stream.flush();
    assert.equal(out, text);
  }
});

test('an incomplete character is held back until completed', () => {
  const [a, b, c, d] = new TextEncoder().encode('🐱');
  const stream = new StreamingTextDecoder(tokenizer);
  assert.equal(stream.push(a), '');
  assert.equal(stream.push([b, c]), '');
  assert.equal(stream.push([d, 33]), '🐱!');
});

test('flush turns a dangling tail into U+FFFD, and invalid bytes never throw', () => {
  const stream = new StreamingTextDecoder(tokenizer);
  assert.equal(stream.push([0xe0, 0xa4]), '');
  assert.equal(stream.flush(), '\uFFFD');
  assert.equal(stream.push([0x80, 0x41]), '\uFFFDA');
  assert.equal(stream.flush(), '');
});
