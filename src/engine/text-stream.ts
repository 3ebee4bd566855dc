/**
 * Reply text as it streams: text ids -> whole characters. A byte-level id can end inside a UTF-8
 * character, so the incomplete tail is held back until the next ids complete it (TextDecoder's stream
 * mode does exactly that). Specials and image codes carry no text and are skipped.
 */
import type { VocabularyLayout } from '../model/vocabulary.ts';
import { isTextId } from '../model/vocabulary.ts';
import type { EngineTokenizer } from './prompt.ts';

export class ReplyText {
  readonly #utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  text = '';

  constructor(
    private readonly tokenizer: Pick<EngineTokenizer, 'tokenBytes'>,
    private readonly vocab: VocabularyLayout,
  ) {}

  /** The text that `id` completes ('' for non-text ids or an incomplete character). */
  push(id: number): string {
    if (!isTextId(this.vocab, id)) return '';
    const delta = this.#utf8.decode(this.tokenizer.tokenBytes(id), { stream: true });
    this.text += delta;
    return delta;
  }

  /** Ends the reply: a held-back incomplete character comes out as U+FFFD. */
  flush(): string {
    const delta = this.#utf8.decode();
    this.text += delta;
    return delta;
  }
}
