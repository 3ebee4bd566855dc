/**
 * The joint vocabulary of the multimodal model: one id space for text, image codes and specials.
 *
 *   [0, T)            text ids from the BPE tokenizer (T = its vocab size)
 *   [T, T + K)        image codes from the VQ codebook (K codes; an image is a 16x16 grid of them)
 *   [T + K, size)     specials: pad, bos, boi, eoi, user, assistant, end_turn, then one task marker
 *                     per EpisodeTask, in EPISODE_TASKS order
 *
 * The layout is computed from (textVocabSize, codebookSize) and nothing else, so every stage that
 * knows those two numbers agrees on every id. The trainer reads it from config.json (model-config.ts).
 *
 * @example
 *   const vocab = vocabularyLayout(4096, 1024);
 *   vocab.specials.boi;          // 5122
 *   vocab.tasks.t2i;             // 5127
 *   imageCodeToId(vocab, 17);    // 4113
 */
import type { EpisodeTask } from '../world/sample.ts';

/** Every EpisodeTask, in the order their markers are numbered. Append only: reordering renumbers ids. */
export const EPISODE_TASKS = ['t2i', 'i2t', 'edit', 'restyle', 'multiturn'] as const satisfies readonly EpisodeTask[];

// Fails to compile when EpisodeTask gains a member that EPISODE_TASKS lacks.
type MissingTask = Exclude<EpisodeTask, (typeof EPISODE_TASKS)[number]>;
const _allTasksListed: MissingTask extends never ? true : MissingTask = true;

/** The specials that are not task markers, in id order. Append only. */
export const SPECIAL_NAMES = ['pad', 'bos', 'boi', 'eoi', 'user', 'assistant', 'end_turn'] as const;
export type SpecialName = (typeof SPECIAL_NAMES)[number];

/** Image side in codes and codes per image: the VQ downsamples 128x128 pixels by 8. */
export const IMAGE_GRID = 16;
export const IMAGE_TOKENS = IMAGE_GRID * IMAGE_GRID;
export const DEFAULT_CODEBOOK_SIZE = 1024;

export interface VocabularyLayout {
  /** Total ids, specials included: the model's embedding rows and logits width. */
  size: number;
  text: { start: 0; size: number };
  image: { start: number; size: number };
  specials: Record<SpecialName, number>;
  tasks: Record<EpisodeTask, number>;
}

export function vocabularyLayout(textVocabSize: number, codebookSize: number = DEFAULT_CODEBOOK_SIZE): VocabularyLayout {
  for (const [name, n] of [['textVocabSize', textVocabSize], ['codebookSize', codebookSize]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  }
  const imageStart = textVocabSize;
  let next = imageStart + codebookSize;
  const specials = Object.fromEntries(SPECIAL_NAMES.map((name) => [name, next++])) as Record<SpecialName, number>;
  const tasks = Object.fromEntries(EPISODE_TASKS.map((task) => [task, next++])) as Record<EpisodeTask, number>;
  return { size: next, text: { start: 0, size: textVocabSize }, image: { start: imageStart, size: codebookSize }, specials, tasks };
}

export function isTextId(vocab: VocabularyLayout, id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id < vocab.text.size;
}

export function isImageId(vocab: VocabularyLayout, id: number): boolean {
  return Number.isInteger(id) && id >= vocab.image.start && id < vocab.image.start + vocab.image.size;
}

export function imageCodeToId(vocab: VocabularyLayout, code: number): number {
  if (!Number.isInteger(code) || code < 0 || code >= vocab.image.size) throw new RangeError(`image code ${code} outside [0, ${vocab.image.size})`);
  return vocab.image.start + code;
}

export function idToImageCode(vocab: VocabularyLayout, id: number): number {
  if (!isImageId(vocab, id)) throw new RangeError(`id ${id} is not an image code`);
  return id - vocab.image.start;
}

/** A readable name for any id: `<boi>`, `<task:t2i>`, `<img:17>`, or `#42` for text ids. */
export function describeId(vocab: VocabularyLayout, id: number): string {
  if (isTextId(vocab, id)) return `#${id}`;
  if (isImageId(vocab, id)) return `<img:${id - vocab.image.start}>`;
  for (const name of SPECIAL_NAMES) if (vocab.specials[name] === id) return `<${name}>`;
  for (const task of EPISODE_TASKS) if (vocab.tasks[task] === id) return `<task:${task}>`;
  throw new RangeError(`id ${id} outside the vocabulary [0, ${vocab.size})`);
}
