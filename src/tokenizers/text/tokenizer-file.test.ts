import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TextTokenizer } from './bpe-tokenizer.ts';
import { TextTokenizerError } from './errors.ts';
import { captionTokenizer } from './test-helpers.ts';
import { serializeTokenizerFile } from './tokenizer-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-tokenizer-'));
const tokenizer = captionTokenizer();
const valid = tokenizer.toJSON();

test('save then load gives the same tokenizer and the same bytes', async () => {
  const path = join(dir, 'tokenizer.json');
  await tokenizer.save(path);
  const loaded = await TextTokenizer.load(path);
  assert.equal(loaded.vocabSize, tokenizer.vocabSize);
  assert.deepEqual(loaded.encode('a red cat 🐱'), tokenizer.encode('a red cat 🐱'));
  const again = join(dir, 'again.json');
  await loaded.save(again);
  assert.equal(readFileSync(again, 'utf8'), readFileSync(path, 'utf8'));
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), JSON.parse(JSON.stringify(valid)));
});

test('an empty merge list serializes to valid JSON', () => {
  assert.deepEqual(JSON.parse(serializeTokenizerFile({ ...valid, vocabSize: 256, merges: [] })).merges, []);
});

const corrupt: [string, unknown, RegExp][] = [
  ['not an object', [1, 2], /expected a JSON object/],
  ['wrong format', { ...valid, format: 'hf-tokenizers' }, /"format" is "hf-tokenizers"/],
  ['future version', { ...valid, version: 2 }, /"version" is 2/],
  ['other pretokenizer', { ...valid, pretokenizer: 'gpt2' }, /"pretokenizer" is "gpt2"/],
  ['vocabSize mismatch', { ...valid, vocabSize: 4096 }, /"vocabSize" is 4096 but 256 bytes \+ 768 merges make 1024/],
  ['merges missing', { ...valid, merges: undefined }, /"merges" must be an array/],
  ['merge of a later id', { ...valid, merges: [[0, 1], [256, 300]], vocabSize: 258 }, /merges\[1\] is \[256,300\]; expected \[a, b\], two integer ids below 257/],
  ['malformed merge', { ...valid, merges: [[0, 1, 2]], vocabSize: 257 }, /merges\[0\] is \[0,1,2\]/],
  ['repeated merge', { ...valid, merges: [[0, 1], [0, 1]], vocabSize: 258 }, /merges\[1\] repeats the pair \[0,1\]/],
  ['unknown key', { ...valid, added_tokens: [] }, /unknown key\(s\) "added_tokens"/],
];

for (const [name, value, message] of corrupt) {
  test(`rejects a tokenizer file with ${name}`, () => {
    assert.throws(() => TextTokenizer.fromJSON(value, 'bad.json'), (e: Error) => {
      assert.ok(e instanceof TextTokenizerError);
      assert.match(e.message, /^bad\.json is not a valid text tokenizer: /);
      assert.match(e.message, message);
      return true;
    });
  });
}

test('load names the path for a missing, truncated or non-JSON file', async () => {
  await assert.rejects(TextTokenizer.load(join(dir, 'missing.json')), /cannot read tokenizer .*missing\.json/);
  const truncated = join(dir, 'truncated.json');
  writeFileSync(truncated, serializeTokenizerFile(valid).slice(0, 500));
  await assert.rejects(TextTokenizer.load(truncated), (e: Error) => e instanceof TextTokenizerError && e.message.startsWith(`${truncated} is not a valid text tokenizer: not JSON`));
});
