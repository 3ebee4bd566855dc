/**
 * GenEval's six categories on the world: one object, two objects, counting, colors, position and
 * attribute binding. Scenes come from the world's own sampler with the category's weights; prompts
 * are the world's captions of them, in English and one other locale each.
 */
import type { Scene } from '../../world/scene/scene.ts';
import { FULL_WORLD } from '../../world/scene/world-config.ts';
import { expectedLabel } from '../verifier/verifier.ts';
import type { Suite } from './eval-case.ts';
import { drawUntil, interleave, NO_TEXT, ONE_COLOR, worldWith, type EvalScope } from './eval-world.ts';
import { imageCases, type ImageCategory } from './image-cases.ts';

const only = (layout: keyof typeof FULL_WORLD.layouts) => ({ layouts: { single: 0, grid: 0, free: 0, count: 0, [layout]: 1 } });

const single = worldWith({ ...only('single'), ...NO_TEXT });
// Pairs are free placements, not 1×2 grids: a grid cell that is not square stretches shapes, which
// neither the verifier's references nor GenEval's prompts have.
const pair = worldWith({ ...only('free'), ...NO_TEXT, emojiAttributes: { recolor: 0, pattern: 0, accessory: 0 } });
const counting = worldWith({ ...only('count'), ...NO_TEXT, emojiAttributes: { recolor: 0, pattern: 0, accessory: 0 } });
const colored = worldWith({ ...only('single'), ...NO_TEXT, ...ONE_COLOR });
const placed = worldWith({ ...only('free'), ...NO_TEXT });
const bound = worldWith({ ...only('free'), ...NO_TEXT, ...ONE_COLOR });
const twoOf = (s: Scene) => s.objects.length === 2;

export const GENEVAL_SCENES = 8;

export function genevalCategories(scope: EvalScope, scenes = GENEVAL_SCENES): ImageCategory[] {
  return [
    { category: 'geneval/single-object', scenes, draw: (rng) => single(scope).scene(rng) },
    // Two different things, both found (where they are is the position category's question).
    { category: 'geneval/two-objects', scenes, relations: false, judge: 'identity', draw: (rng) => drawUntil(rng, (r) => pair(scope).scene(r), (s) => twoOf(s) && expectedLabel(s.objects[0]) !== expectedLabel(s.objects[1])) },
    // Two or more: "one cat" is the single-object category.
    { category: 'geneval/counting', scenes, draw: (rng) => drawUntil(rng, (r) => counting(scope).scene(r), (s) => s.objects.length >= 2) },
    { category: 'geneval/colors', scenes, draw: (rng) => colored(scope).scene(rng) },
    // Exactly two objects, so the caption is one relation.
    { category: 'geneval/position', scenes, draw: (rng) => drawUntil(rng, (r) => placed(scope).scene(r), twoOf) },
    // Two colored objects whose colors differ: the binding is the point.
    { category: 'geneval/attribute-binding', scenes, relations: false, draw: (rng) => drawUntil(rng, (r) => bound(scope).scene(r), (s) => twoOf(s) && s.objects[0].color !== s.objects[1].color) },
  ];
}

export const geneval: Suite = {
  name: 'geneval',
  summary: 'GenEval-style: single object, two objects, counting, colors, position, attribute binding',
  cases: (seed, scope, size = 1) => interleave(genevalCategories(scope, GENEVAL_SCENES * size).map((c) => imageCases(seed, c))),
};
