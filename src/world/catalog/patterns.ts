/** Fills for shapes, text and recolored emoji. Two-color patterns take the object's color pair. */
export const PATTERN_NAMES = ['solid', 'striped', 'polka-dot', 'checkered', 'gradient', 'rainbow', 'tie-dye'] as const;
export type PatternName = (typeof PATTERN_NAMES)[number];

/** Patterns that need a second color ("black and white polka dot"). */
export const TWO_COLOR_PATTERNS: readonly PatternName[] = ['striped', 'polka-dot', 'checkered', 'gradient'];

/** Patterns whose colors are fixed, so a color word would contradict them. */
export const FIXED_COLOR_PATTERNS: readonly PatternName[] = ['rainbow', 'tie-dye'];

export const RAINBOW: readonly (readonly [number, number, number])[] = [
  [228, 3, 3],
  [255, 140, 0],
  [255, 237, 0],
  [0, 128, 38],
  [36, 64, 142],
  [115, 41, 130],
];
