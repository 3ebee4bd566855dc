/** Shared fixtures for the text tokenizer tests: a small trained tokenizer and random Unicode. */
import { TextTokenizer } from './bpe-tokenizer.ts';
import { trainBpe } from './bpe-trainer.ts';
import { seededRandom, syntheticCaptions } from './synthetic-captions.ts';

let shared: TextTokenizer | undefined;

/** A 1024-id tokenizer trained on 20k synthetic captions (trained once per test file). */
export function captionTokenizer(): TextTokenizer {
  shared ??= trainBpe(syntheticCaptions(20_000, 1), { vocabSize: 1024 });
  return shared;
}

/** Code point ranges that stress byte-level handling: 1- to 4-byte UTF-8, marks, joiners, spaces. */
const RANGES: [number, number][] = [
  [0x20, 0x7e], // ASCII
  [0x00, 0x1f], // controls, \n \t
  [0xa0, 0x24f], // Latin-1, NBSP, Latin Extended
  [0x300, 0x36f], // combining marks
  [0x400, 0x4ff], // Cyrillic
  [0x600, 0x6ff], // Arabic
  [0x900, 0x97f], // Devanagari
  [0x3040, 0x30ff], // kana
  [0x4e00, 0x9fff], // CJK
  [0x200b, 0x200d], // zero-width space, ZWNJ, ZWJ
  [0xfe00, 0xfe0f], // variation selectors
  [0xfeff, 0xfeff], // BOM
  [0x1f300, 0x1faff], // emoji
  [0x1f3fb, 0x1f3ff], // skin tones
  [0x10000, 0x10ffff], // any astral
];

/** A seeded random well-formed string of up to `maxLength` code points. */
export function randomUnicode(random: () => number, maxLength = 40): string {
  const length = Math.floor(random() * maxLength);
  let out = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = RANGES[Math.floor(random() * RANGES.length)];
    out += String.fromCodePoint(lo + Math.floor(random() * (hi - lo + 1)));
  }
  return out;
}

export { seededRandom };
