import type { Canvas } from '@napi-rs/canvas';
import type { Box } from '../../world/scene/scene.ts';

/** RGBA pixels, row-major, 4 bytes a pixel: what the verifier reads (128×128 in practice). */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

export type Rgb = [number, number, number];

/** A rectangle in pixels, fractional edges allowed. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function canvasPixels(canvas: Canvas): Rgba {
  const { width, height } = canvas;
  return { width, height, data: canvas.getContext('2d').getImageData(0, 0, width, height).data };
}

/** The background: its color, and how noisy it is (0 for a clean render, a few levels after a codec). */
export interface Background {
  color: Rgb;
  /** RMS distance (0-441 RGB) of the frame's background pixels from `color`. */
  noise: number;
  /**
   * 0 for a clean render, 1 for a codec's output (blurred): judged from the noise unless the caller
   * knows (see VerifierOptions.images).
   */
  degraded: number;
  /** Distances from `color` under `low` are background; over `high`, surely an object. */
  low: number;
  high: number;
  /** A crop's contrast: its 95th-percentile distance from the background (set by cropBackground). */
  contrast?: number;
  /**
   * Set when the object is said to have a paint this close (RGB distance) to the page, as white
   * (250) on a white page: then every pixel that clearly differs from the page is the object's, or
   * that paint would read as holes (see faintPaintPage).
   */
  faint?: number;
}

/**
 * The most common color of the image's outer two-pixel frame, where no layout ever draws. Colors are
 * binned at 16 levels a channel so that blur and codec noise vote together; the color is the mean of
 * the winning bin and the noise its spread. Thresholds follow the noise: on a clean render a white
 * object on a white background (8 levels apart) still counts; after a codec, its speckles do not.
 */
export function estimateBackground(image: Rgba): Background {
  const { width: w, height: h, data } = image;
  const bins = new Map<number, number[]>();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (y >= 2 && y < h - 2 && x >= 2 && x < w - 2) continue;
      const i = (y * w + x) * 4;
      const key = ((data[i] >> 4) << 8) | ((data[i + 1] >> 4) << 4) | (data[i + 2] >> 4);
      let bin = bins.get(key);
      if (!bin) bins.set(key, (bin = []));
      bin.push(i);
    }
  }
  let best: number[] = [];
  for (const bin of bins.values()) if (bin.length > best.length) best = bin;
  if (best.length === 0) return withThresholds([255, 255, 255], 0);
  const color: Rgb = [0, 1, 2].map((c) => best.reduce((s, i) => s + data[i + c], 0) / best.length) as Rgb;
  const noise = Math.sqrt(best.reduce((s, i) => s + (data[i] - color[0]) ** 2 + (data[i + 1] - color[1]) ** 2 + (data[i + 2] - color[2]) ** 2, 0) / best.length);
  return withThresholds(color, noise);
}

/** 3 and 12 on a clean render, rising with the noise to at most 12 and 48. */
export function withThresholds(color: Rgb, noise: number, degraded = Math.min(1, Math.max(0, (noise - CLEAN_NOISE) / (NOISY - CLEAN_NOISE)))): Background {
  const low = Math.min(12, 3 + 2 * noise);
  return { color, noise, degraded, low, high: Math.min(48, low + 9 + 6 * noise) };
}

/**
 * Background noise (RMS, RGB levels) up to which an image counts as clean, and from which as fully
 * degraded. A codec that reproduces a flat frame exactly escapes this test: tell the verifier instead.
 */
const CLEAN_NOISE = 0.5;
const NOISY = 3;

/** A box (fractions of the image) in pixels, grown by `pad` of its size on each side and clipped. */
export function boxRect(box: Box, image: Rgba, pad = 0): Rect {
  const x0 = Math.max(0, Math.floor((box.x - pad * box.w) * image.width));
  const y0 = Math.max(0, Math.floor((box.y - pad * box.h) * image.height));
  const x1 = Math.min(image.width, Math.ceil((box.x + box.w * (1 + pad)) * image.width));
  const y1 = Math.min(image.height, Math.ceil((box.y + box.h * (1 + pad)) * image.height));
  return { x: x0, y: y0, w: Math.max(1, x1 - x0), h: Math.max(1, y1 - y0) };
}

/** One output sample of an area average along one axis: the pixels it covers and their weights. */
interface AxisTap {
  pixels: number[];
  weights: number[];
}

/**
 * The area-average taps of `n` output samples spanning [start, start + span) in pixels. Both axes of
 * a resampling are separable, so the 2-D weight of pixel (x, y) is wx · wy.
 */
function axisTaps(start: number, span: number, n: number): AxisTap[] {
  const step = span / n;
  const taps: AxisTap[] = [];
  for (let o = 0; o < n; o++) {
    const a = start + o * step;
    const b = a + step;
    const tap: AxisTap = { pixels: [], weights: [] };
    for (let p = Math.floor(a); p < b; p++) {
      const w = Math.min(b, p + 1) - Math.max(a, p);
      if (w > 0) {
        tap.pixels.push(p);
        tap.weights.push(w);
      }
    }
    taps.push(tap);
  }
  return taps;
}

const inside = (r: Rect, x: number, y: number): boolean => x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;

/**
 * Area-average resampling of `src` (a rect of the image) to an out.w × out.h RGB float image.
 * Pixels of `src` that fall outside `clip` (the crop) read as the background, so a square taken
 * around a wide word pads with background rather than with the neighbouring cell.
 */
export function resample(image: Rgba, src: Rect, clip: Rect, outW: number, outH: number, bg: Rgb): Float32Array {
  const out = new Float32Array(outW * outH * 3);
  const xs = axisTaps(src.x, src.w, outW);
  const ys = axisTaps(src.y, src.h, outH);
  for (let oy = 0; oy < outH; oy++) {
    const ty = ys[oy];
    for (let ox = 0; ox < outW; ox++) {
      const tx = xs[ox];
      let r = 0;
      let g = 0;
      let b = 0;
      let total = 0;
      for (let j = 0; j < ty.pixels.length; j++) {
        const y = ty.pixels[j];
        for (let k = 0; k < tx.pixels.length; k++) {
          const x = tx.pixels[k];
          const weight = tx.weights[k] * ty.weights[j];
          total += weight;
          if (inside(clip, x, y)) {
            const i = (y * image.width + x) * 4;
            r += image.data[i] * weight;
            g += image.data[i + 1] * weight;
            b += image.data[i + 2] * weight;
          } else {
            r += bg[0] * weight;
            g += bg[1] * weight;
            b += bg[2] * weight;
          }
        }
      }
      const o = (oy * outW + ox) * 3;
      out[o] = r / total;
      out[o + 1] = g / total;
      out[o + 2] = b / total;
    }
  }
  return out;
}

export function luminance(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/**
 * The background's thresholds for one crop, raised to fractions of the crop's contrast (its 95th
 * percentile distance from the background). A clean render keeps low fractions, so that light parts
 * of an object stay in its silhouette. A degraded image (a codec's output, which blurs) gets
 * fractions around one half: the half-contrast contour of an object does not move when the object is
 * blurred, and a codec's halo stays under a quarter of the contrast.
 */
export function cropBackground(image: Rgba, rect: Rect, bg: Background): Background {
  const histogram = new Uint32Array(442);
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      const i = (y * image.width + x) * 4;
      histogram[Math.round(Math.hypot(image.data[i] - bg.color[0], image.data[i + 1] - bg.color[1], image.data[i + 2] - bg.color[2]))]++;
    }
  }
  let contrast = 441;
  for (let seen = 0, stop = rect.w * rect.h * 0.05; contrast > 0 && seen + histogram[contrast] <= stop; contrast--) seen += histogram[contrast];
  if (bg.faint !== undefined) return { ...bg, contrast, low: FAINT_LOW * bg.faint, high: FAINT_HIGH * bg.faint };
  return { ...bg, contrast, low: Math.max(bg.low, contrastFraction(0, bg.degraded) * contrast), high: Math.max(bg.high, contrastFraction(1, bg.degraded) * contrast) };
}

/** Thresholds as fractions of a faint paint's distance from the page: the paint itself is fully foreground. */
const FAINT_LOW = 0.3;
const FAINT_HIGH = 0.9;

/**
 * The background to read an object with when it is said to be painted (in part) in `paints`: marked
 * `faint` when one of them is close to the page but apart from it (white, 250, on a white page, 255)
 * on a clean image. Read with contrast-relative thresholds, such a paint would be holes: the white
 * dots of a black bowtie, the white half of a blue-and-white giraffe. A codec's noise drowns paints
 * this faint, and one equal to the page cannot be seen at all: both are left as they are.
 */
export function faintPaintPage(bg: Background, paints: readonly Rgb[]): Background {
  if (bg.degraded >= 0.5) return bg;
  const distances = paints.map((p) => distance(p, bg.color)).filter((d) => d >= FAINT && d < FAINT_PAINT);
  return distances.length ? { ...bg, faint: Math.min(...distances) } : bg;
}

/**
 * Whether a two-color recolor's second color, which paints the emoji's lighter half, leaves no trace
 * on this page: closer to it than the low threshold a crop in the first color is read with (a quarter
 * of its contrast after a codec), and not rescued as a faint paint. White on a white or light gray
 * page after the VQ: only the darker half of the emoji is there to compare.
 */
export function lighterHalfVanishes(bg: Background, darkerHalf: Rgb, lighterHalf: Rgb): boolean {
  if (bg.faint !== undefined) return false;
  return distance(lighterHalf, bg.color) < contrastFraction(0, bg.degraded) * distance(darkerHalf, bg.color);
}

function distance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Paints closer than this to the page are read as faint (white on cream is 24 apart; gray on white, 147). */
const FAINT_PAINT = 30;

/** Low and high thresholds as fractions of the crop's contrast, clean and degraded. */
const CLEAN_FRACTIONS = [0.05, 0.25];
const NOISY_FRACTIONS = [0.25, 0.75];

/** The low (0) or high (1) threshold's fraction of the crop's contrast, between clean and degraded. */
function contrastFraction(which: 0 | 1, degraded: number): number {
  return CLEAN_FRACTIONS[which] + (NOISY_FRACTIONS[which] - CLEAN_FRACTIONS[which]) * degraded;
}

/** A pixel's distance from the background over the crop's contrast, up to 1: ink without a threshold. */
export function inkLevel(r: number, g: number, b: number, bg: Background): number {
  const d = Math.hypot(r - bg.color[0], g - bg.color[1], b - bg.color[2]);
  return Math.min(1, d / Math.max(bg.contrast ?? bg.high, bg.high));
}

/** How far a pixel stands from the background, 0 (background) to 1 (clearly foreground). */
export function foreground(r: number, g: number, b: number, bg: Background): number {
  const d = Math.hypot(r - bg.color[0], g - bg.color[1], b - bg.color[2]);
  return Math.min(1, Math.max(0, (d - bg.low) / (bg.high - bg.low)));
}

/**
 * `foreground` for every pixel of a crop (row-major, crop-sized). On a clean image, a faint region
 * that is flat (its 8 neighbours within 2 levels) counts too: a white part on a white background is
 * 8 levels away from it, an antialiased edge as faint is never flat.
 */
export function foregroundMap(image: Rgba, crop: Rect, bg: Background): Float32Array {
  const map = new Float32Array(crop.w * crop.h);
  const at = (x: number, y: number) => ((crop.y + y) * image.width + crop.x + x) * 4;
  const { data } = image;
  for (let y = 0; y < crop.h; y++) {
    for (let x = 0; x < crop.w; x++) {
      const i = at(x, y);
      let m = foreground(data[i], data[i + 1], data[i + 2], bg);
      if (m < 1 && bg.degraded < 0.5 && x > 0 && y > 0 && x < crop.w - 1 && y < crop.h - 1) {
        const d = Math.hypot(data[i] - bg.color[0], data[i + 1] - bg.color[1], data[i + 2] - bg.color[2]);
        let flat = d >= FAINT;
        for (let dy = -1; dy <= 1 && flat; dy++) {
          for (let dx = -1; dx <= 1 && flat; dx++) {
            const j = at(x + dx, y + dy);
            flat = Math.abs(data[j] - data[i]) <= 2 && Math.abs(data[j + 1] - data[i + 1]) <= 2 && Math.abs(data[j + 2] - data[i + 2]) <= 2;
          }
        }
        if (flat) m = 1;
      }
      map[y * crop.w + x] = m;
    }
  }
  return map;
}

/** Distance from the background from which a flat region is an object's part. */
const FAINT = 5;

/** Area-average resampling of a crop-sized map (zero outside the crop) over `src` to out.w × out.h. */
export function resampleMap(map: Float32Array, crop: Rect, src: Rect, outW: number, outH: number): Float32Array {
  const out = new Float32Array(outW * outH);
  const xs = axisTaps(src.x, src.w, outW);
  const ys = axisTaps(src.y, src.h, outH);
  for (let oy = 0; oy < outH; oy++) {
    const ty = ys[oy];
    for (let ox = 0; ox < outW; ox++) {
      const tx = xs[ox];
      let sum = 0;
      let total = 0;
      for (let j = 0; j < ty.pixels.length; j++) {
        const y = ty.pixels[j];
        for (let k = 0; k < tx.pixels.length; k++) {
          const x = tx.pixels[k];
          const weight = tx.weights[k] * ty.weights[j];
          total += weight;
          if (inside(crop, x, y)) sum += map[(y - crop.y) * crop.w + (x - crop.x)] * weight;
        }
      }
      out[oy * outW + ox] = sum / total;
    }
  }
  return out;
}
