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

/**
 * The named colors of an object, most common first: every solid pixel of the crop (clearly apart from
 * the background, so that antialiased edges do not vote) named by its nearest color.
 */
export function dominantColors(image: Rgba, box: Box, bg: Background): ColorShare[] {
  const rect = boxRect(box, image, BOX_PAD);
  bg = cropBackground(image, rect, bg);
  const counts = new Map<ColorName, number>();
  let total = 0;
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      const i = (y * image.width + x) * 4;
      const p: Rgb = [image.data[i], image.data[i + 1], image.data[i + 2]];
      if (foreground(p[0], p[1], p[2], bg) < SOLID) continue;
      const name = nearestColor(p);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      total++;
    }
  }
  return [...counts]
    .map(([color, n]) => ({ color, share: n / total }))
    .sort((a, b) => b.share - a.share);
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
