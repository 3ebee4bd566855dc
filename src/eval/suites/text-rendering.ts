/**
 * Text rendering: one word or number, in Latin and in each other script the world writes
 * (Cyrillic, Greek, CJK, Arabic, Devanagari). Scored on the word read: spelling is the point;
 * its color and fill are reported by the verifier's attributes but do not decide.
 */
import { SCRIPTS, type Script } from '../../world/catalog/fonts.ts';
import type { Suite } from './eval-case.ts';
import { interleave, worldWith } from './eval-world.ts';
import { imageCases } from './image-cases.ts';

const writer = (script: Script) =>
  worldWith({ layouts: { single: 1, grid: 0, free: 0, count: 0 }, objectKinds: { emoji: 0, shape: 0, text: 1 }, scripts: { [script]: 1 } });

const OTHER_SCRIPTS = SCRIPTS.filter((s) => s !== 'latin');
const writers = Object.fromEntries(SCRIPTS.map((s) => [s, writer(s)])) as Record<Script, ReturnType<typeof writer>>;

export const textRendering: Suite = {
  name: 'text',
  summary: 'Text rendering: a word or number in Latin and in the other scripts',
  cases: (seed, scope, size = 1) =>
    interleave([
      imageCases(seed, { category: 'text/latin', scenes: 8 * size, judge: 'identity', draw: (rng) => writers.latin(scope).scene(rng) }),
      // The other scripts in turn, so that any prefix of the cases covers several.
      imageCases(seed, { category: 'text/other-scripts', scenes: 10 * size, judge: 'identity', draw: (rng, i) => writers[OTHER_SCRIPTS[i % OTHER_SCRIPTS.length]](scope).scene(rng) }),
    ]),
};

