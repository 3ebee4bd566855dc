import { allConcepts, type Concept } from './concepts.ts';
import { withDistinctArtwork } from './distinct-artwork.ts';
import { STYLE_IDS } from './emoji-styles.ts';

/**
 * The default model's ~300 concepts. Chosen by rule, not by hand-listing 300 codes: concrete,
 * visually distinct subgroups, each capped, in emojibase order, among emoji that all five styles
 * draw; plus the concepts that the 16-object benchmark prompt names. People and symbols are left to
 * bigger models: at 32 px they are hard to tell apart. A style whose picture of a concept is another
 * concept's too is dropped from one of them (distinct-artwork.ts), so a concept may lack a style.
 */
const SUBGROUP_QUOTAS: Record<string, number> = {
  'animal-mammal': 40,
  'animal-bird': 12,
  'animal-marine': 10,
  'animal-bug': 8,
  'animal-reptile': 5,
  'animal-amphibian': 1,
  'plant-flower': 6,
  'plant-other': 6,
  'food-fruit': 16,
  'food-vegetable': 10,
  'food-prepared': 14,
  'food-sweet': 8,
  drink: 6,
  'transport-ground': 12,
  'transport-air': 6,
  'transport-water': 4,
  'sky-weather': 10,
  sport: 12,
  game: 6,
  event: 6,
  clothing: 14,
  'musical-instrument': 8,
  household: 8,
  tool: 10,
  'light-video': 4,
  office: 6,
  'book-paper': 4,
  'face-smiling': 8,
  'face-affection': 3,
  'cat-face': 2,
  'hand-fingers-closed': 3,
  'place-map': 3,
  'award-medal': 2,
};

/** Concepts the benchmark prompts need, always included. */
export const REQUIRED_CONCEPTS = ['cat-face', 'world-map', 'eyes', 'thumbs-up', 'scissors', 'giraffe', 'billed-cap', 'top-hat', 'crown', 'glasses', 'sunglasses', 'graduation-cap', 'ribbon'];

/**
 * Caption names for concepts whose emojibase label is not what people say. The first alias is the
 * preferred English name; the label stays an alternative.
 */
export const ENGLISH_ALIASES: Record<string, string[]> = {
  'cat-face': ['cat', 'cat face'],
  'dog-face': ['dog', 'dog face'],
  'billed-cap': ['baseball cap', 'cap'],
  'world-map': ['map', 'treasure map'],
  eyes: ['pair of googly eyes', 'googly eyes'],
  'thumbs-up': ['thumbs up emoji', 'thumbs up'],
  scissors: ['pair of scissors', 'scissors'],
  glasses: ['pair of glasses', 'glasses'],
};

let core: Concept[] | undefined;
let full: Concept[] | undefined;
let starter: Concept[] | undefined;

export function coreVocabulary(): Concept[] {
  if (core) return core;
  const complete = allConcepts().filter((c) => c.styles.length === STYLE_IDS.length);
  const taken = new Map<string, number>();
  const chosen = new Set<string>(REQUIRED_CONCEPTS);
  for (const concept of complete) {
    const quota = SUBGROUP_QUOTAS[concept.subgroup] ?? 0;
    const used = taken.get(concept.subgroup) ?? 0;
    if (used < quota) {
      chosen.add(concept.id);
      taken.set(concept.subgroup, used + 1);
    }
  }
  core = withDistinctArtwork(
    complete.filter((c) => chosen.has(c.id)),
    REQUIRED_CONCEPTS,
  );
  return core;
}

/**
 * The first curriculum step's 44 concepts: the benchmark prompts' concepts and the first core
 * concept of each subgroup. A 6M-parameter model that sees ~1,400 concept × style pictures a few
 * dozen times each learns their average blob; a few dozen pictures seen hundreds of times each is
 * what it can learn to draw first (the core vocabulary then grows from there).
 */
export function starterVocabulary(): Concept[] {
  if (starter) return starter;
  const chosen = new Set<string>(REQUIRED_CONCEPTS);
  const seen = new Set<string>();
  for (const concept of coreVocabulary()) {
    if (seen.has(concept.subgroup)) continue;
    seen.add(concept.subgroup);
    chosen.add(concept.id);
  }
  starter = coreVocabulary().filter((c) => chosen.has(c.id));
  return starter;
}

export type VocabularyName = 'starter' | 'core' | 'full';

/**
 * A named vocabulary: `starter` (the curriculum's first concepts), `core` (the default model) or
 * `full` (every concept all five styles draw, each picture once per style).
 */
export function vocabulary(name: VocabularyName): Concept[] {
  if (name === 'starter') return starterVocabulary();
  if (name === 'core') return coreVocabulary();
  full ??= withDistinctArtwork(
    allConcepts().filter((c) => c.styles.length === STYLE_IDS.length),
    REQUIRED_CONCEPTS,
  );
  return full;
}
