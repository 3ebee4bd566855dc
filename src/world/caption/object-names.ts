import { ACCESSORIES, type AccessoryId } from '../catalog/accessories.ts';
import { conceptById, type Concept, type Locale } from '../catalog/concepts.ts';
import { ENGLISH_ALIASES } from '../catalog/core-vocabulary.ts';
import type { Random } from '../random.ts';
import type { SceneObject } from '../scene/scene.ts';
import type { ObjectWords } from './lexicon.ts';
import { LEXICONS } from './locales.ts';

/**
 * Names an emoji concept may go by in captions: its aliases and emojibase label, plus emojibase
 * keywords that belong to this concept alone within the vocabulary (so a name never points at two
 * different things).
 */
export class ConceptNames {
  private readonly uniqueKeywords = new Map<string, Record<string, string[]>>();

  constructor(concepts: Concept[]) {
    for (const locale of Object.keys(LEXICONS) as Locale[]) {
      const owners = new Map<string, Set<string>>();
      const claim = (word: string, id: string) => owners.set(word, (owners.get(word) ?? new Set()).add(id));
      // Color, shape and pattern words are taken: "orange" must never name the fruit.
      const lex = LEXICONS[locale];
      for (const word of [...Object.values(lex.colors), ...Object.values(lex.shapes), ...Object.values(lex.patterns)]) {
        claim(word.toLowerCase(), '#attribute');
        claim(word.toLowerCase(), '#attribute-word');
      }
      for (const c of concepts) {
        claim(c.names[locale].toLowerCase(), c.id);
        for (const k of c.keywords[locale]) claim(k.toLowerCase(), c.id);
      }
      for (const c of concepts) {
        const unique = c.keywords[locale].filter((k) => owners.get(k.toLowerCase())!.size === 1 && k.length > 2);
        const entry = this.uniqueKeywords.get(c.id) ?? {};
        entry[locale] = unique;
        this.uniqueKeywords.set(c.id, entry);
      }
    }
  }

  /** The preferred name (variant 0) or an alternative. */
  name(concept: Concept, locale: Locale, rng?: Random): string {
    const preferred = locale === 'en' ? (ENGLISH_ALIASES[concept.id] ?? [concept.names.en]) : [concept.names[locale]];
    if (!rng || rng.chance(0.7)) return preferred[0];
    const alternatives = [...preferred, concept.names[locale], ...(this.uniqueKeywords.get(concept.id)?.[locale] ?? [])];
    return rng.pick(alternatives);
  }
}

const NUMBER = /^[\d.]+$/;

/** An object's words in one locale. With no rng, the canonical phrasing (for questions, tests). */
export function objectWords(object: SceneObject, locale: Locale, names: ConceptNames, rng?: Random): ObjectWords {
  const lex = LEXICONS[locale];
  const variant = rng ? rng.int(0, 5) : 0;
  const base = { color: object.color, color2: object.color2, pattern: object.pattern };
  if (object.kind === 'shape') return { ...base, kind: 'shape', name: lex.shapes[object.shape] };
  if (object.kind === 'text') return { ...base, kind: 'text', face: object.face, name: lex.textName(object.text, NUMBER.test(object.text), variant) };
  const concepts = conceptById();
  const words: ObjectWords = { ...base, kind: 'emoji', name: names.name(concepts.get(object.concept)!, locale, rng) };
  if (object.accessory) {
    const accessory = concepts.get(object.accessory.concept)!;
    const name = locale === 'en' ? ACCESSORIES[object.accessory.concept as AccessoryId].names.en : accessory.names[locale];
    words.accessory = { name, color: object.accessory.color };
  }
  return words;
}
