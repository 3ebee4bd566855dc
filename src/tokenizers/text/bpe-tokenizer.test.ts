import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextTokenizer } from './bpe-tokenizer.ts';
import { trainBpe } from './bpe-trainer.ts';
import { TextTokenizerError } from './errors.ts';
import { captionTokenizer, randomUnicode, seededRandom } from './test-helpers.ts';

const tokenizer = captionTokenizer();

test('random Unicode round-trips exactly', () => {
  const random = seededRandom(42);
  for (let i = 0; i < 3000; i++) {
    const text = randomUnicode(random);
    assert.equal(tokenizer.decode(tokenizer.encode(text)), text, JSON.stringify(text));
  }
});

const samples = [
  '',
  'A red circle above a blue square.',
  '🐱🐶 ❤️ 👍🏽 🏳️‍🌈 👩‍👩‍👧‍👦 1️⃣',
  '一只红色的猫坐在蓝色的桌子上。',
  '赤い猫がテーブルの上に座っている',
  'قطة حمراء فوق مربع أزرق',
  'एक लाल बिल्ली नीले वर्ग के ऊपर',
  'Красный круг над синим квадратом',
  'Ein grüner Würfel über einer weißen Straße',
  '\uFEFFa byte order mark stays',
  'tabs\tand\r\nnewlines\n\n  and   runs of spaces  ',
  'e\u0301 café\u0301 zero\u200Bwidth',
];

for (const text of samples) {
  test(`round-trips ${JSON.stringify(text).slice(0, 40)}`, () => {
    const ids = tokenizer.encode(text);
    assert.ok(ids.every((id) => Number.isInteger(id) && id >= 0 && id < tokenizer.vocabSize));
    assert.equal(tokenizer.decode(ids), text);
  });
}

test('in-domain text uses merges, unseen scripts fall back to bytes', () => {
  assert.ok(tokenizer.encode(' red cat').length <= 2);
  assert.deepEqual(tokenizer.encode('ꙮ'), [...new TextEncoder().encode('ꙮ')]);
});

test('special-looking strings are plain text ids', () => {
  // Even a tokenizer trained on text full of control-token lookalikes has no special ids:
  // every id above 255 is a merge of two earlier ids, and decoding gives the text back.
  const corpus = Array.from({ length: 200 }, (_, i) => `<|image|> <|endoftext|> <image> [BOI] ${i}`);
  const trained = trainBpe(corpus, { vocabSize: 400 });
  for (const special of ['<|image|>', '<|endoftext|>', '<image>', '[BOI]', '<s>', '</s>', '<|im_start|>']) {
    for (const t of [tokenizer, trained]) {
      const ids = t.encode(special);
      assert.ok(ids.every((id) => id < t.vocabSize), special);
      assert.equal(t.decode(ids), special);
      assert.equal(ids.map((id) => t.piece(id)).join(''), special);
      // The same ids as the text has inside a sentence: nothing treats it as a unit.
      assert.deepEqual(t.encode(`x${special}`).slice(1), ids);
    }
  }
  // The file format has nowhere to put special tokens.
  assert.throws(() => TextTokenizer.fromJSON({ ...trained.toJSON(), specialTokens: { '<|image|>': 0 } }), /unknown key/);
});

test('lone surrogates encode as U+FFFD', () => {
  assert.equal(tokenizer.decode(tokenizer.encode('a\ud800b')), 'a\uFFFDb');
});

test('decoding a cut UTF-8 sequence gives U+FFFD instead of throwing', () => {
  const ids = [...new TextEncoder().encode('🐱')];
  assert.equal(tokenizer.decode(ids.slice(0, 2)), '\uFFFD');
  assert.equal(tokenizer.decode([0x80, 0x41]), '\uFFFDA');
});

test('ids outside the text vocabulary throw a clear error', () => {
  assert.throws(() => tokenizer.decode([65, tokenizer.vocabSize]), (e: Error) => e instanceof TextTokenizerError && /position 1/.test(e.message));
  assert.throws(() => tokenizer.decode([-1]), TextTokenizerError);
  assert.throws(() => tokenizer.decode([1.5]), TextTokenizerError);
});

test('piece shows whole characters and escapes partial ones', () => {
  assert.equal(tokenizer.piece(32), ' ');
  assert.equal(tokenizer.piece(0xf0), '<0xF0>');
  // 'aé' is 61 C3 A9; both pairs tie and the smaller key wins, so the first merge is 'a' + C3.
  const partial = trainBpe(['aé'], { vocabSize: 257, minFrequency: 1 });
  assert.deepEqual(partial.toJSON().merges, [[0x61, 0xc3]]);
  assert.equal(partial.piece(256), 'a<0xC3>');
});

test('very long words encode quickly and round-trip', () => {
  for (const run of ['redcircle'.repeat(20_000), '=-'.repeat(50_000), 'कखगघ'.repeat(20_000)]) {
    const started = performance.now();
    const ids = tokenizer.encode(run);
    assert.ok(performance.now() - started < 10_000, 'no quadratic blow-up');
    assert.equal(tokenizer.decode(ids), run);
  }
  assert.ok(tokenizer.encode('redcircle'.repeat(1000)).length < 9000);
});
