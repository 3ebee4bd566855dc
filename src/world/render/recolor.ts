import { COLORS, type ColorName } from '../catalog/colors.ts';

/**
 * Recoloring keeps an emoji's drawing (its shading, outlines, features) and replaces its hues.
 * Luminance is the one thing kept, so a recolored cat is still recognizably that cat.
 */
export function recolorPixels(data: Uint8ClampedArray, color: ColorName, color2?: ColorName): void {
  const a = COLORS[color];
  const b = color2 ? COLORS[color2] : undefined;
  // Two colors split the emoji at its own median luminance, so that both colors cover a fair share
  // of it whatever its original palette ("a blue and white giraffe": spots one color, coat the other).
  const split = b ? medianLuminance(data) : 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    const lum = luminance(data, i);
    if (b) {
      const t = smoothstep(split - 0.08, split + 0.08, lum);
      data[i] = a[0] + (b[0] - a[0]) * t;
      data[i + 1] = a[1] + (b[1] - a[1]) * t;
      data[i + 2] = a[2] + (b[2] - a[2]) * t;
    } else {
      // One color: its own shade, darkened in shadows and outlines.
      const shade = Math.min(1.15, 0.25 + lum * 1.1);
      data[i] = a[0] * shade;
      data[i + 1] = a[1] * shade;
      data[i + 2] = a[2] * shade;
    }
  }
}

function luminance(data: Uint8ClampedArray, i: number): number {
  return (0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]) / 255;
}

function medianLuminance(data: Uint8ClampedArray): number {
  const histogram = new Uint32Array(256);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 128) continue;
    histogram[Math.round(luminance(data, i) * 255)]++;
    count++;
  }
  for (let v = 0, seen = 0; v < 256; v++) {
    seen += histogram[v];
    if (seen * 2 >= count) return v / 255;
  }
  return 0.5;
}

/** Pattern fill of an emoji: the pattern, darkened where the emoji is dark, so features show through. */
export function patternPixels(data: Uint8ClampedArray, pattern: Uint8ClampedArray): void {
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    const lum = luminance(data, i);
    const shade = lum < 0.25 ? 0.3 : 1;
    data[i] = pattern[i] * shade;
    data[i + 1] = pattern[i + 1] * shade;
    data[i + 2] = pattern[i + 2] * shade;
  }
}

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.max(0, Math.min(1, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}
