import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage } from '../../engine/index.ts';
import { fitContext, messageTokens } from './history.ts';

const image = { image: { codes: new Uint16Array(256) } };
const user = (text: string): ChatMessage => ({ role: 'user', content: [{ text }] });
const drew: ChatMessage = { role: 'assistant', content: [image] };

test('a message costs its markers, its text bytes and its images', () => {
  assert.equal(messageTokens(user('héllo'), 256), 2 + 6);
  assert.equal(messageTokens({ role: 'user', content: [image, { text: 'ab' }] }, 256), 2 + 258 + 2);
});

test('the oldest turns go first, the thread still starts with a user turn, the last message always stays', () => {
  const thread = [user('a'), drew, user('b'), drew, user('c'), drew, user('d')];
  const shape = { maxSeqLen: 1024, imageTokens: 256 };
  // Room: 1024 - 258 (reply) - 3 = 763; from the end: d 3, drew 260, c 3, drew 260, b 3 = 529; the next drew breaks it.
  assert.deepEqual(fitContext(thread, shape, 'image'), thread.slice(2));
  assert.deepEqual(fitContext(thread, { maxSeqLen: 4096, imageTokens: 256 }, 'image'), thread);
  assert.deepEqual(fitContext([user('x'.repeat(5000))], shape, 'image').length, 1, 'too long: left for the engine to refuse');
  assert.deepEqual(fitContext([user('a'), drew, user('b')], { maxSeqLen: 300, imageTokens: 256 }, 'text'), [user('b')]);
});
