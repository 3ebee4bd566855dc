import assert from 'node:assert/strict';
import { test } from 'node:test';
import { learnMerges, trainBpe } from './bpe-trainer.ts';
import { TextTokenizerError } from './errors.ts';
import { syntheticCaptions } from './synthetic-captions.ts';
import { seededRandom } from './test-helpers.ts';
import { MAX_VOCAB_SIZE, type Merge, serializeTokenizerFile } from './tokenizer-file.ts';
import { utf8Bytes } from './utf8.ts';
import { countWords } from './word-counts.ts';

/** Textbook BPE: recount every pair each step. Slow, obviously right, same tie-break. */
function naiveMerges(words: Map<string, number>, vocabSize: number, minFrequency: number): Merge[] {
  const sequences = [...words].map(([word, count]) => ({ ids: utf8Bytes(word), count }));
  const merges: Merge[] = [];
  while (256 + merges.length < vocabSize) {
    const counts = new Map<number, number>();
    for (const { ids, count } of sequences) {
      for (let i = 0; i + 1 < ids.length; i++) {
        const key = ids[i] * MAX_VOCAB_SIZE + ids[i + 1];
        counts.set(key, (counts.get(key) ?? 0) + count);
      }
    }
    let best: [number, number] | undefined;
    for (const [key, count] of counts) if (!best || count > best[1] || (count === best[1] && key < best[0])) best = [key, count];
    if (!best || best[1] < minFrequency) break;
    const a = Math.floor(best[0] / MAX_VOCAB_SIZE);
    const b = best[0] % MAX_VOCAB_SIZE;
    const merged = 256 + merges.length;
    merges.push([a, b]);
    for (const sequence of sequences) {
      const out: number[] = [];
      for (let i = 0; i < sequence.ids.length; i++) {
        if (sequence.ids[i] === a && sequence.ids[i + 1] === b) {
          out.push(merged);
          i++;
        } else out.push(sequence.ids[i]);
      }
      sequence.ids = out;
    }
  }
  return merges;
}

test('incremental training equals textbook BPE on random repetitive corpora', () => {
  const random = seededRandom(5);
  for (let round = 0; round < 30; round++) {
    // Tiny alphabets make overlaps ("aaaa", "abab") and count ties common.
    const alphabet = ['a', 'b', 'ab', 'é', '猫', ' '].slice(0, 2 + (round % 5));
    const docs = Array.from({ length: 40 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
    );
    const { words } = countWords(docs);
    const minFrequency = 1 + (round % 3);
    assert.deepEqual(learnMerges(words, { vocabSize: 400, minFrequency }).merges, naiveMerges(words, 400, minFrequency), `round ${round}`);
  }
});

test('merges apply leftmost first without overlap', () => {
  const tokenizer = trainBpe(['aaa'], { vocabSize: 258, minFrequency: 1 });
  assert.deepEqual(tokenizer.toJSON().merges, [[97, 97], [256, 97]]);
  assert.deepEqual(tokenizer.encode('aaa'), [257]);
  assert.deepEqual(tokenizer.encode('aaaa'), [256, 256]);
  assert.deepEqual(tokenizer.encode('aaaaa'), [256, 257]);
});

test('training is deterministic and ignores document order', () => {
  const docs = syntheticCaptions(5000, 9);
  const first = serializeTokenizerFile(trainBpe(docs, { vocabSize: 700 }).toJSON());
  const again = serializeTokenizerFile(trainBpe(docs, { vocabSize: 700 }).toJSON());
  const reversed = serializeTokenizerFile(trainBpe([...docs].reverse(), { vocabSize: 700 }).toJSON());
  assert.equal(again, first);
  assert.equal(reversed, first);
});

test('merges compress held-out in-domain captions', () => {
  const tokenizer = trainBpe(syntheticCaptions(20_000, 1), { vocabSize: 1024 });
  const heldOut = syntheticCaptions(2000, 2).join('\n');
  const bytes = new TextEncoder().encode(heldOut).length;
  const tokens = tokenizer.encode(heldOut).length;
  assert.ok(tokens < bytes / 3, `${bytes} bytes -> ${tokens} tokens`);
});

test('the token count training reports is what encoding the corpus gives', () => {
  const docs = syntheticCaptions(3000, 4);
  const learned = learnMerges(countWords(docs).words, { vocabSize: 600 });
  const tokenizer = trainBpe(docs, { vocabSize: 600 });
  assert.equal(docs.reduce((sum, doc) => sum + tokenizer.encode(doc).length, 0), learned.tokens);
  assert.equal(docs.reduce((sum, doc) => sum + utf8Bytes(doc).length, 0), learned.bytes);
});

test('training stops early when no pair reaches minFrequency', () => {
  const tokenizer = trainBpe(['ab', 'cd'], { vocabSize: 1000 });
  assert.equal(tokenizer.vocabSize, 256);
  assert.equal(trainBpe(['ab', 'ab', 'cd'], { vocabSize: 1000 }).vocabSize, 257);
});

test('vocabSize is checked', () => {
  assert.throws(() => trainBpe(['x'], { vocabSize: 100 }), TextTokenizerError);
  assert.throws(() => trainBpe(['x'], { vocabSize: 300.5 }), TextTokenizerError);
});

test('progress is reported', () => {
  const seen: number[] = [];
  trainBpe(syntheticCaptions(2000, 1), { vocabSize: 800, onProgress: (p) => seen.push(p.merges) });
  assert.deepEqual(seen, [256, 512, 544]);
});
