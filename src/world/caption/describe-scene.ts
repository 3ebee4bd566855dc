import { STYLES } from '../catalog/emoji-styles.ts';
import type { Locale } from '../catalog/concepts.ts';
import type { Random } from '../random.ts';
import type { Scene, SceneObject } from '../scene/scene.ts';
import type { Relation } from './lexicon.ts';
import { LEXICONS } from './locales.ts';
import { objectWords, type ConceptNames } from './object-names.ts';

/** How big a single object reads: only the extremes are worth a word. */
export function sizeWord(object: SceneObject): 'small' | 'large' | undefined {
  if (object.box.w <= 0.36) return 'small';
  if (object.box.w >= 0.75) return 'large';
  return undefined;
}

/** The dominant direction from b to a: "a is left of b". */
export function relationOf(a: SceneObject, b: SceneObject): Relation {
  const dx = a.box.x + a.box.w / 2 - (b.box.x + b.box.w / 2);
  const dy = a.box.y + a.box.h / 2 - (b.box.y + b.box.h / 2);
  if (Math.abs(dx) >= Math.abs(dy)) return dx < 0 ? 'left of' : 'right of';
  return dy < 0 ? 'above' : 'below';
}

function hasEmoji(scene: Scene): boolean {
  return scene.objects.some((o) => o.kind === 'emoji');
}

/** A caption, and which of the scene's facts that are not an object's own it states. */
export interface SceneCaption {
  text: string;
  /** Whether it names the scene's emoji style (a quarter of emoji captions do not: then any style is right). */
  namesStyle: boolean;
}

/**
 * One caption of a scene in a locale. `long` asks for the numbered-list form where the layout has one.
 * Every fact in the caption comes from the scene; nothing is invented.
 */
export function describeScene(scene: Scene, locale: Locale, names: ConceptNames, rng: Random, long = false): string {
  return captionScene(scene, locale, names, rng, long).text;
}

/** describeScene, saying also what the caption leaves open (the eval judges only what a prompt names). */
export function captionScene(scene: Scene, locale: Locale, names: ConceptNames, rng: Random, long = false): SceneCaption {
  const lex = LEXICONS[locale];
  const variant = rng.int(0, 5);
  const phrase = (o: SceneObject, withSize = false) => lex.object({ ...objectWords(o, locale, names, rng), ...(withSize ? { size: sizeWord(o) } : {}) }, rng.int(0, 5));
  const background = scene.background === 'white' && !long && rng.chance(0.6) ? undefined : lex.backgrounds[scene.background];
  let caption: string;
  switch (scene.layout.kind) {
    case 'single':
      caption = lex.single(phrase(scene.objects[0], true), background, variant);
      break;
    case 'grid': {
      const { rows, cols } = scene.layout;
      const items = scene.objects.map((o) => phrase(o));
      const useLong = long || (items.length >= 9 && rng.chance(0.5));
      caption = useLong ? lex.gridLong(rows, cols, items, lex.backgrounds[scene.background], variant) : lex.gridShort(rows, cols, items, background, variant);
      break;
    }
    case 'free': {
      const objects = scene.objects;
      const clauses = objects.slice(1).map((o, i) => [phrase(o), relationOf(o, objects[i]), phrase(objects[i])] as [string, Relation, string]);
      caption = lex.relations(clauses, variant);
      if (background) caption = lex.single(caption, background, 0);
      break;
    }
    case 'count': {
      const words = objectWords(scene.objects[0], locale, names, rng);
      caption = lex.single(lex.count(scene.layout.count, words, variant), background, 0);
      break;
    }
  }
  const namesStyle = hasEmoji(scene) && rng.chance(0.75);
  return { text: namesStyle ? lex.inStyle(caption, STYLES[scene.style].displayName, variant) : caption, namesStyle };
}
