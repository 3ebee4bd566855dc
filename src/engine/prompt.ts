/**
 * Prompt building: conversation turns (text and images as VQ codes) -> joint-vocabulary ids, through
 * the same episode encoding the trainer learned from (src/model/episode-encoding.ts), ending in
 * <assistant> so the model writes the reply. With `drop`, user text pieces are removed: the
 * unconditional prompt of classifier-free guidance, as the trainer's condition dropout makes it.
 *
 * @example
 *   const turns = [{ role: 'user', parts: [{ text: 'a red fox' }] }];
 *   promptIds('t2i', turns, tokenizer, vocab);               // <bos> <task:t2i> <user> a red fox <end_turn> <assistant>
 *   promptIds('t2i', turns, tokenizer, vocab, { drop: true }); // <bos> <task:t2i> <user> <end_turn> <assistant>
 */
import { encodeEpisode } from '../model/episode-encoding.ts';
import { imageCodeToId, type VocabularyLayout } from '../model/vocabulary.ts';
import type { EpisodeTask, Role, Segment } from '../world/sample.ts';
import { check } from './errors.ts';

/** What the engine needs from the text tokenizer (TextTokenizer has both). */
export interface EngineTokenizer {
  encode(text: string): number[];
  /** The UTF-8 bytes one text id stands for. */
  tokenBytes(id: number): Uint8Array;
}

export type Part = { text: string } | { codes: ArrayLike<number> };

export interface Turn {
  role: Role;
  parts: Part[];
}

/** <boi> + codes + <eoi>, as joint ids. */
export function imageIds(codes: ArrayLike<number>, vocab: VocabularyLayout, imageTokens: number): number[] {
  check(codes.length === imageTokens, `an image is ${imageTokens} codes, got ${codes.length}`);
  return [vocab.specials.boi, ...Array.from(codes, (c) => imageCodeToId(vocab, c)), vocab.specials.eoi];
}

export function promptIds(
  task: EpisodeTask,
  turns: readonly Turn[],
  tokenizer: Pick<EngineTokenizer, 'encode'>,
  vocab: VocabularyLayout,
  options: { drop?: boolean; imageTokens?: number } = {},
): number[] {
  check(turns.length > 0, 'a prompt needs at least one turn');
  const images: ArrayLike<number>[] = [];
  const segments: Segment[] = turns.flatMap((turn) =>
    turn.parts.map((part): Segment => {
      if ('text' in part) return { type: 'text', role: turn.role, text: part.text };
      images.push(part.codes);
      return { type: 'image', role: turn.role, image: `img${images.length - 1}` };
    }),
  );
  const ids: number[] = [];
  for (const piece of encodeEpisode({ task, segments }, tokenizer, vocab)) {
    if (options.drop && piece.drop) continue;
    if ('ids' in piece) ids.push(...piece.ids);
    else ids.push(...imageIds(images[Number(piece.image.slice(3))], vocab, options.imageTokens ?? 256));
  }
  ids.push(vocab.specials.assistant);
  return ids;
}
