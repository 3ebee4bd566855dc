/**
 * An Episode (role-tagged segments) as the model reads it: a list of EncodedPiece.
 *
 *   <bos> <task:X>  then per turn (a run of same-role segments):  <user>|<assistant> contents <end_turn>
 *
 * Text contents are tokenizer ids; image contents stay `{ image: 'img0' }` pieces, which the trainer
 * expands to <boi> + 256 codes + <eoi> once the VQ has encoded them. Loss is on the assistant's
 * contents and the assistant's <end_turn> (so the model learns to stop); the <assistant> marker
 * itself is prompt. User text pieces carry `drop: true`: condition dropout removes them all together,
 * which is also the unconditional prompt of classifier-free guidance.
 *
 * @example
 *   const pieces = encodeEpisode(
 *     { task: 't2i', segments: [{ type: 'text', role: 'user', text: 'a red fox' }, { type: 'image', role: 'assistant', image: 'img0' }] },
 *     tokenizer, vocabularyLayout(tokenizer.vocabSize));
 *   // [{ids: [bos, task:t2i], loss: false}, {ids: [user], loss: false}, {ids: [...], loss: false, drop: true},
 *   //  {ids: [end_turn], loss: false}, {ids: [assistant], loss: false}, {image: 'img0', loss: true}, {ids: [end_turn], loss: true}]
 */
import type { EncodedPiece, Episode, Role, Segment } from '../world/sample.ts';
import { IMAGE_TOKENS, type VocabularyLayout } from './vocabulary.ts';

/** All episode encoding needs from the BPE tokenizer (src/tokenizers/text). */
export interface TextEncoder {
  encode(text: string): number[];
}

export class EpisodeEncodingError extends Error {
  override name = 'EpisodeEncodingError';
}

/** Consecutive segments with the same role, in order. */
export function turnsOf(segments: readonly Segment[]): { role: Role; segments: Segment[] }[] {
  const turns: { role: Role; segments: Segment[] }[] = [];
  for (const segment of segments) {
    const last = turns.at(-1);
    if (last && last.role === segment.role) last.segments.push(segment);
    else turns.push({ role: segment.role, segments: [segment] });
  }
  return turns;
}

export function encodeEpisode(episode: Episode, tokenizer: TextEncoder, vocab: VocabularyLayout): EncodedPiece[] {
  const { specials } = vocab;
  const taskId = vocab.tasks[episode.task];
  if (taskId === undefined) throw new EpisodeEncodingError(`unknown task "${episode.task}"`);
  if (episode.segments.length === 0) throw new EpisodeEncodingError('episode has no segments');
  const pieces: EncodedPiece[] = [{ ids: [specials.bos, taskId], loss: false }];
  for (const turn of turnsOf(episode.segments)) {
    const loss = turn.role === 'assistant';
    pieces.push({ ids: [loss ? specials.assistant : specials.user], loss: false });
    for (const segment of turn.segments) {
      if (segment.type === 'image') {
        pieces.push({ image: segment.image, loss });
        continue;
      }
      const ids = tokenizer.encode(segment.text);
      const bad = ids.find((id) => !Number.isInteger(id) || id < 0 || id >= vocab.text.size);
      if (bad !== undefined) throw new EpisodeEncodingError(`tokenizer returned id ${bad} outside the text range [0, ${vocab.text.size})`);
      if (ids.length === 0) continue;
      pieces.push(loss ? { ids, loss } : { ids, loss, drop: true });
    }
    pieces.push({ ids: [specials.end_turn], loss });
  }
  return pieces;
}

/** Tokens once every image piece is expanded to <boi> + 256 codes + <eoi>. */
export function encodedLength(pieces: readonly EncodedPiece[]): number {
  return pieces.reduce((n, piece) => n + ('ids' in piece ? piece.ids.length : IMAGE_TOKENS + 2), 0);
}
