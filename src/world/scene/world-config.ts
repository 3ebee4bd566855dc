import type { VocabularyName } from '../catalog/core-vocabulary.ts';
import type { StyleId } from '../catalog/emoji-styles.ts';
import { STYLE_IDS } from '../catalog/emoji-styles.ts';
import type { Script } from '../catalog/fonts.ts';
import type { EpisodeTask } from '../sample.ts';

/** Everything that shapes the world's distribution. Presets below; CLI flags pick one by name. */
export interface WorldConfig {
  /** 'starter' (~45 concepts, curriculum step 1), 'core' (~300, the default model) or 'full' (every concept all five styles draw). */
  vocabulary: VocabularyName;
  styles: StyleId[];
  /** Relative weights of the layouts. */
  layouts: { single: number; grid: number; free: number; count: number };
  /** Grid sizes [rows, cols] and their weights. */
  grids: [rows: number, cols: number, weight: number][];
  /** Most copies in a counting scene. */
  maxCount: number;
  objectKinds: { emoji: number; shape: number; text: number };
  /** Chances that an emoji is recolored, pattern-filled, or wears an accessory. */
  emojiAttributes: { recolor: number; pattern: number; accessory: number };
  /** Chance that a shape or text has a pattern rather than a solid color. */
  fillPattern: number;
  scripts: Partial<Record<Script, number>>;
  /** Chance of a non-white background. */
  coloredBackground: number;
  /** Relative weights of the episode tasks each sample trains. */
  tasks: Record<EpisodeTask, number>;
  /** Episodes written per sample. */
  episodesPerSample: number;
  /**
   * Cells per image side that object boxes snap to (`snapBox`), or 0 for free placement. 16 is the
   * VQ's code grid at 128 px: the same object at the same size then has the same codes wherever it
   * stands, instead of one of 64 sub-code shifts, which is far less for a small model to learn.
   */
  alignTo: number;
}

/** The full distribution: every layout up to 8×8 grids, all attributes and scripts. */
export const FULL_WORLD: WorldConfig = {
  vocabulary: 'core',
  styles: [...STYLE_IDS],
  layouts: { single: 3, grid: 4, free: 1.5, count: 1 },
  grids: [
    [1, 2, 1], [2, 1, 1], [2, 2, 3], [2, 3, 1], [3, 2, 1], [3, 3, 2],
    [3, 4, 1], [4, 3, 1], [4, 4, 3], [5, 5, 0.7], [6, 6, 0.6], [8, 8, 0.4],
  ],
  maxCount: 8,
  objectKinds: { emoji: 6, shape: 2.5, text: 1.5 },
  emojiAttributes: { recolor: 0.12, pattern: 0.06, accessory: 0.08 },
  fillPattern: 0.25,
  scripts: { latin: 4, cyrillic: 1, greek: 1, cjk: 1, arabic: 1, devanagari: 1 },
  coloredBackground: 0.25,
  tasks: { t2i: 5, i2t: 2, edit: 2, restyle: 1, multiturn: 1 },
  episodesPerSample: 2,
  alignTo: 0,
};

/**
 * The first curriculum stage: single objects and small grids, as the probe showed models learn first,
 * placed on the VQ's code grid (from 2026-11-30, session 8; shards built before placed freely).
 */
export const STAGE_ONE: WorldConfig = {
  ...FULL_WORLD,
  layouts: { single: 5, grid: 4, free: 0.5, count: 0.5 },
  grids: [[1, 2, 1], [2, 1, 1], [2, 2, 4]],
  maxCount: 4,
  alignTo: 16,
};

/**
 * The curriculum's first concepts: stage 1's layouts over the starter vocabulary in two styles, so
 * that each concept × style × size picture recurs hundreds of times in a pack instead of a few dozen
 * (2026-11-30, session 9: after ~17 CPU hours on the core vocabulary the samples were still blobs).
 */
export const STARTER: WorldConfig = {
  ...STAGE_ONE,
  vocabulary: 'starter',
  styles: ['noto', 'twemoji'],
};

/**
 * The curriculum's second step within the starter vocabulary (from 2026-12-07, session 24): the dense
 * grids issue 4 scores (3×3, and 4×4 for the sixteen-object prompt) that stage 1 never drew, with
 * counted and freely placed scenes twice as often. Taken up once single objects and 2×2 cells had come
 * within reach of what the VQ's round trip allows (BENCHMARKS.md, "Ceilings within the starter world").
 */
export const STARTER_STAGE_TWO: WorldConfig = {
  ...STARTER,
  layouts: { single: 2, grid: 6, free: 1, count: 1 },
  grids: [[2, 2, 2], [3, 3, 2], [4, 4, 3]],
};

/**
 * The curriculum's third step (from 2026-12-07, session 25): starter-2's scenes with the freely placed
 * and counted ones in the majority, and counts up to eight. GenEval's two-object, position and binding
 * cases are free scenes and its counting cases counted ones of two to eight copies (the full world's
 * maxCount; stage 1 drew at most four); at step 33,927 the model passed 19 %, 26 %, 7 % and 4 % of what
 * the VQ's round trip allows there, against 77 % for single objects, while those layouts were ~6.5 % of
 * the scenes it read each (BENCHMARKS.md, "Ceilings within the starter world").
 */
export const STARTER_STAGE_THREE: WorldConfig = {
  ...STARTER_STAGE_TWO,
  layouts: { single: 1, grid: 2, free: 4, count: 3 },
  maxCount: FULL_WORLD.maxCount,
};

/**
 * Starter-2's scenes placed freely (from 2026-12-07, session 29), for the episodes that read an image
 * a user could bring: image->text and edits, none that draws from text alone. A model trained on the
 * code grid only copied 58 % of the untouched codes of freely placed edit sources against 99 % of
 * grid-placed ones, and its edits passed 32 % against 52 % (BENCHMARKS.md, "Edits and captions of
 * freely placed pictures"); a picture a user brings is not on the code grid. Text->image targets
 * stay on the grid, where the model draws cleanly.
 */
export const STARTER_FREE: WorldConfig = {
  ...STARTER_STAGE_TWO,
  alignTo: 0,
  tasks: { t2i: 0, i2t: 1, edit: 1, restyle: 0, multiturn: 0 },
};

/** The VQ's diet: grids of every density, since reconstruction of small cells is the hard part. */
export const TOKENIZER_WORLD: WorldConfig = {
  ...FULL_WORLD,
  layouts: { single: 2, grid: 5, free: 1.5, count: 1 },
  grids: [[2, 2, 2], [3, 3, 2], [4, 4, 4], [5, 5, 1], [6, 6, 1], [8, 8, 1]],
};

export const WORLD_PRESETS = { full: FULL_WORLD, 'stage-1': STAGE_ONE, starter: STARTER, 'starter-2': STARTER_STAGE_TWO, 'starter-3': STARTER_STAGE_THREE, 'starter-free': STARTER_FREE, tokenizer: TOKENIZER_WORLD } as const;
export type WorldPreset = keyof typeof WORLD_PRESETS;
