/**
 * Incremental decoding for generation: ids arrive one at a time, and a byte-level token may end in
 * the middle of a UTF-8 character (an emoji is 4 bytes, a Devanagari letter 3). The decoder emits
 * only whole characters and holds an incomplete tail back until the next ids complete it.
 */
import type { TextTokenizer } from './bpe-tokenizer.ts';

/**
 * @example
 * const stream = new StreamingTextDecoder(tokenizer);
 * for (const id of tokenizer.encode('🐱!')) process.stdout.write(stream.push(id));
 * process.stdout.write(stream.flush());
 */
export class StreamingTextDecoder {
  // TextDecoder's stream mode implements exactly the hold-back rule; invalid bytes become U+FFFD.
  readonly #utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(private readonly tokenizer: TextTokenizer) {}

  /** Decodes more ids; returns the text they complete (possibly ''). */
  push(ids: number | readonly number[]): string {
    const bytes = typeof ids === 'number' ? this.tokenizer.tokenBytes(ids) : this.tokenizer.bytesOf(ids);
    return this.#utf8.decode(bytes, { stream: true });
  }

  /** Ends the stream: a held-back incomplete character comes out as U+FFFD. The decoder can be reused. */
  flush(): string {
    return this.#utf8.decode();
  }
}
