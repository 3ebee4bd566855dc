import type { Random } from '../../world/random.ts';
import type { Scene } from '../../world/scene/scene.ts';
import type { ImageCase } from './eval-case.ts';
import { caption, caseRandom, promptLocales } from './eval-world.ts';

export interface ImageCategory {
  /** `<suite>/<name>`: the category, and the name of its seed stream. */
  category: string;
  /** Scenes drawn; each is prompted twice (English and another locale), so cases = 2 × scenes. */
  scenes: number;
  draw(rng: Random, index: number): Scene;
  /** Whether scene `index` is prompted with the long numbered-list caption (grids only). */
  long?(index: number): boolean;
  judge?: ImageCase['judge'];
  relations?: boolean;
}

/** Text -> image cases of one category: each scene with two prompts in two locales and phrasings. */
export function imageCases(seed: number, spec: ImageCategory): ImageCase[] {
  const [suite] = spec.category.split('/');
  const cases: ImageCase[] = [];
  for (let i = 0; i < spec.scenes; i++) {
    const rng = caseRandom(seed, spec.category, i);
    const scene = spec.draw(rng.fork(1), i);
    const words = rng.fork(2);
    for (const locale of promptLocales(i)) {
      const { text: prompt, namesStyle } = caption(scene, locale, words, spec.long?.(i) ?? false);
      cases.push({ id: `${spec.category}/${cases.length}`, suite, category: spec.category, task: 't2i', seed: words.int(0, 2 ** 31 - 1), prompt, locale, scene, namesStyle, ...(spec.judge ? { judge: spec.judge } : {}), ...(spec.relations === false ? { relations: false } : {}) });
    }
  }
  return cases;
}
