import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../random.ts';
import { SceneSampler } from '../scene/sampler.ts';
import { FULL_WORLD } from '../scene/world-config.ts';
import { coreVocabulary, ENGLISH_ALIASES } from '../catalog/core-vocabulary.ts';
import { conceptById, LOCALES } from '../catalog/concepts.ts';
import { en } from './lexicons/en.ts';
import { ConceptNames } from './object-names.ts';
import { captionScene, describeScene } from './describe-scene.ts';
import { STYLES } from '../catalog/emoji-styles.ts';
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

test('a caption says whether it names the emoji style, and draws the same words as describeScene', () => {
  const sampler = new SceneSampler(FULL_WORLD);
  const seen = { named: 0, open: 0 };
  for (let seed = 0; seed < 200; seed++) {
    const scene = sampler.scene(new Random(seed));
    for (const locale of ['en', 'de', 'ja'] as const) {
      const { text, namesStyle } = captionScene(scene, locale, names, new Random(seed + 7));
      assert.equal(text, describeScene(scene, locale, names, new Random(seed + 7)));
      const hasEmoji = scene.objects.some((o) => o.kind === 'emoji');
      if (!hasEmoji) assert.equal(namesStyle, false, `seed ${seed}: no emoji, no style to name`);
      // Style names are brands, spelled the same in every locale.
      if (namesStyle) assert.ok(text.includes(STYLES[scene.style].displayName), `seed ${seed} ${locale}: "${text}"`);
      if (hasEmoji) seen[namesStyle ? 'named' : 'open']++;
    }
  }
  assert.ok(seen.named > seen.open && seen.open > 20, JSON.stringify(seen));
});
