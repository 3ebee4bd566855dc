import type { Box } from '../../world/scene/scene.ts';
import { boxRect, cropBackground, foregroundMap, inkLevel, luminance, resample, resampleMap, type Background, type Rect, type Rgba } from './image.ts';

/**
 * The verifier's fixed features of one crop. mask, grad and text are centered and of unit length (a
 * dot product is their cosine); lum, tone, dark and chroma are at most unit length, short when there is
 * little of them (a flat fill has no luminance to speak of), and are compared by distance.
 *
 * The crop is the box grown by BOX_PAD, tight-cropped to its foreground (pixels that differ from the
 * background color), padded to a square around the foreground's center with a MARGIN of background,
 * and area-resampled to BASE×BASE. From that base:
 *   mask  16×16  foreground strength (image.ts foregroundMap): the silhouette, blind to color
 *   lum   16×16  luminance standardized inside the silhouette (edges left out): the drawing's light
 *                and dark, blind to a recolor (which keeps luminance up to an affine map); short
 *                for a flat fill
 *   tone  16×16  where each pixel sits between two colors: a two-color recolor ("a blue and white
 *                giraffe") splits an emoji at its median luminance; not centered, so that swapping
 *                the two colors only flips its sign
 *   dark  16×16  the darkest strokes (outlines, eyes) inside the silhouette: what survives when a
 *                pattern fill replaces an emoji's colors (the renderer keeps its dark parts dark)
 *   grad  4×4×8  histograms of unsigned gradient orientation: edges, blind to color and polarity
 *   chroma 8×8×2 opponent colors (red-green, yellow-blue), not centered: the color layout of an
 *                emoji in its own colors; grays carry none
 *   text  32×12  the tight crop stretched to a word-shaped strip, for reading text: ink level without
 *                a threshold, so that letters a blur has run together still show their gaps
 */
export interface Features {
  /** Foreground share of the crop; close to 0 means an empty cell. */
  ink: number;
  /** Tight bounds of the foreground, in image pixels. */
  bounds: Rect;
  /** Side in pixels of the square the features were taken from. */
  side: number;
  /**
   * How far apart the two ends of the tone map lie (RGB units along its axis, 5th to 95th percentile of
   * the interior): a one-fill object shows codec noise here, a two-color recolor the gap between its colors.
   */
  toneSpread: number;
  mask: Float32Array;
  lum: Float32Array;
  tone: Float32Array;
  dark: Float32Array;
  grad: Float32Array;
  chroma: Float32Array;
  text: Float32Array;
}

export type BlockName = 'mask' | 'lum' | 'tone' | 'dark' | 'grad' | 'chroma' | 'text';
export const BLOCKS: readonly BlockName[] = ['mask', 'lum', 'tone', 'dark', 'grad', 'chroma', 'text'];
export const BLOCK_SIZES: Record<BlockName, number> = { mask: 256, lum: 256, tone: 256, dark: 256, grad: 128, chroma: 128, text: 384 };

/** Grid cells have an 8% margin; growing the box by 6% forgives a misplaced object without reaching the neighbour. */
export const BOX_PAD = 0.06;
const BASE = 32;
/** Background margin around the tight foreground, as a share of its side. */
const MARGIN = 0.08;
const TEXT_W = 32;
const TEXT_H = 12;
/** Luminance under which a pixel counts as a dark stroke, fully so DARK_RAMP below it. */
const DARK = 70;
const DARK_RAMP = 30;
/** Blocks shorter than these (in their own units) count as having almost nothing in them. */
const DARK_FLOOR = 2;
const LUM_FLOOR = 6;
const CHROMA_FLOOR = 3;
/** Share of the foreground mass trimmed from each side when finding tight bounds: codec specks do not stretch them. */
const TRIM = 0.001;

export function extractFeatures(image: Rgba, box: Box, bg: Background): Features {
  const crop = boxRect(box, image, BOX_PAD);
  bg = cropBackground(image, crop, bg);
  const full = foregroundMap(image, crop, bg);
  const { bounds, ink } = tightBounds(full, crop);
  // A margin of background around the foreground, so that a filled square still has a silhouette.
  const side = Math.max(bounds.w, bounds.h) * (1 + 2 * MARGIN);
  const square = { x: bounds.x + bounds.w / 2 - side / 2, y: bounds.y + bounds.h / 2 - side / 2, w: side, h: side };
  const base = resample(image, square, crop, BASE, BASE, bg.color);
  const m = resampleMap(full, crop, square, BASE, BASE);
  const l = new Float32Array(BASE * BASE);
  const d = new Float32Array(BASE * BASE);
  const chroma = new Float32Array(BASE * BASE * 2);
  for (let i = 0; i < m.length; i++) {
    const [r, g, b] = [base[i * 3], base[i * 3 + 1], base[i * 3 + 2]];
    l[i] = luminance(r, g, b);
    chroma[i * 2] = (r - g) / 255;
    chroma[i * 2 + 1] = ((r + g) / 2 - b) / 255;
  }
  darkStrokes(l, m, d);
  const interior = interiorOf(m);
  const tones = twoTone(base, m, interior);
  const strip = resample(image, bounds, crop, TEXT_W, TEXT_H, bg.color);
  const text = new Float32Array(TEXT_W * TEXT_H);
  for (let i = 0; i < text.length; i++) text[i] = inkLevel(strip[i * 3], strip[i * 3 + 1], strip[i * 3 + 2], bg);
  return {
    ink,
    bounds,
    side,
    mask: normalize(pool(m, BASE, 1, 2)),
    lum: normalize(pool(standardize(l, interior), BASE, 1, 2), LUM_FLOOR, false),
    toneSpread: tones.spread,
    tone: normalize(pool(tones.map, BASE, 1, 2), 1e-9, false),
    dark: normalize(pool(d, BASE, 1, 2), DARK_FLOOR),
    grad: normalize(orientationHistograms(l, BASE, 4, 8)),
    chroma: normalize(pool(chroma, BASE, 2, 4), CHROMA_FLOOR, false),
    text: normalize(text),
  };
}

/** The foreground's bounding rect inside `crop`, with TRIM of its mass cut from each side. */
function tightBounds(full: Float32Array, crop: Rect): { bounds: Rect; ink: number } {
  const rows = new Float64Array(crop.h);
  const cols = new Float64Array(crop.w);
  let total = 0;
  for (let y = 0; y < crop.h; y++) {
    for (let x = 0; x < crop.w; x++) {
      const f = full[y * crop.w + x];
      rows[y] += f;
      cols[x] += f;
      total += f;
    }
  }
  if (total < 1) return { bounds: crop, ink: total / (crop.w * crop.h) };
  const [x0, x1] = trimmedSpan(cols, total);
  const [y0, y1] = trimmedSpan(rows, total);
  return { bounds: { x: crop.x + x0, y: crop.y + y0, w: x1 - x0, h: y1 - y0 }, ink: total / (crop.w * crop.h) };
}

function trimmedSpan(mass: Float64Array, total: number): [number, number] {
  let lo = 0;
  for (let seen = 0; lo < mass.length - 1 && seen + mass[lo] <= total * TRIM; lo++) seen += mass[lo];
  let hi = mass.length;
  for (let seen = 0; hi > lo + 1 && seen + mass[hi - 1] <= total * TRIM; hi--) seen += mass[hi - 1];
  return [lo, hi];
}

/**
 * Dark strokes: pixels darker than DARK luminance (fully so DARK_RAMP under it). The renderer keeps an
 * emoji's dark parts dark (0.3 of the pattern) when it pattern-fills it, so these strokes survive.
 */
function darkStrokes(l: Float32Array, m: Float32Array, out: Float32Array): void {
  for (let i = 0; i < l.length; i++) out[i] = m[i] * Math.min(1, Math.max(0, (DARK - l[i]) / DARK_RAMP));
}

/** Average pooling of a size×size image with `channels` channels by `factor`. */
function pool(src: Float32Array, size: number, channels: number, factor: number): Float32Array {
  const out = size / factor;
  const dst = new Float32Array(out * out * channels);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (Math.floor(y / factor) * out + Math.floor(x / factor)) * channels;
      for (let c = 0; c < channels; c++) dst[o + c] += src[(y * size + x) * channels + c];
    }
  }
  for (let i = 0; i < dst.length; i++) dst[i] /= factor * factor;
  return dst;
}

/** Pixels of the silhouette whose four neighbours are in it too: no blend with the background. */
function interiorOf(m: Float32Array): Uint8Array {
  const solid = (x: number, y: number) => x < 0 || y < 0 || x >= BASE || y >= BASE || m[y * BASE + x] >= 0.99;
  const interior = new Uint8Array(m.length);
  for (let y = 0; y < BASE; y++) {
    for (let x = 0; x < BASE; x++) interior[y * BASE + x] = m[y * BASE + x] >= 0.99 && solid(x - 1, y) && solid(x + 1, y) && solid(x, y - 1) && solid(x, y + 1) ? 1 : 0;
  }
  return interior;
}

/**
 * Luminance as z-scores over the silhouette's interior, clipped to ±2.5, zero elsewhere. Edge pixels
 * blend with the background and would make every dark object look like a ring of light.
 */
function standardize(l: Float32Array, interior: Uint8Array): Float32Array {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < l.length; i++) {
    if (!interior[i]) continue;
    n++;
    sum += l[i];
  }
  const out = new Float32Array(l.length);
  if (n === 0) return out;
  const mean = sum / n;
  let variance = 0;
  for (let i = 0; i < l.length; i++) if (interior[i]) variance += (l[i] - mean) ** 2;
  const std = Math.sqrt(variance / n) + 8;
  for (let i = 0; i < l.length; i++) if (interior[i]) out[i] = Math.max(-2.5, Math.min(2.5, (l[i] - mean) / std));
  return out;
}

/**
 * Where each pixel sits between the two colors of a two-color recolor, as −1…1 (0 outside the
 * silhouette): its position along the main axis of the interior's colors (power iteration on their
 * covariance; edges would add the axis towards the background), from the 5th to the 95th percentile.
 */
function twoTone(rgb: Float32Array, m: Float32Array, interior: Uint8Array): { map: Float32Array; spread: number } {
  const out = new Float32Array(m.length);
  const inside = [...m.keys()].filter((i) => interior[i]);
  if (inside.length < 4) return { map: out, spread: 0 };
  const mean = [0, 1, 2].map((c) => inside.reduce((s, i) => s + rgb[i * 3 + c], 0) / inside.length);
  const cov = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const i of inside) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) cov[a * 3 + b] += (rgb[i * 3 + a] - mean[a]) * (rgb[i * 3 + b] - mean[b]);
  let axis = [0.299, 0.587, 0.114];
  for (let k = 0; k < 20; k++) {
    const next = [0, 1, 2].map((a) => cov[a * 3] * axis[0] + cov[a * 3 + 1] * axis[1] + cov[a * 3 + 2] * axis[2]);
    const length = Math.hypot(...next);
    if (length < 1e-6) break;
    axis = next.map((v) => v / length);
  }
  const project = (i: number) => rgb[i * 3] * axis[0] + rgb[i * 3 + 1] * axis[1] + rgb[i * 3 + 2] * axis[2];
  const sorted = inside.map(project).sort((a, b) => a - b);
  const lo = sorted[Math.floor(sorted.length * 0.05)];
  const hi = Math.max(lo + 1, sorted[Math.floor(sorted.length * 0.95)]);
  for (let i = 0; i < out.length; i++) out[i] = m[i] * (Math.min(1, Math.max(0, (project(i) - lo) / (hi - lo))) * 2 - 1);
  return { map: out, spread: hi - lo };
}

/**
 * HOG-like: Sobel gradients of the luminance, their unsigned orientation (so a dark-on-light edge
 * and a light-on-dark one agree) split over `bins`, summed by magnitude in cells×cells blocks.
 * Square-rooted (Hellinger), so that a few strong edges do not drown the rest.
 */
function orientationHistograms(l: Float32Array, size: number, cells: number, bins: number): Float32Array {
  const out = new Float32Array(cells * cells * bins);
  const at = (x: number, y: number) => l[Math.min(size - 1, Math.max(0, y)) * size + Math.min(size - 1, Math.max(0, x))];
  const cell = size / cells;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const gx = at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x - 1, y) - at(x - 1, y + 1);
      const gy = at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x, y - 1) - at(x + 1, y - 1);
      const magnitude = Math.hypot(gx, gy);
      if (magnitude === 0) continue;
      const angle = ((Math.atan2(gy, gx) + Math.PI) % Math.PI) / Math.PI; // 0..1, unsigned
      const position = angle * bins - 0.5;
      const lo = Math.floor(position);
      const t = position - lo;
      const base = (Math.floor(y / cell) * cells + Math.floor(x / cell)) * bins;
      out[base + ((lo + bins) % bins)] += magnitude * (1 - t);
      out[base + ((lo + 1) % bins)] += magnitude * t;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(out[i]);
  return out;
}

/**
 * Centers a block and scales it to unit length. A block whose length is under `floor` is scaled by
 * 1/floor instead, so that a nearly empty one (a gray emoji's chroma) stays short, not amplified noise.
 */
export function normalize(v: Float32Array, floor = 1e-9, center = true): Float32Array {
  let mean = 0;
  if (center) for (const x of v) mean += x / v.length;
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] -= mean;
    norm += v[i] * v[i];
  }
  norm = Math.max(Math.sqrt(norm), floor);
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}
