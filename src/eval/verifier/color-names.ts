import { COLOR_NAMES, COLORS, type ColorName } from '../../world/catalog/colors.ts';
import type { Box } from '../../world/scene/scene.ts';
import { BOX_PAD } from './features.ts';
import { boxRect, cropBackground, foreground, type Background, type Rgb, type Rgba } from './image.ts';

export interface ColorShare {
  color: ColorName;
  /** Share of the object's solid pixels nearest to this color. */
  share: number;
}

/**
 * How far a pixel is from a named color, allowing the shading the renderer applies to a recolored
 * emoji (the color times 0.6-1.1): the color scaled to fit best, plus a charge for the scaling so that
 * an unshaded explanation wins a tie (gray stays gray rather than dim white).
 */
export function colorDistance(p: Rgb, c: readonly [number, number, number]): number {
  const cc = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
  const s = Math.min(SHADE_HIGH, Math.max(SHADE_LOW, (p[0] * c[0] + p[1] * c[1] + p[2] * c[2]) / cc));
  return Math.hypot(p[0] - s * c[0], p[1] - s * c[1], p[2] - s * c[2]) + SHADE_CHARGE * Math.abs(1 - s) * Math.sqrt(cc);
}

const SHADE_LOW = 0.6;
const SHADE_HIGH = 1.1;
const SHADE_CHARGE = 0.3;

export function nearestColor(p: Rgb): ColorName {
  let best: ColorName = 'black';
  let bestDistance = Infinity;
  for (const name of COLOR_NAMES) {
    const d = colorDistance(p, COLORS[name]);
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return best;
}

/** What the reader knows of how an object is painted, which says how its in-between pixels are named. */
export interface ColorReading {
  /**
   * A single flat fill (a shape, a word): a pixel at its edge whose color lies between the background
   * and a color the object shows is that color partly covering the pixel (the antialiased stroke of
   * thin text), not a color of its own (gray for black, pink for red).
   */
  fill?: boolean;
  /**
   * The two colors the object is said to have: a pixel between them (a gradient's middle, a two-tone
   * recolor's soft split, a stripe's antialiased border) counts for each in proportion.
   */
  pair?: readonly [ColorName, ColorName];
  /** Pattern-filled emoji: the renderer keeps their dark parts dark (the paint at 0.3). */
  darkened?: boolean;
}

/**
 * The named colors of an object, most common first: every solid pixel of the crop (clearly apart from
 * the background, so that antialiased edges do not vote) named by its nearest color, with blends
 * attributed as `reading` allows.
 */
export function dominantColors(image: Rgba, box: Box, bg: Background, reading: ColorReading = {}): ColorShare[] {
  const rect = boxRect(box, image, BOX_PAD);
  bg = cropBackground(image, rect, bg);
  const solid: { p: Rgb; name: ColorName; edge: boolean }[] = [];
  const first = new Map<ColorName, number>();
  const strength = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) return 0;
    const i = (y * image.width + x) * 4;
    return foreground(image.data[i], image.data[i + 1], image.data[i + 2], bg);
  };
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      const i = (y * image.width + x) * 4;
      const p: Rgb = [image.data[i], image.data[i + 1], image.data[i + 2]];
      if (foreground(p[0], p[1], p[2], bg) < SOLID) continue;
      const name = nearestColor(p);
      let edge = false;
      for (let dy = -1; dy <= 1 && !edge; dy++) for (let dx = -1; dx <= 1 && !edge; dx++) edge = strength(x + dx, y + dy) < SOLID;
      solid.push({ p, name, edge });
      first.set(name, (first.get(name) ?? 0) + 1);
    }
  }
  // Colors the object plainly shows, whose blends with the background its edges may hold.
  const shown = [...first].filter(([, n]) => n >= PRESENT * solid.length).map(([c]) => c);
  // A blur (a codec's output) mixes the background into every pixel of a thin fill, not only its
  // edges: red text reads pink throughout. Its least mixed pixels, those farthest from the
  // background, still name the fill; every pixel on the ray to it is that fill partly covering.
  const blurred = bg.degraded >= 0.5;
  if (blurred && reading.fill && solid.length) {
    const core = fillCore(solid.map((s) => s.p), bg.color);
    if (!shown.includes(core)) shown.push(core);
  }
  const tolerance = 20 + 3 * bg.noise;
  const counts = new Map<ColorName, number>();
  const vote = (c: ColorName, w: number) => counts.set(c, (counts.get(c) ?? 0) + w);
  for (const { p, name, edge } of solid) {
    const { pair } = reading;
    if (pair && !pair.includes(name)) {
      const t = pairBlend(p, pair, reading.darkened ? [1, DARKENED] : [1], tolerance);
      if (t !== undefined) {
        vote(pair[0], 1 - t);
        vote(pair[1], t);
        continue;
      }
    }
    if (blurred && pair && !pair.includes(name)) {
      const cover = coverOf(p, bg.color, pair, tolerance);
      if (cover) {
        vote(cover, 1);
        continue;
      }
    }
    if (reading.fill && (edge || blurred) && !pair?.includes(name)) {
      const cover = coverOf(p, bg.color, shown, tolerance);
      if (cover) {
        vote(cover, 1);
        continue;
      }
    }
    vote(name, 1);
  }
  return [...counts]
    .map(([color, n]) => ({ color, share: n / solid.length }))
    .sort((a, b) => b.share - a.share);
}

/** A color holding this share of the solid pixels is plainly shown (its edge blends may be attributed to it). */
const PRESENT = 0.03;
/** The shade the renderer gives the dark parts of a pattern-filled emoji. */
const DARKENED = 0.3;

/**
 * `p` against the ray from `from` along `axis`: its position t (1 at from + axis), clamped to
 * [lo, hi], and its distance from the point at that position.
 */
export function alongRay(p: Rgb, from: readonly number[], axis: readonly number[], lo = -Infinity, hi = Infinity): { t: number; off: number } {
  const rel = [p[0] - from[0], p[1] - from[1], p[2] - from[2]];
  const length2 = axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2] || 1;
  const t = Math.min(hi, Math.max(lo, (rel[0] * axis[0] + rel[1] * axis[1] + rel[2] * axis[2]) / length2));
  return { t, off: Math.hypot(rel[0] - t * axis[0], rel[1] - t * axis[1], rel[2] - t * axis[2]) };
}

/** Where `p` lies between the pair's colors (0 first, 1 second), at one of the shades, if it does. */
function pairBlend(p: Rgb, [a, b]: readonly [ColorName, ColorName], shades: number[], tolerance: number): number | undefined {
  const ca = COLORS[a];
  const cb = COLORS[b];
  let best: { t: number; d: number } | undefined;
  for (const s of shades) {
    const from = ca.map((v) => v * s);
    const { t, off: d } = alongRay(p, from, cb.map((v, k) => v * s - from[k]), 0, 1);
    if (d < tolerance && (!best || d < best.d)) best = { t, d };
  }
  return best?.t;
}

/** The named color of a fill's least mixed pixels: the mean of the tenth farthest from the background. */
function fillCore(pixels: Rgb[], bg: Rgb): ColorName {
  const far = pixels
    .map((p) => ({ p, d: Math.hypot(p[0] - bg[0], p[1] - bg[1], p[2] - bg[2]) }))
    .sort((a, b) => b.d - a.d)
    .slice(0, Math.max(1, Math.ceil(pixels.length * CORE_SHARE)));
  return nearestColor([0, 1, 2].map((k) => far.reduce((s, f) => s + f.p[k], 0) / far.length) as Rgb);
}

const CORE_SHARE = 0.1;

/** The shown color of which `p` is a partial cover over the background, if it is one. */
function coverOf(p: Rgb, bg: Rgb, shown: readonly ColorName[], tolerance: number): ColorName | undefined {
  let best: { c: ColorName; alpha: number } | undefined;
  for (const c of shown) {
    const { t: alpha, off: d } = alongRay(p, bg, COLORS[c].map((v, k) => v - bg[k]));
    if (alpha < 0.1 || alpha > 0.95) continue;
    // On one ray (gray and black on white) the farthest color is the fill; the nearer is its blend.
    if (d < tolerance && (!best || alpha < best.alpha)) best = { c, alpha };
  }
  return best?.c;
}

/** Foreground strength from which a pixel votes for the object's colors. */
const SOLID = 0.9;

/**
 * Whether the colors read fit the expected ones: a single color must be the most common one (or a
 * close second after the dark strokes of an emoji); each of two colors must hold MIN_SHARE.
 */
export function colorsMatch(read: ColorShare[], color: ColorName, color2?: ColorName): boolean {
  const share = (c: ColorName) => read.find((r) => r.color === c)?.share ?? 0;
  if (color2) return share(color) >= MIN_SHARE && share(color2) >= MIN_SHARE;
  const rank = read.findIndex((r) => r.color === color);
  return rank === 0 || (rank === 1 && share(color) >= 0.25);
}

const MIN_SHARE = 0.1;
