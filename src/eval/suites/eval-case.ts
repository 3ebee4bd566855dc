/**
 * The contract between suites, subjects and scorers: one eval case. A case is plain data (scene JSON
 * and prompt text), so report.json can hold it and a rerun with the same seed rebuilds it exactly.
 */
import type { Locale } from '../../world/catalog/concepts.ts';
import type { EditPair } from '../../world/episodes/edits.ts';
import type { Box, Scene } from '../../world/scene/scene.ts';
import type { EvalScope } from './eval-world.ts';

interface CaseBase {
  /** Unique within the run: `<suite>/<category>/<n>`. */
  id: string;
  suite: string;
  /** What the score is reported under, e.g. `geneval/counting`. */
  category: string;
  /** The sampling seed the subject uses for this case (the scene's own seed is spent already). */
  seed: number;
}

/** Text -> image. How it is scored follows `scene.layout`: cells for grids, detection otherwise. */
export interface ImageCase extends CaseBase {
  task: 't2i';
  prompt: string;
  locale: Locale;
  scene: Scene;
  /** What must be right: every named attribute (default), or only what the thing is (text: the word). */
  judge?: 'all' | 'identity';
  /** Free placements: whether the caption's relations ("left of") are scored too (default true). */
  relations?: boolean;
  /**
   * Whether the prompt names the scene's emoji style. When it does not, any style is right: GenEval
   * judges only what a prompt asks. Absent (reports before session 21) reads as named.
   */
  namesStyle?: boolean;
}

/** Image + instruction -> image, with the world's exact target. */
export interface EditCase extends CaseBase {
  task: 'edit';
  kind: EditPair['kind'];
  instruction: string;
  source: Scene;
  target: Scene;
  /** The region the edit may change (boxes in [0, 1]), given to the subject as its edit mask: locked tokens everywhere else. */
  mask?: Box[];
}

export interface RestyleCase extends CaseBase {
  task: 'restyle';
  instruction: string;
  source: Scene;
  target: Scene;
}

/** A conversation: each user turn asks for one image; later turns must reuse the first turn's character. */
export interface CharacterCase extends CaseBase {
  task: 'multiturn';
  turns: { prompt: string; scene: Scene }[];
}

/** Image -> text: a question about a scene, and the world's own answer to it. */
export interface UnderstandCase extends CaseBase {
  task: 'i2t';
  scene: Scene;
  question: string;
  /** The world's answer (what an i2t episode trains): a caption for open questions. */
  answer: string;
  /** Open questions ("describe the image") are scored by objects named, the rest by their answer. */
  open: boolean;
}

/** Timed generation, as bench/engine.ts measures it: warm-up, then the median of `repeats` runs. */
export interface SpeedCase extends CaseBase {
  task: 'speed';
  prompt: string;
  n: number;
  repeats: number;
}

export type EvalCase = ImageCase | EditCase | RestyleCase | CharacterCase | UnderstandCase | SpeedCase;

/** A suite: a name, what it measures, and its fixed cases for a base seed. */
export interface Suite {
  name: string;
  summary: string;
  /**
   * The cases, in an order that interleaves categories, so that `--limit` keeps every one. `size`
   * (default 1) multiplies every category's count, for a `--limit` above the fixed set: the first
   * scenes of a category are the same at any size, so a larger run holds the smaller one's cases.
   */
  cases(seed: number, scope: EvalScope, size?: number): EvalCase[];
}
