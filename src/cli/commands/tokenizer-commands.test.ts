// Drives `tokenizer train` and `tokenizer encode` through the real flag parser, without main.ts,
// so these tests do not depend on every other command loading.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parseArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { syntheticCaptions } from '../../tokenizers/text/synthetic-captions.ts';
import tokenizerEncode from './tokenizer-encode.ts';
import tokenizerTrain from './tokenizer-train.ts';

async function run(t: TestContext, command: Command, argv: string[]): Promise<string> {
  const lines: string[] = [];
  t.mock.method(console, 'log', (line: string) => lines.push(line));
  await command.run(parseArgs(argv, command.flags));
  t.mock.restoreAll();
  return lines.join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'tessera-tokenizer-cli-'));
const captions = syntheticCaptions(4000, 1).map((c) => c.replace(/\n/g, ' '));
writeFileSync(join(dir, 'a.txt'), captions.slice(0, 2000).join('\n'));
writeFileSync(join(dir, 'b.jsonl'), captions.slice(2000).map((text) => JSON.stringify({ captions: [{ text }] })).join('\n'));
const out = join(dir, 'tokenizer.json');

test('train writes a tokenizer and reports sizes and time', async (t) => {
  const log = await run(t, tokenizerTrain, ['--corpus', `${join(dir, 'a.txt')},${join(dir, 'b.jsonl')}`, '--vocab', '600', '--out', out]);
  assert.match(log, /2 file\(s\), 4,000 documents/);
  assert.match(log, /merges: 344 in [\d.]+ s, vocab 600/);
  assert.match(log, /bytes\/token/);
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).vocabSize, 600);
  // Same corpus, given as a folder positional: same bytes.
  const again = join(dir, 'again.json');
  await run(t, tokenizerTrain, [dir, '--vocab', '600', '-o', again]);
  assert.equal(readFileSync(again, 'utf8'), readFileSync(out, 'utf8'));
});

test('encode prints ids and pieces, or JSON', async (t) => {
  const log = await run(t, tokenizerEncode, ['--tokenizer', out, 'a red', 'cat <|image|>']);
  assert.match(log, /^\d+ tokens, 19 bytes\nids: +[\d ]+\npieces: "a" .* "<" .* ">"$/);
  const json = JSON.parse(await run(t, tokenizerEncode, ['-t', out, '--json', '🐱']));
  assert.deepEqual(json, { ids: [0xf0, 0x9f, 0x90, 0xb1], pieces: ['<0xF0>', '<0x9F>', '<0x90>', '<0xB1>'] });
});

test('encode --file reports speed', async (t) => {
  const log = await run(t, tokenizerEncode, ['-t', out, '--file', join(dir, 'a.txt')]);
  assert.match(log, /cold cache: .* tokens\/s/);
  assert.match(log, /warm cache: .* tokens\/s/);
});

test('user mistakes become UserErrors with clear messages', async (t) => {
  await assert.rejects(run(t, tokenizerTrain, ['--vocab', '600']), { name: 'UserError', message: /no corpus/ });
  await assert.rejects(run(t, tokenizerTrain, ['--corpus', join(dir, 'missing')]), { name: 'UserError', message: /does not exist/ });
  await assert.rejects(run(t, tokenizerTrain, [dir, '--vocab', '10']), { name: 'UserError', message: /vocabSize must be/ });
  const corrupt = join(dir, 'corrupt.json');
  writeFileSync(corrupt, '{"format": "tessera-text-bpe"');
  await assert.rejects(run(t, tokenizerEncode, ['-t', corrupt, 'x']), { name: 'UserError', message: /corrupt\.json is not a valid text tokenizer: not JSON/ });
  await assert.rejects(run(t, tokenizerEncode, ['-t', out]), { name: 'UserError', message: /nothing to encode/ });
});
