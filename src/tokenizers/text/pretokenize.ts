/**
 * Splits text into words before BPE merges, so that merges never cross a word boundary and
 * training can count unique words instead of scanning the whole corpus per merge.
 *
 * GPT-2 style: a single leading space sticks to the word after it (" cat"), longer whitespace runs
 * stand alone except for their last space. Changes from GPT-2, for a multilingual caption corpus:
 * - A word is a letter followed by letters, combining marks (\p{M}) and ZWJ/ZWNJ. GPT-2's `\p{L}+`
 *   cuts Devanagari and vowelled Arabic at every matra/haraka, because those are marks, not letters.
 *   A mark with no letter before it (emoji variation selector, keycap) joins the symbol run instead,
 *   so "❤️" and "👩‍👩‍👧" stay one word.
 * - Chinese and Japanese have no spaces. Each Han character is its own word; Hiragana and Katakana
 *   runs stay whole, since kana spell words phonetically (テーブル, という): 赤い猫 → 赤 | い | 猫.
 *   Whole Han runs were tried first and measured on world captions (vocab 4096): they compress
 *   Chinese better (1.71 vs 1.16 chars/token) but spend the merges on template phrases that
 *   straddle words and even characters ("白色背景上", "色的" + the first byte of 龙), so the same
 *   character gets different ids in different captions and twice as many Chinese tokens (30% vs
 *   15%) end up as raw byte pieces. Per-character keeps each character's ids the same everywhere,
 *   which suits compositional captions (color + object + place) better than shorter sequences.
 * - Digits are grouped by at most three, so long numbers do not become unique words.
 * - Contractions ('s, 't, 're, ...) only count when no letter follows, so "'sun" is not "'s" + "un".
 *
 * The concatenation of the words is always the input, lone surrogates included.
 */

/** Saved in tokenizer.json; bump it when the split changes, since merges depend on it. */
export const PRETOKENIZER_ID = 'tessera-v1';

const CJK = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30FC`;
const KATAKANA = String.raw`[\p{sc=Katakana}\u30FC]`;

const ALTERNATIVES = [
  String.raw`['’](?:s|t|re|ve|m|ll|d)(?!\p{L})`,
  String.raw` ?\p{sc=Han}\p{M}*`,
  String.raw` ?\p{sc=Hiragana}[\p{sc=Hiragana}\p{M}]*`,
  String.raw` ?${KATAKANA}[${KATAKANA}\p{M}]*`,
  String.raw` ?[\p{L}--[${CJK}]][[\p{L}\p{M}\u200C\u200D]--[${CJK}]]*`,
  String.raw` ?\p{N}{1,3}`,
  String.raw` ?[^\s\p{L}\p{N}]+`,
  String.raw`\s+(?!\S)`,
  String.raw`\s+`,
];

// Built with RegExp rather than a literal: the `v` flag (set subtraction) postdates the ES2022 target.
// It needs Node 20+ / Chrome 112+ / Firefox 116+ / Safari 17+.
const WORD = new RegExp(ALTERNATIVES.join('|'), 'gv');

/**
 * The words of `text`, in order; joining them gives back `text`.
 *
 * @example
 * pretokenize('a red cat, 赤い猫'); // ['a', ' red', ' cat', ',', ' 赤', 'い', '猫']
 * pretokenize('红色的猫'); // ['红', '色', '的', '猫']
 */
export function pretokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}
