/**
 * The byte-level BPE text tokenizer: encode text to ids, decode ids to text.
 *
 * Ids 0..255 are the bytes of UTF-8, so every string encodes, and merge i adds id 256 + i.
 * There are no special tokens here: control tokens (<image>, end of turn, ...) live in the joint
 * vocabulary above the text ids, so text that merely looks like a control token ("<|image|>")
 * encodes to ordinary byte and merge ids and can never inject one.
 *
 * Browser-safe: nothing here imports node:*; `load` and `save` reach the file system lazily.
 */
import { TextTokenizerError } from './errors.ts';
import { pretokenize, PRETOKENIZER_ID } from './pretokenize.ts';
import {
  BYTE_VOCAB,
  MAX_VOCAB_SIZE,
  type Merge,
  parseTokenizerFile,
  readTokenizerFile,
  TOKENIZER_FORMAT,
  TOKENIZER_VERSION,
  type TokenizerFile,
  writeTokenizerFile,
} from './tokenizer-file.ts';
import { utf8Bytes } from './utf8.ts';

/** Words cached per tokenizer before the cache is cleared; caption vocabularies fit easily. */
const CACHE_LIMIT = 1 << 17;
/** Heap entries pack (rank, position) into one number: rank * 2^32 + position. */
const POSITION_SPAN = 2 ** 32;

/**
 * @example
 * const tokenizer = await TextTokenizer.load('models/tokenizer.json');
 * const ids = tokenizer.encode('a red cat 🐱');
 * tokenizer.decode(ids); // 'a red cat 🐱'
 */
export class TextTokenizer {
  readonly #merges: readonly Merge[];
  /** Pair key (a * 2^20 + b) → merge rank; the merged id is 256 + rank. */
  readonly #ranks = new Map<number, number>();
  /** The bytes each id stands for. */
  readonly #bytes: Uint8Array[] = [];
  readonly #cache = new Map<string, number[]>();

  private constructor(file: TokenizerFile) {
    this.#merges = file.merges;
    for (let b = 0; b < BYTE_VOCAB; b++) this.#bytes.push(Uint8Array.of(b));
    file.merges.forEach(([a, b], rank) => {
      this.#ranks.set(a * MAX_VOCAB_SIZE + b, rank);
      const left = this.#bytes[a];
      const joined = new Uint8Array(left.length + this.#bytes[b].length);
      joined.set(left);
      joined.set(this.#bytes[b], left.length);
      this.#bytes.push(joined);
    });
  }

  /**
   * Builds a tokenizer from a parsed tokenizer.json, validating it first.
   *
   * @example
   * const tokenizer = TextTokenizer.fromJSON(JSON.parse(text));
   */
  static fromJSON(value: unknown, source?: string): TextTokenizer {
    return new TextTokenizer(parseTokenizerFile(value, source));
  }

  /**
   * Builds a tokenizer from a merge list (merge i makes id 256 + i), validating it like a file.
   *
   * @example
   * TextTokenizer.fromMerges([[97, 97]]).encode('aaa'); // [256, 97]
   */
  static fromMerges(merges: readonly Merge[]): TextTokenizer {
    return TextTokenizer.fromJSON({
      format: TOKENIZER_FORMAT,
      version: TOKENIZER_VERSION,
      vocabSize: BYTE_VOCAB + merges.length,
      pretokenizer: PRETOKENIZER_ID,
      merges,
    });
  }

  /**
   * Reads tokenizer.json (Node only). Async so that this module never imports node:fs eagerly.
   *
   * @example
   * const tokenizer = await TextTokenizer.load('tokenizer.json');
   */
  static async load(path: string): Promise<TextTokenizer> {
    return new TextTokenizer(await readTokenizerFile(path));
  }

  /** Writes tokenizer.json (Node only); the same tokenizer always gives the same bytes. */
  async save(path: string): Promise<void> {
    await writeTokenizerFile(path, this.toJSON());
  }

  toJSON(): TokenizerFile {
    return {
      format: TOKENIZER_FORMAT,
      version: TOKENIZER_VERSION,
      vocabSize: this.vocabSize,
      pretokenizer: PRETOKENIZER_ID,
      merges: this.#merges.map(([a, b]) => [a, b] as const),
    };
  }

  /** Number of text ids: 256 bytes plus the merges. */
  get vocabSize(): number {
    return this.#bytes.length;
  }

  /**
   * Text to ids. Lone surrogates are encoded as U+FFFD, so only well-formed UTF-16 round-trips.
   *
   * @example
   * tokenizer.encode('<|image|>'); // plain byte/merge ids, never a control token
   */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const word of pretokenize(text)) {
      let wordIds = this.#cache.get(word);
      if (wordIds === undefined) {
        wordIds = this.#mergeWord(utf8Bytes(word));
        if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
        this.#cache.set(word, wordIds);
      }
      for (const id of wordIds) ids.push(id);
    }
    return ids;
  }

  /**
   * Ids to text. Ids that cut a UTF-8 sequence (a prefix of a longer list, say) decode to U+FFFD
   * rather than throwing; use StreamingTextDecoder to hold such tails back instead.
   * Throws TextTokenizerError for an id outside 0..vocabSize-1.
   *
   * @example
   * tokenizer.decode(tokenizer.encode('नमस्ते')); // 'नमस्ते'
   */
  decode(ids: readonly number[]): string {
    return UTF8.decode(this.bytesOf(ids));
  }

  /** The raw bytes that `ids` stand for, concatenated. */
  bytesOf(ids: readonly number[]): Uint8Array {
    let length = 0;
    for (let i = 0; i < ids.length; i++) length += this.tokenBytes(ids[i], i).length;
    const out = new Uint8Array(length);
    let offset = 0;
    for (const id of ids) {
      const bytes = this.#bytes[id];
      out.set(bytes, offset);
      offset += bytes.length;
    }
    return out;
  }

  /** The bytes of one id (a shared view: do not modify). */
  tokenBytes(id: number, position?: number): Uint8Array {
    const bytes = this.#bytes[id];
    if (bytes === undefined || !Number.isInteger(id)) {
      const where = position === undefined ? '' : ` at position ${position}`;
      throw new TextTokenizerError(`id ${id}${where} is not a text id (the text vocabulary has ${this.vocabSize})`);
    }
    return bytes;
  }

  /**
   * A readable form of one id for display: its text, with any bytes that are only part of a
   * UTF-8 character shown as `<0xE3>` escapes (a merge may hold a character's first bytes).
   *
   * @example
   * tokenizer.piece(32); // ' '
   */
  piece(id: number): string {
    const bytes = this.tokenBytes(id);
    let out = '';
    for (let i = 0; i < bytes.length; ) {
      const lead = bytes[i];
      const length = lead < 0x80 ? 1 : lead >> 5 === 6 ? 2 : lead >> 4 === 14 ? 3 : lead >> 3 === 30 ? 4 : 0;
      const char = length > 0 && i + length <= bytes.length ? strictUtf8(bytes.subarray(i, i + length)) : undefined;
      if (char === undefined) {
        out += `<0x${lead.toString(16).toUpperCase().padStart(2, '0')}>`;
        i++;
      } else {
        out += char;
        i += length;
      }
    }
    return out;
  }

  /**
   * Applies merges to one word by rank, lowest first, leftmost first among equals: the same order
   * training applied them in. A linked list over positions plus a heap of candidate pairs keeps this
   * O(n log n) rather than O(n²), which matters for long words: a run of symbols ("=====…"), a
   * URL, a script without spaces.
   */
  #mergeWord(ids: number[]): number[] {
    const n = ids.length;
    if (n < 2) return ids;
    const ranks = this.#ranks;
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const heap = new MinHeap();
    const consider = (i: number) => {
      const j = next[i];
      if (i < 0 || j < 0) return;
      const rank = ranks.get(ids[i] * MAX_VOCAB_SIZE + ids[j]);
      if (rank !== undefined) heap.push(rank * POSITION_SPAN + i);
    };
    for (let i = 0; i < n - 1; i++) consider(i);
    while (heap.size > 0) {
      const entry = heap.pop();
      const rank = Math.floor(entry / POSITION_SPAN);
      const i = entry - rank * POSITION_SPAN;
      const j = next[i];
      // Stale entry: i was merged away (ids[i] = -1), or its neighbour changed since the push.
      if (ids[i] < 0 || j < 0 || ranks.get(ids[i] * MAX_VOCAB_SIZE + ids[j]) !== rank) continue;
      ids[i] = BYTE_VOCAB + rank;
      ids[j] = -1;
      next[i] = next[j];
      if (next[j] >= 0) prev[next[j]] = i;
      consider(prev[i]);
      consider(i);
    }
    const out: number[] = [];
    for (let i = 0; i >= 0; i = next[i]) out.push(ids[i]);
    return out;
  }
}

const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });
const STRICT_UTF8 = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Min-heap of plain numbers, for the candidate pairs of one word. */
class MinHeap {
  readonly #items: number[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(value: number): void {
    const items = this.#items;
    let i = items.push(value) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent] <= value) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.#items;
    const top = items[0];
    const last = items.pop()!;
    const n = items.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && items[child + 1] < items[child]) child++;
      if (items[child] >= last) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
    return top;
  }
}
