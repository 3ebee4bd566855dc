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
 * - Han, Hiragana and Katakana are split into runs of one script each. Japanese has no spaces, and
 *   the script changes (kanji stem | kana ending | katakana loanword) are a cheap, deterministic
 *   approximation of word boundaries: 赤い猫 → 赤 | い | 猫. Chinese runs stay whole so BPE can learn
 *   multi-character words (红色, 桌子); a per-character split would cap CJK at one token per
 *   character. The price is more unique words, which the bounded encode cache absorbs.
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
  String.raw` ?\p{sc=Han}[\p{sc=Han}\p{M}]*`,
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
 */
export function pretokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}
