/**
 * Dense instructions: 2×2, 3×3 and 4×4 grids of the full world, the 16-object prompt of
 * examples/sixteen-objects.json, and a stretch category of 8×8 = 64 objects. Scored cell by cell.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../world/catalog/package-root.ts';
import type { Scene } from '../../world/scene/scene.ts';
import { validateScene } from '../../world/scene/validate.ts';
import type { Suite } from './eval-case.ts';
import { interleave, worldWith, type EvalScope } from './eval-world.ts';
import { imageCases, type ImageCategory } from './image-cases.ts';

const world = worldWith({});

let sixteen: Scene | undefined;
/** The fixed 16-object 4×4 scene of the README's example. */
export function sixteenObjects(): Scene {
  if (!sixteen) {
    sixteen = JSON.parse(readFileSync(join(PROJECT_ROOT, 'examples/sixteen-objects.json'), 'utf8')) as Scene;
    validateScene(sixteen);
  }
  return sixteen;
}

function grid(side: number, scenes: number, scope: EvalScope): ImageCategory {
  const sampler = world(scope);
  return {
    category: `dense/${side}x${side}`,
    scenes,
    draw: (rng) => {
      // Background and style as the world picks them for any scene.
      const { size, background, style } = sampler.scene(rng.fork(3));
      return sampler.grid(rng, { size, background, style }, side, side);
    },
    // Short and long captions in turn: the world writes both for grids.
    long: (i) => i % 2 === 1,
  };
}

export const dense: Suite = {
  name: 'dense',
  summary: 'Dense instructions: 2×2, 3×3, 4×4 grids, the 16-object prompt, 8×8 (stretch), scored cell by cell',
  cases: (seed, scope, size = 1) =>
    interleave([
      imageCases(seed, grid(2, 6 * size, scope)),
      imageCases(seed, grid(3, 6 * size, scope)),
      imageCases(seed, grid(4, 6 * size, scope)),
      // One scene, many phrasings: every case draws its own caption of it.
      imageCases(seed, { category: 'dense/sixteen-objects', scenes: 4 * size, draw: () => sixteenObjects(), long: (i) => i % 2 === 0 }),
      imageCases(seed, grid(8, 3 * size, scope)),
    ]),
};
