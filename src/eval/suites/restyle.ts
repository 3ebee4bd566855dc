/**
 * Restyle: an emoji scene redrawn in another emoji style (src/world/episodes/edits.ts sampleRestyle).
 * Scored on each emoji's style (the new one) and identity (kept).
 */
import { sampleRestyle } from '../../world/episodes/edits.ts';
import type { RestyleCase, Suite } from './eval-case.ts';
import { caseRandom, worldWith, type EvalScope } from './eval-world.ts';

const world = worldWith({ layouts: { single: 1, grid: 1, free: 0, count: 0 }, grids: [[1, 2, 1], [2, 2, 2]], objectKinds: { emoji: 1, shape: 0, text: 0 } });

export function restyleCases(seed: number, count: number, scope: EvalScope): RestyleCase[] {
  const sampler = world(scope);
  return Array.from({ length: count }, (_, i) => {
    const rng = caseRandom(seed, 'restyle', i);
    const source = sampler.scene(rng);
    const { target, instruction } = sampleRestyle(rng, source, sampler.stylesDrawing(source));
    return { id: `restyle/${i}`, suite: 'restyle', category: 'restyle', task: 'restyle', seed: rng.int(0, 2 ** 31 - 1), instruction, source, target };
  });
}

export const restyle: Suite = {
  name: 'restyle',
  summary: 'Restyle: the new emoji style is right and the content is kept',
  cases: (seed, scope, size = 1) => restyleCases(seed, 12 * size, scope),
};
