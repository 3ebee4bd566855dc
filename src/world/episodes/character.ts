import { en } from '../caption/lexicons/en.ts';
import { objectWords, type ConceptNames } from '../caption/object-names.ts';
import { describeScene } from '../caption/describe-scene.ts';
import type { Random } from '../random.ts';
import type { Scene, SceneObject } from '../scene/scene.ts';
import type { SceneSampler } from '../scene/sampler.ts';

/**
 * Character consistency: the same character (concept + colors + accessory) drawn alone, then placed
 * in a new scene. The second image must reuse the first one's look, which only the context tells.
 */
export function sampleCharacterTurns(rng: Random, sampler: SceneSampler, names: ConceptNames, base: Scene): { prompt: string; scene: Scene }[] {
  const character = sampler.emoji(rng, base.style);
  const intro: Scene = { ...base, layout: { kind: 'single' }, objects: [{ ...character, box: sampler.place({ x: 0.1, y: 0.1, w: 0.8, h: 0.8 }, 'nearest') } as SceneObject] };
  const description = en.object(objectWords(intro.objects[0], 'en', names, rng), rng.int(0, 5));
  const first = { prompt: rng.pick([`draw ${description}`, `${description}`, `make a character: ${description}`]), scene: intro };

  let second: Scene;
  let prompt: string;
  if (rng.chance(0.5)) {
    // Into a 2×2 grid at a named cell, with three new neighbours.
    const cell = { row: rng.int(0, 1), col: rng.int(0, 1) };
    const grid = sampler.grid(rng, base, 2, 2);
    grid.objects = grid.objects.map((o) => (o.cell!.row === cell.row && o.cell!.col === cell.col ? ({ ...character, cell, box: sampler.cellBox(cell, 2, 2) } as SceneObject) : o));
    const others = grid.objects.filter((o) => o.cell!.row !== cell.row || o.cell!.col !== cell.col);
    const rest = describeScene({ ...grid, objects: others, layout: { kind: 'free' } }, 'en', names, rng).replace(/^.*?style: /, '');
    prompt = `now put the same character in row ${cell.row + 1}, column ${cell.col + 1} of a 2 by 2 grid, with ${rest.split('; ').join(', ')} in the other cells`;
    second = grid;
  } else {
    // Beside a new object, left or right.
    const [a, b] = sampler.scatter(rng, 2, 0.3, 0.42).sort((p, q) => p.x - q.x);
    const friend = { ...sampler.object(rng, base.background, base.style), box: b } as SceneObject;
    const left = rng.chance(0.5);
    const objects = left ? [{ ...character, box: a }, { ...friend, box: b }] : [{ ...friend, box: a }, { ...character, box: b }];
    const friendText = en.object(objectWords(friend, 'en', names, rng), 0);
    prompt = `show the same character ${left ? 'to the left of' : 'to the right of'} ${friendText}`;
    second = { ...base, layout: { kind: 'free' }, objects: objects as SceneObject[] };
  }
  return [first, { prompt, scene: second }];
}
