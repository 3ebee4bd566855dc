import type { StyleId } from '../../world/catalog/emoji-styles.ts';
import { BLOCK_SIZES, dot, type BlockName, type Features } from './features.ts';
import type { Reference, ReferenceBank } from './reference-bank.ts';

export type ObjectKind = 'emoji' | 'shape' | 'text' | 'empty';

export interface Candidate {
  kind: Exclude<ObjectKind, 'empty'>;
  label: string;
  style?: StyleId;
  font?: string;
  /** Similarity to the closest reference of this label, about -1 to 1. */
  score: number;
}

export interface Identity {
  kind: ObjectKind;
  /** Concept id, shape name or text; '' for an empty cell. */
  label: string;
  style?: StyleId;
  font?: string;
  score: number;
  /** Best few distinct labels, best first. */
  top: Candidate[];
}

/**
 * How per-block cosines combine. An emoji in its own colors should match a reference on both its
 * drawing and its colors ("plain"); a recolored or pattern-filled one only on its drawing ("any
 * color"), which must win by `recolorMargin` so that a plain match is preferred when both fit.
 */
export interface Scoring {
  mask: number;
  grad: number;
  lum: number;
  recolorMargin: number;
  /** Weight of the word-strip block when ranking text references. */
  text: number;
  /** References are compared when their feature side is within this factor of the query's. */
  sideRatio: number;
  /** Below this foreground share a crop is empty. */
  emptyInk: number;
}

export const DEFAULT_SCORING: Scoring = { mask: 1, grad: 1, lum: 1, recolorMargin: 0.08, text: 0.5, sideRatio: 1.5, emptyInk: 0.01 };

export function classifyFeatures(bank: ReferenceBank, q: Features, dark: boolean, scoring: Scoring = DEFAULT_SCORING): Identity {
  if (q.ink < scoring.emptyInk) return { kind: 'empty', label: '', score: 1, top: [] };
  const rows = candidateRows(bank, q, dark, scoring.sideRatio);
  const best = new Map<string, Candidate>();
  const wInv = scoring.mask + scoring.grad + scoring.lum;
  for (const r of rows) {
    const ref = bank.refs[r];
    const cm = cosine(bank, 'mask', r, q);
    const cg = cosine(bank, 'grad', r, q);
    let score: number;
    if (ref.kind === 'emoji') {
      const drawing = (scoring.mask * cm + scoring.grad * cg + scoring.lum * cosine(bank, 'lum', r, q)) / wInv;
      score = Math.max((drawing + cosine(bank, 'rgb', r, q)) / 2, drawing - scoring.recolorMargin);
    } else {
      // Shapes and text are single fills: their luminance says nothing beyond the silhouette.
      const silhouette = (scoring.mask * cm + scoring.grad * cg) / (scoring.mask + scoring.grad);
      score = ref.kind === 'text' ? (1 - scoring.text) * silhouette + scoring.text * cosine(bank, 'text', r, q) : silhouette;
      score -= scoring.recolorMargin;
    }
    const key = `${ref.kind}:${ref.label}`;
    const seen = best.get(key);
    if (!seen || score > seen.score) best.set(key, toCandidate(ref, score));
  }
  const top = [...best.values()].sort((a, b) => b.score - a.score).slice(0, 5);
  if (top.length === 0) return { kind: 'empty', label: '', score: 0, top };
  return { ...top[0], top };
}

function toCandidate(ref: Reference, score: number): Candidate {
  return { kind: ref.kind, label: ref.label, ...(ref.style ? { style: ref.style } : {}), ...(ref.font ? { font: ref.font } : {}), score };
}

/** Rows drawn at about the query's size, on the query's kind of background (dark matters for emoji only). */
function candidateRows(bank: ReferenceBank, q: Features, dark: boolean, ratio: number): number[] {
  const rows: number[] = [];
  const lo = q.side / ratio;
  const hi = q.side * ratio;
  for (let r = 0; r < bank.refs.length; r++) {
    const ref = bank.refs[r];
    if (ref.side < lo || ref.side > hi) continue;
    if (ref.kind === 'emoji' && ref.dark !== dark) continue;
    rows.push(r);
  }
  return rows;
}

function cosine(bank: ReferenceBank, block: BlockName, row: number, q: Features): number {
  const n = BLOCK_SIZES[block];
  return dot(bank.blocks[block], row * n, q[block], 0, n);
}
