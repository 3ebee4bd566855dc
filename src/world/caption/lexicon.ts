import type { BackgroundName, ColorName } from '../catalog/colors.ts';
import type { FontFace } from '../catalog/fonts.ts';
import type { PatternName } from '../catalog/patterns.ts';
import type { ShapeName } from '../catalog/shapes.ts';

/** An object as a caption sees it: its name already chosen, its attributes as words to phrase. */
export interface ObjectWords {
  /** The noun phrase of the thing itself ("cat", "star", or a quoted word for text). */
  name: string;
  kind: 'emoji' | 'shape' | 'text';
  color?: ColorName;
  color2?: ColorName;
  pattern?: PatternName;
  /** Text objects: the font face. */
  face?: FontFace;
  /** Accessory noun and optional color. */
  accessory?: { name: string; color?: ColorName };
  size?: 'small' | 'large';
}

export type Relation = 'left of' | 'right of' | 'above' | 'below';

/**
 * The words and grammar of one caption language. Phrasings are chosen with `variant`, an integer
 * the caller draws, so that every locale offers several ways to say the same scene.
 */
export interface Lexicon {
  colors: Record<ColorName, string>;
  backgrounds: Record<BackgroundName, string>;
  shapes: Record<ShapeName, string>;
  patterns: Record<PatternName, string>;
  faces: Record<FontFace, string>;
  /** A described object ("a blue and white giraffe", `the word "OpenAI" written in cursive`). */
  object(o: ObjectWords, variant: number): string;
  /** A text object's name ("the word "hi"", "the number 42"). */
  textName(text: string, isNumber: boolean, variant: number): string;
  single(object: string, background: string | undefined, variant: number): string;
  /** Short grid caption: dimensions plus items in reading order. */
  gridShort(rows: number, cols: number, items: string[], background: string | undefined, variant: number): string;
  /** The long numbered-list caption. */
  gridLong(rows: number, cols: number, items: string[], background: string, variant: number): string;
  count(n: number, object: ObjectWords, variant: number): string;
  /** Free placement: a list of "A left of B" clauses. */
  relations(clauses: [string, Relation, string][], variant: number): string;
  /** A style suffix (", in Twemoji style"). */
  inStyle(caption: string, style: string, variant: number): string;
}

/** Joins items as "a, b and c" with the locale's conjunction. */
export function joinList(items: string[], and: string, comma = ', '): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(comma)} ${and} ${items[items.length - 1]}`;
}
