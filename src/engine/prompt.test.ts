import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vocabularyLayout } from '../model/vocabulary.ts';
import { imageIds, promptIds } from './prompt.ts';
import { asciiTokenizer } from './test-support.ts';

const vocab = vocabularyLayout(96, 256);
const { bos, user, assistant, end_turn, boi, eoi } = vocab.specials;
const ab = asciiTokenizer.encode('ab');

test('a t2i prompt, and its unconditional twin without the user text', () => {
  const turns = [{ role: 'user' as const, parts: [{ text: 'ab' }] }];
  assert.deepEqual(promptIds('t2i', turns, asciiTokenizer, vocab), [bos, vocab.tasks.t2i, user, ...ab, end_turn, assistant]);
  assert.deepEqual(promptIds('t2i', turns, asciiTokenizer, vocab, { drop: true }), [bos, vocab.tasks.t2i, user, end_turn, assistant]);
});

test('images expand to <boi> codes <eoi> and survive the drop; assistant text is never dropped', () => {
  const codes = new Uint16Array(256).map((_, i) => i);
  const turns = [
    { role: 'user' as const, parts: [{ codes }, { text: 'ab' }] },
    { role: 'assistant' as const, parts: [{ text: 'ab' }] },
    { role: 'user' as const, parts: [{ text: 'ab' }] },
  ];
  const img = imageIds(codes, vocab, 256);
  assert.equal(img.length, 258);
  assert.deepEqual([img[0], img[1], img[256], img[257]], [boi, vocab.image.start, vocab.image.start + 255, eoi]);
  assert.deepEqual(promptIds('multiturn', turns, asciiTokenizer, vocab, { drop: true }), [
    bos, vocab.tasks.multiturn, user, ...img, end_turn, assistant, ...ab, end_turn, user, end_turn, assistant,
  ]);
  assert.throws(() => imageIds(codes.subarray(1), vocab, 256), /256 codes/);
});
