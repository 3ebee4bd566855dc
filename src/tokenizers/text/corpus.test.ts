import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusFiles, readCorpus } from './corpus.ts';
import { TextTokenizerError } from './errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-corpus-'));
mkdirSync(join(dir, 'b'));
writeFileSync(join(dir, 'a.txt'), 'a red cat\r\n\nun gato rojo\n');
writeFileSync(
  join(dir, 'b', 'samples.jsonl'),
  [
    JSON.stringify({ text: 'plain text' }),
    '',
    JSON.stringify({ key: '0', captions: [{ text: '赤い猫', locale: 'ja' }, { text: 'लाल बिल्ली', locale: 'hi' }, { locale: 'x' }] }),
    JSON.stringify({ other: 1 }),
  ].join('\n'),
);
writeFileSync(join(dir, 'b', 'notes.md'), 'ignored');

test('reads .txt lines, jsonl text and captions[].text, folders in sorted order', () => {
  assert.deepEqual([...readCorpus([dir])], ['a red cat', 'un gato rojo', 'plain text', '赤い猫', 'लाल बिल्ली']);
});

test('explicit files may be listed, comma or not', () => {
  assert.deepEqual(corpusFiles([join(dir, 'b', 'samples.jsonl'), join(dir, 'a.txt')]), [join(dir, 'b', 'samples.jsonl'), join(dir, 'a.txt')]);
});

test('bad input is a TextTokenizerError that says where', () => {
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, '{"text": "ok"}\n{"text": \n');
  assert.throws(() => [...readCorpus([bad])], (e: Error) => e instanceof TextTokenizerError && e.message.startsWith(`${bad}:2: not JSON`));
  assert.throws(() => corpusFiles([join(dir, 'nope')]), /does not exist/);
  assert.throws(() => corpusFiles([join(dir, 'b', 'notes.md')]), /neither \.txt nor \.jsonl/);
});
