import type { AccessoryId } from '../../world/catalog/accessories.ts';
import type { StyleId } from '../../world/catalog/emoji-styles.ts';
import { BLOCK_SIZES, type BlockName, type Features } from './features.ts';
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
 *   original  an emoji in its own colors: its drawing and its colors, against references in their
 *             own colors
 *   solid     recolored to one color, or a shape or word filled with one: its drawing (silhouette,
 *             edges, standardized luminance up to its sign: a light fill on a darker background
 *             flips it), against gray-recolored references
 *   two-tone  recolored to two colors, split at the emoji's median luminance: silhouette and the
 *             two-tone map, against references recolored blue and yellow
 *   dark-half two-tone whose second color, the lighter half's, is the page's (white on white): only
 *             the darker half shows, compared as two-tone against references recolored blue and
 *             white on white
 *   pattern   filled with a pattern: only its silhouette and its darkest strokes survive
 */
export type Paint = 'original' | 'solid' | 'two-tone' | 'dark-half' | 'pattern';

/**
 * What the caller already knows about how the object is drawn (checkObject knows the expected
 * paint). Hints pick how every candidate is compared; they favour no label.
 */
export interface Hints {
  paint?: Paint;
  /**
   * The fill has dark colors of its own (black, or the rainbow's dark bands), which would pass for the
   * dark strokes of a pattern-filled emoji: such patterns are compared by silhouette alone.
   */
  darkFill?: boolean;
  /**
   * Whether the object wears an accessory. A bare one is not compared with wearers under a hat: in a
   * 13 px cell a fill's top band or a round head passes for a cap, and every label keeps its bare
   * references. Unknown (classifyCell alone): both compete.
   */
  worn?: boolean;
  /**
   * The emoji style the object is drawn in (the scene says). Which concept is read among references
   * of that style only: in a 13 px cell, Fluent's flat and 3D drawings of two animals, or one style's
   * folder and another's train, are closer than one concept's drawings in two styles. The style is
   * still read, over all styles: the style of the read concept's closest reference.
   */
  style?: StyleId;
}

/** Weights of the block cosines, and the handicaps of the less specific paints when the paint is unknown. */
export interface Scoring {
  mask: number;
  grad: number;
  lum: number;
  /** Subtracted from 'solid' scores when the paint is unknown, so that an emoji in its own colors prefers a plain match. */
  solidMargin: number;
  /** Subtracted from 'pattern' scores when the paint is unknown: silhouettes alone match loosely. */
  patternMargin: number;
  /**
   * Added to shape scores. A plain square and a square-ish emoji (a window) can look the same; the
   * simpler reading wins, as a person would name it.
   */
  shapeBonus: number;
  /**
   * Under a two-tone paint, shapes and words (one fill) are compared by the tone map too, as every
   * emoji candidate is, when the crop's tones lie at least this far apart (`Features.toneSpread`, RGB
   * units): it shows two colors, which no one-fill reference has. Nearer, the crop looks like one fill
   * and they compete by their drawing. Through the VQ one fill spreads 7–32, two-color recolors 32–174
   * (median 113; session 30).
   */
  twoToneSpread: number;
  /** Weight of the word strip when choosing among words (the kind is chosen without it). */
  text: number;
  /** References are compared when their feature side is within this factor of the query's. */
  sideRatio: number;
  /** Sides above this compare as equal: 32 px features of large drawings no longer change with size. */
  largeSide: number;
  /** Below this foreground share a crop is empty. */
  emptyInk: number;
  /**
   * References kept, by silhouette, for the full comparison. Each label has dozens of references
   * (styles, paints, what it wears, sizes, pages), so a short list fills with look-alikes: at 600 a
   * face on a page close to its own color (its silhouette partly lost) dropped its own references.
   */
  shortlist: number;
}

export const DEFAULT_SCORING: Scoring = {
  mask: 1,
  grad: 1,
  lum: 1,
  solidMargin: 0.05,
  patternMargin: 0.1,
  shapeBonus: 0.02,
  twoToneSpread: 40,
  text: 0.5,
  sideRatio: 1.5,
  largeSide: 40,
  emptyInk: 0.01,
  shortlist: 2500,
};

export function classifyFeatures(bank: ReferenceBank, q: Features, dark: boolean, hints: Hints = {}, scoring: Scoring = DEFAULT_SCORING): Identity {
  if (q.ink < scoring.emptyInk) return { kind: 'empty', label: '', score: 1, top: [] };
  const cos = (block: BlockName, r: number) => cosine(bank, block, r, q[block]);
  const qDark = dotF(q.dark, q.dark);
  const qLum = dotF(q.lum, q.lum);
  const qChroma = dotF(q.chroma, q.chroma);
  const wDrawing = scoring.mask + scoring.grad + scoring.lum;
  const twoTones = q.toneSpread >= scoring.twoToneSpread;
  // Silhouettes first: every comparison leans on them, so the rest is spent on the closest few.
  const rows = candidateRows(bank, q, dark, hints, scoring);
  const masks = new Float32Array(bank.refs.length);
  for (const r of rows) masks[r] = cos('mask', r);
  if (rows.length > scoring.shortlist) rows.sort((a, b) => masks[b] - masks[a]).length = scoring.shortlist;
  const best = new Map<string, Candidate>();
  const words = new Map<string, Candidate>();
  /** Per emoji label, its closest reference in any style: what the style is read from. */
  const styleOf = new Map<string, { style: StyleId; score: number }>();
  for (const r of rows) {
    const ref = bank.refs[r];
    const cm = masks[r];
    const drawing = () => (scoring.mask * cm + scoring.grad * cos('grad', r) + scoring.lum * closeness(bank, 'lum', r, q.lum, qLum, true)) / wDrawing;
    const pattern = () => (hints.darkFill ? cm : (cm + closeness(bank, 'dark', r, q.dark, qDark)) / 2);
    const twoTone = () => (cm + cos('grad', r) + Math.abs(cos('tone', r))) / 3;
    let score: number;
    switch (comparison(ref, hints.paint, twoTones)) {
      case 'original':
        score = (drawing() + closeness(bank, 'chroma', r, q.chroma, qChroma)) / 2;
        break;
      case 'drawing':
        score = drawing();
        break;
      case 'two-tone':
        score = twoTone() - (hints.paint ? 0 : scoring.solidMargin);
        break;
      case 'pattern':
        score = pattern();
        break;
      case 'any':
        score = Math.max(drawing() - scoring.solidMargin, pattern() - scoring.patternMargin);
    }
    if (ref.kind === 'shape') score += scoring.shapeBonus;
    const key = `${ref.kind}:${ref.label}`;
    if (ref.style && !((styleOf.get(key)?.score ?? -Infinity) >= score)) styleOf.set(key, { style: ref.style, score });
    if (hints.style && ref.style && ref.style !== hints.style) continue;
    const seen = best.get(key);
    if (!seen || score > seen.score) best.set(key, toCandidate(ref, score));
    // Which word: the silhouette says "a word"; the letters, in the word strip, say which.
    if (ref.kind === 'text') {
      const read = (1 - scoring.text) * score + scoring.text * cos('text', r);
      const seenWord = words.get(ref.label);
      if (!seenWord || read > seenWord.score) words.set(ref.label, toCandidate(ref, read));
    }
  }
  let top = [...best.values()]
    .sort((a, b) => b.score - a.score)
    .slice(0, 5)
    .map((c) => (c.style ? { ...c, style: styleOf.get(`${c.kind}:${c.label}`)!.style } : c));
  if (top.length === 0) return { kind: 'empty', label: '', score: 0, top };
  if (top[0].kind === 'text') top = [...words.values()].sort((a, b) => b.score - a.score).slice(0, 5);
  return { ...top[0], top };
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

/**
 * References worth comparing: drawn at about the query's size, on its kind of background (wearers
 * and two-tone emoji are drawn on white only), in a paint the hint allows (an emoji in its own colors
 * is compared with references in their own colors, a recolored or patterned one with recolored
 * references; shapes and words, always one fill, compete with all), wearing something only if the
 * object may.
 */
function candidateRows(bank: ReferenceBank, q: Features, dark: boolean, hints: Hints, scoring: Scoring): number[] {
  const side = Math.min(q.side, scoring.largeSide);
  const lo = side / scoring.sideRatio;
  const hi = side * scoring.sideRatio;
  const rows: number[] = [];
  for (let r = 0; r < bank.refs.length; r++) {
    const ref = bank.refs[r];
    const refSide = Math.min(ref.side, scoring.largeSide);
    if (refSide < lo || refSide > hi) continue;
    if (ref.dark !== dark && !ref.accessory && ref.paint !== 'two-tone' && ref.paint !== 'dark-half') continue;
    if (ref.accessory && hints.worn === false) continue;
    // Wearers are drawn in their own colors only, and stand in for every paint.
    if (ref.kind === 'emoji' && hints.paint && ref.paint !== EMOJI_REFERENCES[hints.paint] && !ref.accessory) continue;
    rows.push(r);
  }
  return rows;
}

/**
 * How a reference is compared. Told the paint: as that paint says (wearers, drawn in their own colors
 * only, stand in for every paint). Shapes and words are always one fill: compared by their drawing, or
 * under a two-tone paint, when the crop does show two tones (`twoTones`), by the tone map too, as
 * every emoji candidate is: by their drawing alone, round shapes outscored the round emoji that a
 * two-tone blurs into discs (session 30, BENCHMARKS.md). Not told: an emoji reference as it was drawn,
 * and a recolored one or a fill as either solid or patterned, whichever fits.
 */
function comparison(ref: Reference, paint: Paint | undefined, twoTones: boolean): 'original' | 'drawing' | 'two-tone' | 'pattern' | 'any' {
  if (!paint) return ref.kind !== 'emoji' || ref.paint === 'solid' ? 'any' : ref.paint === 'dark-half' ? 'two-tone' : ref.paint;
  if (ref.kind !== 'emoji') return paint === 'pattern' ? 'pattern' : paint === 'two-tone' && twoTones ? 'two-tone' : 'drawing';
  return paint === 'solid' ? 'drawing' : paint === 'dark-half' ? 'two-tone' : paint;
}

/** Which emoji references a hinted paint is compared with. */
const EMOJI_REFERENCES: Record<Paint, Reference['paint']> = { original: 'original', solid: 'solid', 'two-tone': 'two-tone', 'dark-half': 'dark-half', pattern: 'solid' };

/**
 * 1 − ½‖q − r‖² for blocks that are at most unit length (dark strokes, chroma, luminance): two empty
 * blocks agree fully (1), like two equal ones; an empty one and a full one agree half (0.5).
 * `eitherSign`: q or −q, whichever is closer (luminance flips under a light fill or a two-color recolor).
 */
function closeness(bank: ReferenceBank, block: 'dark' | 'chroma' | 'lum', row: number, v: Float32Array, vSquared: number, eitherSign = false): number {
  const d = cosine(bank, block, row, v);
  return 1 - (vSquared + squaredLength(bank, block, row) - 2 * (eitherSign ? Math.abs(d) : d)) / 2;
}

/** Dot product of a bank row (int8 with its scale) and a float vector. */
function cosine(bank: ReferenceBank, block: BlockName, row: number, v: Float32Array): number {
  const { rows, scales } = bank.blocks[block];
  const n = BLOCK_SIZES[block];
  const offset = row * n;
  let s = 0;
  for (let i = 0; i < n; i++) s += rows[offset + i] * v[i];
  return (s * scales[row]) / 127;
}

const squaredLengths = new WeakMap<Int8Array, Float32Array>();

function squaredLength(bank: ReferenceBank, block: 'dark' | 'chroma' | 'lum', row: number): number {
  const { rows, scales } = bank.blocks[block];
  let lengths = squaredLengths.get(rows);
  if (!lengths) {
    const n = BLOCK_SIZES[block];
    lengths = new Float32Array(bank.refs.length);
    for (let r = 0; r < bank.refs.length; r++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += rows[r * n + i] * rows[r * n + i];
      lengths[r] = (s * scales[r] * scales[r]) / (127 * 127);
    }
    squaredLengths.set(rows, lengths);
  }
  return lengths[row];
}

function dotF(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
