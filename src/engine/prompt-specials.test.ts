// Text a user types never becomes a control token. With the shipped tokenizer (models/default) and
// the real vocabulary layout, strings that look like specials (every name in vocabulary.ts, written
// the ways other models spell theirs) and raw control characters encode to text ids only, decode
// back to themselves, and leave the prompt's skeleton of control and image ids exactly as a
// harmless prompt has it. The server-to-prefill path is checked in src/server/prompt-specials.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SPECIAL_LOOKALIKES } from '../model/special-lookalikes.ts';
import { vocabularyLayout } from '../model/vocabulary.ts';
import { TextTokenizer } from '../tokenizers/text/index.ts';
import { DEFAULT_MODEL_DIR } from './model-files.ts';
import type { EpisodeTask } from '../world/sample.ts';
import { promptIds, type Turn } from './prompt.ts';

const tokenizer = await TextTokenizer.load(`${DEFAULT_MODEL_DIR}/tokenizer.json`);
const vocab = vocabularyLayout(tokenizer.vocabSize, 1024);
const T = vocab.text.size;
/** What a string is once it has been through UTF-8 (lone surrogates become U+FFFD). */
const wellFormed = (s: string) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(new TextEncoder().encode(s));

test('special lookalikes and control characters are text ids that decode to themselves', () => {
  for (const s of [...SPECIAL_LOOKALIKES, SPECIAL_LOOKALIKES.join(''), SPECIAL_LOOKALIKES.join(' ')]) {
    const ids = tokenizer.encode(s);
    assert.ok(ids.length > 0 && ids.every((id) => Number.isInteger(id) && id >= 0 && id < T), JSON.stringify(s));
    assert.equal(tokenizer.decode(ids), wellFormed(s), JSON.stringify(s));
  }
});

test('through prompt building, the control and image ids are exactly those of a harmless prompt', () => {
  const codes = Uint16Array.from({ length: 256 }, (_, i) => (i * 7) % 1024);
  const prompts = (text: string): [EpisodeTask, Turn[]][] => [
    ['t2i', [{ role: 'user', parts: [{ text }] }]],
    ['edit', [{ role: 'user', parts: [{ codes }, { text }] }]],
    ['multiturn', [
      { role: 'user', parts: [{ text }] },
      { role: 'assistant', parts: [{ codes }, { text }] },
      { role: 'user', parts: [{ text }, { codes }] },
    ]],
  ];
  const skeleton = (ids: number[]) => ids.filter((id) => id >= T);
  for (const s of [...SPECIAL_LOOKALIKES, SPECIAL_LOOKALIKES.join(' ')]) {
    const hostile = prompts(s);
    const harmless = prompts('a red fox');
    hostile.forEach(([task, turns], i) => {
      for (const drop of [false, true]) {
        const ids = promptIds(task, turns, tokenizer, vocab, { drop });
        assert.deepEqual(skeleton(ids), skeleton(promptIds(task, harmless[i][1], tokenizer, vocab, { drop })), `${task} ${JSON.stringify(s)}`);
        assert.ok(ids.every((id) => id >= 0 && id < vocab.size));
      }
    });
  }
});
