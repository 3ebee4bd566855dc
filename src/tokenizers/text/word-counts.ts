/**
 * The first half of training: pre-tokenize every document and count each distinct word. BPE then
 * works on this table rather than the corpus, since caption text repeats the same few thousand
 * words millions of times.
 */
import { pretokenize } from './pretokenize.ts';

export interface WordCounts {
  /** Distinct word → occurrences, in order of first appearance. */
  words: Map<string, number>;
  documents: number;
  /** UTF-16 code units read; cheap to count, close to bytes for Latin text. */
  chars: number;
}

/**
 * @example
 * const { words } = countWords(['a red cat', 'a blue cat']);
 * words.get(' cat'); // 2
 */
export function countWords(corpus: Iterable<string>): WordCounts {
  const words = new Map<string, number>();
  let documents = 0;
  let chars = 0;
  for (const document of corpus) {
    documents++;
    chars += document.length;
    for (const word of pretokenize(document)) words.set(word, (words.get(word) ?? 0) + 1);
  }
  return { words, documents, chars };
}
