import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ChatStore, cleanTitle, codesBlob, codesFromBlob } from './chat-store.ts';
import { dataPaths } from './data-dir.ts';
import { StoreError } from './errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 1, 2, 3);
const codes = Uint16Array.from({ length: 256 }, (_, i) => (i * 257) % 65536);

test('a conversation keeps its messages in order, with images, across a reopen', () => {
  const paths = dataPaths(join(dir, 'a'));
  let store = ChatStore.open(paths);
  const { id } = store.createConversation();
  const user = store.addMessage(id, 'user', { text: '  a red   fox\n', params: { n: 2, reply: 'image' }, images: [{ kind: 'upload', width: 4, height: 4, png }] });
  store.addMessage(id, 'assistant', {
    params: { mode: 'generate', seed: 9 },
    images: [
      { kind: 'generated', candidate: 1, chosen: true, width: 128, height: 128, png, codes, score: -1.5 },
      { kind: 'generated', candidate: 0, chosen: false, width: 128, height: 128, png, codes, score: -2.5 },
    ],
  });
  store.close();

  store = ChatStore.open(paths);
  const conversation = store.getConversation(id);
  assert.equal(conversation.title, 'a red fox', 'the first user text titles an untitled conversation');
  assert.deepEqual(conversation.messages.map((m) => [m.seq, m.role]), [[0, 'user'], [1, 'assistant']]);
  assert.equal(conversation.messages[0].id, user.id);
  assert.deepEqual(conversation.messages[0].params, { n: 2, reply: 'image' });
  const [first, second] = conversation.messages[1].images;
  assert.deepEqual([first.candidate, first.chosen, first.score, first.hasCodes], [0, false, -2.5, true]);
  assert.deepEqual([second.candidate, second.chosen], [1, true]);
  const stored = store.getImage(second.id);
  assert.deepEqual(stored.png, png);
  assert.deepEqual(stored.codes, codes);
  assert.equal(stored.conversationId, id);
  assert.equal(store.getImage(conversation.messages[0].images[0].id).codes, null);
  store.close();
});

test('choosing a candidate moves the chosen flag within its slot only', () => {
  const store = ChatStore.memory();
  const { id } = store.createConversation('t');
  const images = [0, 1, 2].map((candidate) => ({ kind: 'generated' as const, candidate, chosen: candidate === 0, width: 1, height: 1, png }));
  const message = store.addMessage(id, 'assistant', { images: [...images, { kind: 'generated', slot: 1, width: 1, height: 1, png }] });
  const updated = store.chooseCandidate(message.images[2].id);
  assert.deepEqual(updated.images.map((im) => im.chosen), [false, false, true, true]);
  const upload = store.addMessage(id, 'user', { images: [{ kind: 'upload', width: 1, height: 1, png }] }).images[0];
  assert.throws(() => store.chooseCandidate(upload.id), (e: StoreError) => e.code === 'conflict');
  store.close();
});

test('replace swaps a reply in one transaction; a failed replace keeps the old one', () => {
  const store = ChatStore.memory();
  const { id } = store.createConversation();
  store.addMessage(id, 'user', { text: 'hi' });
  const old = store.addMessage(id, 'assistant', { text: 'one' });
  assert.throws(() => store.addMessage(id, 'assistant', { text: 'x', images: [{ kind: 'generated', width: 1, height: 1, png: null, candidate: 0, slot: 0 }, { kind: 'nope' as 'mask', width: 1, height: 1 }] }, old.id));
  assert.deepEqual(store.getConversation(id).messages.map((m) => m.text), ['hi', 'one'], 'the failed write rolled back whole');
  store.addMessage(id, 'assistant', { text: 'two' }, old.id);
  assert.deepEqual(store.getConversation(id).messages.map((m) => [m.seq, m.text]), [[0, 'hi'], [1, 'two']]);
  store.close();
});

test('list, rename, delete (cascading to messages and images), and not-found errors', () => {
  const store = ChatStore.memory();
  const a = store.createConversation('first');
  const b = store.createConversation('second');
  const image = store.addMessage(a.id, 'user', { text: 'x', images: [{ kind: 'upload', width: 1, height: 1, png }] }).images[0];
  assert.deepEqual(store.listConversations().map((c) => c.id), [a.id, b.id], 'most recently updated first');
  assert.equal(store.renameConversation(b.id, ' renamed ').title, 'renamed');
  store.deleteConversation(a.id);
  assert.deepEqual(store.listConversations().map((c) => c.title), ['renamed']);
  const gone = (e: StoreError) => e instanceof StoreError && e.code === 'not-found';
  assert.throws(() => store.getImage(image.id), gone);
  assert.throws(() => store.getConversation(a.id), gone);
  assert.throws(() => store.deleteConversation(a.id), gone);
  assert.throws(() => store.addMessage(a.id, 'user', { text: 'x' }), gone);
  assert.equal((store.db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n, 0);
  store.close();
});

test('titles are one trimmed line, cut at a word; codes round-trip little-endian', () => {
  assert.equal(cleanTitle(' a\n b '), 'a b');
  const long = cleanTitle('word '.repeat(40));
  assert.ok(long.length <= 80 && long.endsWith('word…'), long);
  assert.deepEqual([...codesBlob([1, 258])], [1, 0, 2, 1]);
  assert.deepEqual(codesFromBlob(codesBlob(codes)), codes);
});
