/**
 * Best-of-N: candidates are ranked by the model's own image->text likelihood of the prompt. Each
 * candidate becomes an i2t episode, the image, the describe question, then the prompt as the
 * assistant's answer, and all N run through ONE prefill; a score is the mean log-probability of the
 * prompt's tokens. A higher score means the model reads the prompt back from the image more readily.
 *
 * @example
 *   const scores = await scoreImages(ctx, [codesA, codesB], 'a red fox');   // e.g. [-2.1, -3.4]
 *   rankByScore(scores);                                                     // [0, 1]
 */
import { needTokenizer, type EngineContext } from './context.ts';
import { logSoftmax } from './logits.ts';
import { promptIds } from './prompt.ts';

/** The question i2t episodes ask when the answer is a caption (src/world/episodes/questions.ts). */
export const DESCRIBE_QUESTION = 'describe the image';

export async function scoreImages(ctx: EngineContext, images: readonly Uint16Array[], text: string): Promise<number[]> {
  const tokenizer = needTokenizer(ctx);
  const { vocab, image } = ctx.config;
  const answer = tokenizer.encode(text);
  if (answer.length === 0 || images.length === 0) return images.map(() => 0);
  const rows = images.map((codes) => [
    ...promptIds('i2t', [{ role: 'user', parts: [{ codes }, { text: DESCRIBE_QUESTION }] }], tokenizer, vocab, { imageTokens: image.tokens }),
    ...answer,
  ]);
  const { logits, T } = await ctx.session.prefill(rows); // equal lengths: no padding
  const V = vocab.size;
  const start = T - answer.length;
  return rows.map((_, b) => {
    let sum = 0;
    for (let i = 0; i < answer.length; i++) {
      const at = (b * T + start + i - 1) * V; // the logits at t predict the token at t + 1
      sum += logSoftmax(logits.subarray(at, at + V))[answer[i]];
    }
    return sum / answer.length;
  });
}

/** Candidate indices, best score first (ties keep batch order). */
export function rankByScore(scores: readonly number[]): number[] {
  return scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
}
