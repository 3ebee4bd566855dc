import type { AccessoryId } from '../../world/catalog/accessories.ts';
import type { StyleId } from '../../world/catalog/emoji-styles.ts';
import { BLOCK_SIZES, dot, type BlockName, type Features } from './features.ts';
import type { Reference, ReferenceBank } from './reference-bank.ts';

export type ObjectKind = 'emoji' | 'shape' | 'text' | 'empty';

export interface Candidate {
  kind: Exclude<ObjectKind, 'empty'>;
  label: string;
  style?: StyleId;
  accessory?: AccessoryId;
  font?: string;
  /** Similarity to the closest reference of this label, about -1 to 1. */
  score: number;
}

export interface Identity {
  kind: ObjectKind;
  /** Concept id, shape name or text; '' for an empty cell. */
  label: string;
  style?: StyleId;
  accessory?: AccessoryId;
  font?: string;
  score: number;
  /** Best few distinct labels, best first. */
  top: Candidate[];
}

/**
 * How an object is painted, which decides what of it can be compared:
 *   original  an emoji in its own colors: its drawing and its colors
 *   solid     recolored to one or two colors, or a shape or word filled with one: its drawing
 *             (silhouette, edges, standardized luminance)
 *   pattern   filled with a pattern: only its silhouette and its darkest strokes survive
 */
export type Paint = 'original' | 'solid' | 'pattern';

/**
 * What the caller already knows about how the object is drawn (checkObject knows the expected
 * paint and accessory). Hints pick how every candidate is compared; they favour no label.
 */
export interface Hints {
  paint?: Paint;
  /** The accessory worn; null when none. Absent: unknown. */
  accessory?: AccessoryId | null;
}

/** Weights of the block cosines, and the handicaps of the less specific paints when the paint is unknown. */
export interface Scoring {
  mask: number;
  grad: number;
  lum: number;
  /** Subtracted from 'solid' scores when the paint is unknown, so that an emoji in its own colors prefers a plain match. */
  solidMargin: number;
  /** Subtracted from 'pattern' scores: silhouettes alone match loosely. */
  patternMargin: number;
  /**
   * Added to shape scores. A plain square and a square-ish emoji (a window) can look the same; the
   * simpler reading wins, as a person would name it.
   */
  shapeBonus: number;
  /** Weight of the word-strip block when comparing text references. */
  text: number;
  /** References are compared when their feature side is within this factor of the query's. */
  sideRatio: number;
  /** Below this foreground share a crop is empty. */
  emptyInk: number;
}

export const DEFAULT_SCORING: Scoring = { mask: 1, grad: 1, lum: 1, solidMargin: 0.05, patternMargin: 0.1, shapeBonus: 0.02, text: 0.5, sideRatio: 1.5, emptyInk: 0.01 };

export function classifyFeatures(bank: ReferenceBank, q: Features, dark: boolean, hints: Hints = {}, scoring: Scoring = DEFAULT_SCORING): Identity {
  if (q.ink < scoring.emptyInk) return { kind: 'empty', label: '', score: 1, top: [] };
  const best = new Map<string, Candidate>();
  const wDrawing = scoring.mask + scoring.grad + scoring.lum;
  const qDark = squaredLength(q.dark);
  const qChroma = squaredLength(q.chroma);
  for (const r of candidateRows(bank, q, dark, hints, scoring.sideRatio)) {
    const ref = bank.refs[r];
    const cm = cosine(bank, 'mask', r, q);
    const reading = (score: number) => (ref.kind === 'text' ? (1 - scoring.text) * score + scoring.text * cosine(bank, 'text', r, q) : score);
    const drawing = () => reading((scoring.mask * cm + scoring.grad * cosine(bank, 'grad', r, q) + scoring.lum * cosine(bank, 'lum', r, q)) / wDrawing);
    const pattern = () => reading((cm + closeness(bank, 'dark', r, q, qDark)) / 2);
    let score: number;
    if (ref.kind === 'emoji' && hints.paint === 'original') score = (drawing() + closeness(bank, 'chroma', r, q, qChroma)) / 2;
    else if (hints.paint === 'original' || hints.paint === 'solid') score = drawing();
    else if (hints.paint === 'pattern') score = pattern();
    else {
      score = Math.max(drawing() - scoring.solidMargin, pattern() - scoring.patternMargin);
      if (ref.kind === 'emoji') score = Math.max(score, (drawing() + closeness(bank, 'chroma', r, q, qChroma)) / 2);
    }
    if (ref.kind === 'shape') score += scoring.shapeBonus;
    const key = `${ref.kind}:${ref.label}`;
    const seen = best.get(key);
    if (!seen || score > seen.score) best.set(key, toCandidate(ref, score));
  }
  const top = [...best.values()].sort((a, b) => b.score - a.score).slice(0, 5);
  if (top.length === 0) return { kind: 'empty', label: '', score: 0, top };
  return { ...top[0], top };
}

/**
 * 1 − ½‖q − r‖² for blocks that are not scaled to unit length (dark strokes, chroma): two empty
 * blocks agree fully (1), like two equal ones; an empty one and a full one agree half (0.5).
 */
function closeness(bank: ReferenceBank, block: 'dark' | 'chroma', row: number, q: Features, qSquared: number): number {
  return 1 - (qSquared + bankSquaredLength(bank, block, row) - 2 * cosine(bank, block, row, q)) / 2;
}

const squaredLengths = new WeakMap<Float32Array, Float32Array>();

function bankSquaredLength(bank: ReferenceBank, block: 'dark' | 'chroma', row: number): number {
  let lengths = squaredLengths.get(bank.blocks[block]);
  if (!lengths) {
    const n = BLOCK_SIZES[block];
    lengths = new Float32Array(bank.refs.length);
    for (let r = 0; r < bank.refs.length; r++) lengths[r] = dot(bank.blocks[block], r * n, bank.blocks[block], r * n, n);
    squaredLengths.set(bank.blocks[block], lengths);
  }
  return lengths[row];
}

function squaredLength(v: Float32Array): number {
  return dot(v, 0, v, 0, v.length);
}

function toCandidate(ref: Reference, score: number): Candidate {
  return {
    kind: ref.kind,
    label: ref.label,
    ...(ref.style ? { style: ref.style } : {}),
    ...(ref.accessory ? { accessory: ref.accessory } : {}),
    ...(ref.font ? { font: ref.font } : {}),
    score,
  };
}

/** Rows drawn at about the query's size, on the query's kind of background (dark matters for emoji only). */
function candidateRows(bank: ReferenceBank, q: Features, dark: boolean, hints: Hints, ratio: number): number[] {
  const rows: number[] = [];
  const lo = q.side / ratio;
  const hi = q.side * ratio;
  for (let r = 0; r < bank.refs.length; r++) {
    const ref = bank.refs[r];
    if (ref.side < lo || ref.side > hi) continue;
    if (ref.dark !== dark && !ref.accessory) continue;
    if (ref.kind === 'emoji' && hints.accessory !== undefined && (ref.accessory ?? null) !== hints.accessory) continue;
    rows.push(r);
  }
  return rows;
}

function cosine(bank: ReferenceBank, block: BlockName, row: number, q: Features): number {
  const n = BLOCK_SIZES[block];
  return dot(bank.blocks[block], row * n, q[block], 0, n);
}
