import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Episode } from '../world/sample.ts';
import { encodedLength, encodeEpisode, EpisodeEncodingError, turnsOf } from './episode-encoding.ts';
import { vocabularyLayout } from './vocabulary.ts';

/** One id per character: enough to check where text lands. */
const charTokenizer = { encode: (text: string) => [...text].map((c) => c.charCodeAt(0) % 128) };
const vocab = vocabularyLayout(128, 1024);
const s = vocab.specials;

test('t2i: caption is a droppable user turn, the image and its end_turn carry loss', () => {
  const episode: Episode = {
    task: 't2i',
    segments: [
      { type: 'text', role: 'user', text: 'ab' },
      { type: 'image', role: 'assistant', image: 'img0' },
    ],
  };
  assert.deepEqual(encodeEpisode(episode, charTokenizer, vocab), [
    { ids: [s.bos, vocab.tasks.t2i], loss: false },
    { ids: [s.user], loss: false },
    { ids: [97, 98], loss: false, drop: true },
    { ids: [s.end_turn], loss: false },
    { ids: [s.assistant], loss: false },
    { image: 'img0', loss: true },
    { ids: [s.end_turn], loss: true },
  ]);
});

test('edit: same-role segments share one turn; only user text is droppable', () => {
  const episode: Episode = {
    task: 'edit',
    segments: [
      { type: 'image', role: 'user', image: 'img0' },
      { type: 'text', role: 'user', text: 'x' },
      { type: 'text', role: 'assistant', text: 'ok' },
      { type: 'image', role: 'assistant', image: 'img1' },
    ],
  };
  const pieces = encodeEpisode(episode, charTokenizer, vocab);
  assert.deepEqual(pieces, [
    { ids: [s.bos, vocab.tasks.edit], loss: false },
    { ids: [s.user], loss: false },
    { image: 'img0', loss: false },
    { ids: [120], loss: false, drop: true },
    { ids: [s.end_turn], loss: false },
    { ids: [s.assistant], loss: false },
    { ids: [111, 107], loss: true },
    { image: 'img1', loss: true },
    { ids: [s.end_turn], loss: true },
  ]);
  assert.equal(encodedLength(pieces), 2 + 1 + 258 + 1 + 1 + 1 + 2 + 258 + 1);
});

test('multiturn alternates turns', () => {
  const turns = turnsOf([
    { type: 'text', role: 'user', text: 'a' },
    { type: 'image', role: 'assistant', image: 'img0' },
    { type: 'text', role: 'user', text: 'b' },
    { type: 'image', role: 'assistant', image: 'img1' },
  ]);
  assert.deepEqual(turns.map((t) => t.role), ['user', 'assistant', 'user', 'assistant']);
});

test('empty text adds no piece; bad tokenizer ids and empty episodes are errors', () => {
  const empty = encodeEpisode({ task: 'i2t', segments: [{ type: 'text', role: 'user', text: '' }, { type: 'text', role: 'assistant', text: 'z' }] }, charTokenizer, vocab);
  assert.equal(empty.filter((p) => 'ids' in p && p.drop).length, 0);
  const bad = { encode: () => [128] };
  assert.throws(() => encodeEpisode({ task: 'i2t', segments: [{ type: 'text', role: 'user', text: 'a' }] }, bad, vocab), EpisodeEncodingError);
  assert.throws(() => encodeEpisode({ task: 'i2t', segments: [] }, charTokenizer, vocab), EpisodeEncodingError);
});
