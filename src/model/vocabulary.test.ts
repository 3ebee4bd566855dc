import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeId, EPISODE_TASKS, idToImageCode, imageCodeToId, isImageId, isTextId, SPECIAL_NAMES, vocabularyLayout } from './vocabulary.ts';

test('text, image codes, specials and task markers tile [0, size) without gaps', () => {
  const vocab = vocabularyLayout(4096, 1024);
  assert.equal(vocab.image.start, 4096);
  assert.equal(vocab.specials.pad, 4096 + 1024);
  const specialIds = [...SPECIAL_NAMES.map((n) => vocab.specials[n]), ...EPISODE_TASKS.map((t) => vocab.tasks[t])];
  assert.deepEqual(specialIds, specialIds.map((_, i) => 5120 + i));
  assert.equal(vocab.size, 5120 + SPECIAL_NAMES.length + EPISODE_TASKS.length);
});

test('the layout depends only on the two sizes', () => {
  assert.deepEqual(vocabularyLayout(300, 64), vocabularyLayout(300, 64));
  assert.equal(vocabularyLayout(300, 64).tasks.multiturn, vocabularyLayout(300, 64).size - 1);
});

test('image codes map to ids and back; ranges classify ids', () => {
  const vocab = vocabularyLayout(100, 16);
  assert.equal(imageCodeToId(vocab, 15), 115);
  assert.equal(idToImageCode(vocab, 115), 15);
  assert.throws(() => imageCodeToId(vocab, 16), RangeError);
  assert.throws(() => idToImageCode(vocab, 99), RangeError);
  assert.ok(isTextId(vocab, 99) && !isTextId(vocab, 100));
  assert.ok(isImageId(vocab, 100) && !isImageId(vocab, 116));
});

test('describeId names every kind of id', () => {
  const vocab = vocabularyLayout(100, 16);
  assert.equal(describeId(vocab, 7), '#7');
  assert.equal(describeId(vocab, 103), '<img:3>');
  assert.equal(describeId(vocab, vocab.specials.end_turn), '<end_turn>');
  assert.equal(describeId(vocab, vocab.tasks.edit), '<task:edit>');
  assert.throws(() => describeId(vocab, vocab.size), RangeError);
});

test('sizes must be positive integers', () => {
  assert.throws(() => vocabularyLayout(0, 1024), RangeError);
  assert.throws(() => vocabularyLayout(10, 1.5), RangeError);
});
