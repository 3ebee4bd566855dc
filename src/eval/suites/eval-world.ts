/**
 * The world as the suites use it: seeded scene streams that training never drew, the world's own
 * sampler and caption code, and a few helpers to pick cases. Nothing here restates the world.
 *
 * Seeds. Training shards were built with build seeds 1, 2 and 100 (sample i of a build draws from
 * `sampleSeed(build, i)`), the verifier's validation with VALIDATION_SEED. A suite category draws
 * sample i from `sampleSeed(evalBuildSeed(seed, stream), i)`, where the eval build seed is the base
 * seed (default EVAL_SEED = 7000) xor a hash of the stream's name ("geneval/counting"): a build seed
 * of its own per category, never one of the training seeds (checked by the suites' test).
 */
import { coreVocabulary } from '../../world/catalog/core-vocabulary.ts';
import { LOCALES, type Locale } from '../../world/catalog/concepts.ts';
import { captionScene, type SceneCaption } from '../../world/caption/describe-scene.ts';
import { ConceptNames } from '../../world/caption/object-names.ts';
import { Random, sampleSeed } from '../../world/random.ts';
import type { Scene } from '../../world/scene/scene.ts';
import type { VocabularyName } from '../../world/catalog/core-vocabulary.ts';
import type { StyleId } from '../../world/catalog/emoji-styles.ts';
import { SceneSampler } from '../../world/scene/sampler.ts';
import { FULL_WORLD, STARTER, type WorldConfig } from '../../world/scene/world-config.ts';
import { VALIDATION_SEED } from '../verifier/validation.ts';

export const EVAL_SEED = 7000;

/** Build seeds whose scenes a model (or the verifier's validation) has seen. */
export const SEEN_SEEDS: readonly number[] = [1, 2, 100, VALIDATION_SEED];

/** FNV-1a of a stream name: a fixed 32-bit salt per suite category. */
function salt(stream: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function evalBuildSeed(seed: number, stream: string): number {
  return (seed ^ salt(stream)) >>> 0;
}

/** The random stream of sample `index` of a category. */
export function caseRandom(seed: number, stream: string, index: number): Random {
  return new Random(sampleSeed(evalBuildSeed(seed, stream), index));
}

/**
 * Where a scene's objects stand. 'free': anywhere, as in a picture a user brings (the full world
 * places freely). 'grid': on the VQ's 16×16 code grid, as the curriculum's worlds place them for
 * training (`WorldConfig.alignTo`; BENCHMARKS.md, "Objects on the code grid"). A model trained only on
 * the grid reads and copies images placed off it far worse: its edits of freely placed 2×2 and 3×3 grids
 * copied 58 % of the untouched codes against 99 % on the grid (MODEL_CARD.md, Evaluation).
 */
export type Placement = 'free' | 'grid';
export const PLACEMENTS: readonly Placement[] = ['free', 'grid'];

/**
 * The concepts and styles the cases draw from, and where their objects stand. The full world's (core,
 * all styles, free) by default; a model trained on a curriculum step (`--world starter`) is also scored
 * within what it was taught, since the verifier still tells each concept from the whole core
 * vocabulary, that is no easier per case.
 */
export interface EvalScope {
  vocabulary: VocabularyName;
  styles: StyleId[];
  /** Default 'free'. */
  placement?: Placement;
}

/** The scope of a world config: its vocabulary and styles, and a placement (default free). */
export function scopeOf(world: WorldConfig, placement: Placement = 'free'): EvalScope {
  return { vocabulary: world.vocabulary, styles: world.styles, placement };
}

export const FULL_SCOPE: EvalScope = scopeOf(FULL_WORLD);

/** A category's world: the full world with a few weights changed, within a scope. */
export type EvalWorld = (scope: EvalScope) => SceneSampler;

export function worldWith(overrides: Partial<WorldConfig>): EvalWorld {
  const samplers = new Map<string, SceneSampler>();
  return ({ vocabulary, styles, placement = 'free' }) => {
    const key = `${vocabulary}:${styles.join(',')}:${placement}`;
    let sampler = samplers.get(key);
    if (!sampler) samplers.set(key, (sampler = new SceneSampler({ ...FULL_WORLD, ...overrides, vocabulary, styles, alignTo: placement === 'grid' ? STARTER.alignTo : 0 })));
    return sampler;
  };
}

/** No text objects: GenEval's categories are about things. */
export const NO_TEXT = { objectKinds: { ...FULL_WORLD.objectKinds, text: 0 } } as const;
/** Every object plainly one color: shapes solid, emoji recolored, nothing worn or patterned. */
export const ONE_COLOR = { emojiAttributes: { recolor: 1, pattern: 0, accessory: 0 }, fillPattern: 0 } as const;

let names: ConceptNames | undefined;
/** Concept names of the core vocabulary, as the world's captions use them. */
export function conceptNames(): ConceptNames {
  return (names ??= new ConceptNames(coreVocabulary()));
}

/** A prompt for a scene in a locale, phrased as the world phrases captions (variants drawn from rng). */
export function caption(scene: Scene, locale: Locale, rng: Random, long = false): SceneCaption {
  return captionScene(scene, locale, conceptNames(), rng, long);
}

/** The prompt locales of a scene's two prompts: English, then the other locales in turn. */
export function promptLocales(index: number): [Locale, Locale] {
  const others = LOCALES.filter((l) => l !== 'en');
  return ['en', others[index % others.length]];
}

/** Draws scenes from `draw` until one passes `accept` (a category narrower than any world preset). */
export function drawUntil<T>(rng: Random, draw: (rng: Random) => T, accept: (value: T) => boolean, tries = 500): T {
  for (let t = 0; t < tries; t++) {
    const value = draw(rng);
    if (accept(value)) return value;
  }
  throw new Error(`no draw accepted in ${tries} tries`);
}

/** Round-robin over lists: the first of each, then the second of each... */
export function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(0, ...lists.map((l) => l.length)); i++) for (const list of lists) if (i < list.length) out.push(list[i]);
  return out;
}
