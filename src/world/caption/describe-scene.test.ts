import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../random.ts';
import { SceneSampler } from '../scene/sampler.ts';
import { FULL_WORLD } from '../scene/world-config.ts';
import { coreVocabulary, ENGLISH_ALIASES } from '../catalog/core-vocabulary.ts';
import { conceptById, LOCALES } from '../catalog/concepts.ts';
import { en } from './lexicons/en.ts';
import { ConceptNames } from './object-names.ts';
import { describeScene } from './describe-scene.ts';
import type { SceneObject } from '../scene/scene.ts';

const names = new ConceptNames(coreVocabulary());
const concepts = conceptById();

/** Words any correct English caption must use for an object (one of them, for emoji names). */
function mustMention(o: SceneObject): { any: string[]; all: string[] } {
  const all: string[] = [];
  if (o.color && o.pattern !== 'rainbow' && o.pattern !== 'tie-dye') all.push(en.colors[o.color]);
  if (o.color2 && o.pattern !== 'rainbow' && o.pattern !== 'tie-dye') all.push(en.colors[o.color2]);
  if (o.kind === 'text') return { any: [`${o.text}`], all };
  if (o.kind === 'shape') return { any: [en.shapes[o.shape]], all };
  const c = concepts.get(o.concept)!;
  return { any: [...(ENGLISH_ALIASES[c.id] ?? []), c.names.en, ...c.keywords.en].map((s) => s.toLowerCase()), all };
}

test('English captions name every object with its attributes, grids in reading order', () => {
  const sampler = new SceneSampler(FULL_WORLD);
  let grids = 0;
  for (let seed = 0; seed < 400; seed++) {
    const scene = sampler.scene(new Random(seed));
    const caption = describeScene(scene, 'en', names, new Random(seed + 1000), scene.layout.kind === 'grid').toLowerCase();
    let cursor = -1;
    const objects = scene.layout.kind === 'count' ? [scene.objects[0]] : scene.objects;
    for (const o of objects) {
      const { any, all } = mustMention(o);
      const found = any.map((n) => caption.indexOf(n.toLowerCase(), scene.layout.kind === 'grid' ? cursor + 1 : 0)).filter((p) => p >= 0);
      assert.ok(found.length > 0, `seed ${seed}: caption "${caption}" lacks any of ${JSON.stringify(any)}`);
      for (const word of all) assert.ok(caption.includes(word), `seed ${seed}: caption "${caption}" lacks "${word}"`);
      if (scene.layout.kind === 'grid') cursor = Math.min(...found);
    }
    if (scene.layout.kind === 'grid') {
      grids++;
      assert.ok(caption.includes(`${scene.layout.rows} row`) || caption.includes(`${scene.layout.rows} rows`), caption);
      assert.ok(caption.includes('left to right, top to bottom'), caption);
    }
    if (scene.layout.kind === 'count') {
      const n = scene.layout.count;
      const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
      assert.ok(caption.includes(String(n)) || caption.includes(words[n]), `seed ${seed}: "${caption}" lacks the count ${n}`);
    }
  }
  assert.ok(grids > 50);
});

test('every locale captions every layout without placeholders', () => {
  const sampler = new SceneSampler(FULL_WORLD);
  for (let seed = 0; seed < 100; seed++) {
    const scene = sampler.scene(new Random(seed));
    for (const locale of LOCALES) {
      const caption = describeScene(scene, locale, names, new Random(seed), seed % 2 === 0);
      assert.ok(caption.length > 3, `${locale} seed ${seed}`);
      assert.doesNotMatch(caption, /undefined|NaN|\[object/, `${locale} seed ${seed}: ${caption}`);
    }
  }
});
