import type { BackgroundName, ColorName } from '../catalog/colors.ts';
import type { StyleId } from '../catalog/emoji-styles.ts';
import type { FontFace, Script } from '../catalog/fonts.ts';
import type { PatternName } from '../catalog/patterns.ts';
import type { ShapeName } from '../catalog/shapes.ts';

/**
 * The ground truth of one image. Everything a caption says, and everything the verifier checks,
 * comes from here; the renderer draws exactly this and nothing else.
 */
export interface Scene {
  /** Image side in pixels. */
  size: number;
  background: BackgroundName;
  /** The emoji style of every emoji object that does not name its own. */
  style: StyleId;
  layout: Layout;
  objects: SceneObject[];
}

export type Layout =
  | { kind: 'single' }
  /** Objects fill the grid row-major, left to right, top to bottom; `objects[i].cell` says where. */
  | { kind: 'grid'; rows: number; cols: number }
  /** Objects placed freely; captions describe them by relations. */
  | { kind: 'free' }
  /** `count` copies of one thing, scattered. */
  | { kind: 'count'; count: number };

/** A box in fractions of the image side: x, y of the top-left corner, then width and height. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Cell {
  row: number;
  col: number;
}

interface ObjectBase {
  box: Box;
  cell?: Cell;
  /** Fill or recolor. For emoji, absent means the original colors. */
  color?: ColorName;
  /** Second color of two-color patterns and of two-color recolors ("blue and white"). */
  color2?: ColorName;
  pattern?: PatternName;
}

export interface EmojiObject extends ObjectBase {
  kind: 'emoji';
  /** Concept id, e.g. "cat-face". */
  concept: string;
  /** Overrides the scene's style. */
  style?: StyleId;
  /** Something worn on the head or face, itself an emoji concept, optionally recolored. */
  accessory?: Accessory;
}

export interface Accessory {
  concept: string;
  color?: ColorName;
}

export interface ShapeObject extends ObjectBase {
  kind: 'shape';
  shape: ShapeName;
}

export interface TextObject extends ObjectBase {
  kind: 'text';
  text: string;
  face: FontFace;
  script: Script;
}

export type SceneObject = EmojiObject | ShapeObject | TextObject;

/** The box of a grid cell, with a margin so neighbours never touch. */
export function cellBox(cell: Cell, rows: number, cols: number, margin = 0.08): Box {
  const w = 1 / cols;
  const h = 1 / rows;
  return { x: cell.col * w + margin * w, y: cell.row * h + margin * h, w: w * (1 - 2 * margin), h: h * (1 - 2 * margin) };
}
