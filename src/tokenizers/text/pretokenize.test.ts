import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pretokenize } from './pretokenize.ts';
import { randomUnicode, seededRandom } from './test-helpers.ts';

const cases: [string, string[]][] = [
  ['a red cat', ['a', ' red', ' cat']],
  ["it's a cat's 'sun'", ['it', "'s", ' a', ' cat', "'s", " '", 'sun', "'"]],
  ['x   y', ['x', '  ', ' y']],
  ['12345 cats', ['123', '45', ' cats']],
  ['Кошка — красная!', ['Кошка', ' —', ' красная', '!']],
  // Devanagari matras and viramas are marks; they must not split the word.
  ['हिन्दी में बिल्ली', ['हिन्दी', ' में', ' बिल्ली']],
  ['قِطَّة حمراء', ['قِطَّة', ' حمراء']],
  // Han is split per character, kana by run.
  ['赤い猫がテーブルの上', ['赤', 'い', '猫', 'が', 'テーブル', 'の', '上']],
  ['正方形の画像です', ['正', '方', '形', 'の', '画', '像', 'です']],
  ['一只红色的猫。', ['一', '只', '红', '色', '的', '猫', '。']],
  ['a 猫', ['a', ' 猫']],
  ['❤️ 👩‍👩‍👧 👍🏽', ['❤️', ' 👩‍👩‍👧', ' 👍🏽']],
  ['<|image|>', ['<|', 'image', '|>']],
];

for (const [text, words] of cases) {
  test(`pretokenize ${JSON.stringify(text)}`, () => assert.deepEqual(pretokenize(text), words));
}

test('words always join back to the input, lone surrogates included', () => {
  const random = seededRandom(3);
  for (let i = 0; i < 2000; i++) {
    const text = randomUnicode(random, 60) + (i % 7 === 0 ? '\ud800x\udfff' : '');
    assert.equal(pretokenize(text).join(''), text);
  }
});
