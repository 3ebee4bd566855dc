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

/**
 * `box` on a lattice of `lattice` cells per image side (16 at 128 px: the VQ's 8 px codes), so that an
 * object drawn anywhere on it covers the same codes the same way. 'inward' keeps the snapped box
 * inside the original (margins and non-overlap survive); 'nearest' rounds, keeping sizes (a single
 * object's "large" stays large). The sides' difference stays even, so an emoji centered in a
 * non-square box sits on the lattice too. A box too small to hold one lattice cell is left as is.
 */
export function snapBox(box: Box, lattice: number, mode: 'inward' | 'nearest'): Box {
  const eps = 1e-9;
  let x0: number, y0: number, w: number, h: number;
  if (mode === 'inward') {
    x0 = Math.ceil(box.x * lattice - eps);
    y0 = Math.ceil(box.y * lattice - eps);
    w = Math.floor((box.x + box.w) * lattice + eps) - x0;
    h = Math.floor((box.y + box.h) * lattice + eps) - y0;
  } else {
    w = Math.round(box.w * lattice);
    h = Math.round(box.h * lattice);
    x0 = Math.min(Math.round(box.x * lattice), lattice - w); // kept inside the image
    y0 = Math.min(Math.round(box.y * lattice), lattice - h);
  }
  if (w < 1 || h < 1 || x0 < 0 || y0 < 0) return box;
  if ((w - h) % 2 !== 0) {
    if (w > h) w--;
    else h--;
  }
  return { x: x0 / lattice, y: y0 / lattice, w: w / lattice, h: h / lattice };
}

/** The box of a grid cell, with a margin so neighbours never touch. */
export function cellBox(cell: Cell, rows: number, cols: number, margin = 0.08): Box {
  const w = 1 / cols;
  const h = 1 / rows;
  return { x: cell.col * w + margin * w, y: cell.row * h + margin * h, w: w * (1 - 2 * margin), h: h * (1 - 2 * margin) };
}
