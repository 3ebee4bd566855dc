/**
 * Learns BPE merges from word counts.
 *
 * Every distinct word is a run of ids in one flat Int32Array, weighted by its count. Each step takes
 * the most frequent adjacent pair from a lazy max-heap, rewrites only the words that contain it
 * (found through an index pair → words), and adjusts the counts of the neighbouring pairs by delta.
 * So a step costs the size of the affected words, not the corpus, and a 4096 vocabulary on tens of
 * megabytes of captions trains in seconds.
 *
 * Deterministic: ties in count go to the smaller pair key (a, then b), and nothing depends on word
 * or document order, so the same corpus gives the same tokenizer.json bytes.
 */
import { TextTokenizer } from './bpe-tokenizer.ts';
import { TextTokenizerError } from './errors.ts';
import { PairHeap } from './pair-heap.ts';
import { BYTE_VOCAB, MAX_VOCAB_SIZE, type Merge } from './tokenizer-file.ts';
import { utf8Bytes } from './utf8.ts';
import { countWords } from './word-counts.ts';

export interface TrainBpeOptions {
  /** Final vocabulary size, the 256 byte ids included. */
  vocabSize: number;
  /** Pairs seen fewer times are never merged, so a small corpus may stop short of vocabSize. */
  minFrequency?: number;
  /** Called every 256 merges and at the end. */
  onProgress?: (progress: { merges: number; target: number; seconds: number }) => void;
}

export interface LearnedMerges {
  merges: Merge[];
  /** Corpus length in bytes, and in tokens once the merges apply: their ratio is the compression. */
  bytes: number;
  tokens: number;
  seconds: number;
}

const pairKey = (a: number, b: number) => a * MAX_VOCAB_SIZE + b;

/**
 * Trains a byte-level BPE tokenizer on documents (one caption each).
 *
 * @example
 * const tokenizer = trainBpe(['a red circle', 'a blue square'], { vocabSize: 300 });
 * tokenizer.encode('a red square');
 */
export function trainBpe(corpus: Iterable<string>, options: TrainBpeOptions): TextTokenizer {
  return TextTokenizer.fromMerges(learnMerges(countWords(corpus).words, options).merges);
}

/**
 * The merge-learning half of `trainBpe`, on a word → count table from `countWords`.
 *
 * @example
 * const { merges, bytes, tokens } = learnMerges(countWords(corpus).words, { vocabSize: 4096 });
 */
export function learnMerges(words: ReadonlyMap<string, number>, options: TrainBpeOptions): LearnedMerges {
  const { vocabSize, minFrequency = 2, onProgress } = options;
  if (!Number.isInteger(vocabSize) || vocabSize < BYTE_VOCAB || vocabSize > MAX_VOCAB_SIZE) {
    throw new TextTokenizerError(`vocabSize must be an integer from ${BYTE_VOCAB} to ${MAX_VOCAB_SIZE}, got ${vocabSize}`);
  }
  const started = performance.now();

  // Words as runs in one flat array: word w is symbols[start[w] .. start[w] + length[w]).
  const encoded = [...words.keys()].map(utf8Bytes);
  const counts = Float64Array.from(words.values());
  const start = new Int32Array(encoded.length);
  const length = new Int32Array(encoded.length);
  let total = 0;
  encoded.forEach((bytes, w) => {
    start[w] = total;
    length[w] = bytes.length;
    total += bytes.length;
  });
  const symbols = new Int32Array(total);
  encoded.forEach((bytes, w) => symbols.set(bytes, start[w]));
  let bytes = 0;
  for (let w = 0; w < counts.length; w++) bytes += counts[w] * length[w];

  // pairCount: pair → weighted occurrences. wordsWith: pair → words that contain it, or once did
  // (entries are never removed; a word that lost the pair is simply skipped).
  const pairCount = new Map<number, number>();
  const wordsWith = new Map<number, number[]>();
  const note = (key: number, w: number) => {
    const list = wordsWith.get(key);
    // A pair only ever appears in words at one step (when its newer id is made), and words are
    // visited one at a time, so checking the last entry is enough to avoid duplicates.
    if (list === undefined) wordsWith.set(key, [w]);
    else if (list[list.length - 1] !== w) list.push(w);
  };
  for (let w = 0; w < counts.length; w++) {
    for (let i = start[w], end = start[w] + length[w] - 1; i < end; i++) {
      const key = pairKey(symbols[i], symbols[i + 1]);
      pairCount.set(key, (pairCount.get(key) ?? 0) + counts[w]);
      note(key, w);
    }
  }
  const heap = new PairHeap();
  for (const [key, count] of pairCount) heap.push(count, key);

  const merges: Merge[] = [];
  const target = vocabSize - BYTE_VOCAB;
  const delta = new Map<number, number>();
  const report = () => onProgress?.({ merges: merges.length, target, seconds: (performance.now() - started) / 1000 });

  while (merges.length < target) {
    const top = heap.pop();
    if (top === undefined) break;
    if (pairCount.get(top.key) !== top.count) continue; // outdated entry
    if (top.count < minFrequency) break;
    const a = Math.floor(top.key / MAX_VOCAB_SIZE);
    const b = top.key - a * MAX_VOCAB_SIZE;
    const merged = BYTE_VOCAB + merges.length;
    merges.push([a, b]);

    delta.clear();
    const change = (x: number, y: number, by: number) => {
      const key = pairKey(x, y);
      delta.set(key, (delta.get(key) ?? 0) + by);
    };
    for (const w of wordsWith.get(top.key)!) {
      const count = counts[w];
      const s = start[w];
      const end = s + length[w];
      // Rewrite in place, left to right, without overlaps ("aaa" → [aa, a]). Reading the left
      // neighbour from the rewritten part makes back-to-back merges ("abab" → [ab, ab]) count right.
      let write = s;
      for (let read = s; read < end; ) {
        if (read + 1 < end && symbols[read] === a && symbols[read + 1] === b) {
          change(a, b, -count);
          if (write > s) {
            const left = symbols[write - 1];
            change(left, a, -count);
            change(left, merged, count);
            note(pairKey(left, merged), w);
          }
          if (read + 2 < end) {
            const right = symbols[read + 2];
            change(b, right, -count);
            change(merged, right, count);
            note(pairKey(merged, right), w);
          }
          symbols[write++] = merged;
          read += 2;
        } else {
          symbols[write++] = symbols[read++];
        }
      }
      length[w] = write - s;
    }
    wordsWith.delete(top.key);

    for (const [key, by] of delta) {
      if (by === 0) continue;
      const count = (pairCount.get(key) ?? 0) + by;
      if (count > 0) {
        pairCount.set(key, count);
        heap.push(count, key);
      } else {
        pairCount.delete(key);
        wordsWith.delete(key);
      }
    }
    if (merges.length % 256 === 0) report();
  }
  report();

  let tokens = 0;
  for (let w = 0; w < counts.length; w++) tokens += counts[w] * length[w];
  return { merges, bytes, tokens, seconds: (performance.now() - started) / 1000 };
}
