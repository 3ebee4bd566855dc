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

/**
 * The background color: the most common color of the image's outer two-pixel frame, where no
 * layout ever draws. Colors are binned at 16 levels a channel so that blur and codec noise vote
 * together; the answer is the mean of the winning bin.
 */
export function estimateBackground(image: Rgba): Rgb {
  const { width: w, height: h, data } = image;
  const bins = new Map<number, [number, number, number, number]>();
  const vote = (x: number, y: number) => {
    const i = (y * w + x) * 4;
    const key = ((data[i] >> 4) << 8) | ((data[i + 1] >> 4) << 4) | (data[i + 2] >> 4);
    const bin = bins.get(key) ?? [0, 0, 0, 0];
    bin[0] += data[i];
    bin[1] += data[i + 1];
    bin[2] += data[i + 2];
    bin[3]++;
    bins.set(key, bin);
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) if (y < 2 || y >= h - 2 || x < 2 || x >= w - 2) vote(x, y);
  }
  let best = [255, 255, 255, 0];
  for (const bin of bins.values()) if (bin[3] > best[3]) best = bin;
  return best[3] === 0 ? [255, 255, 255] : [best[0] / best[3], best[1] / best[3], best[2] / best[3]];
}

/** A box (fractions of the image) in pixels, grown by `pad` of its size on each side and clipped. */
export function boxRect(box: Box, image: Rgba, pad = 0): Rect {
  const x0 = Math.max(0, Math.floor((box.x - pad * box.w) * image.width));
  const y0 = Math.max(0, Math.floor((box.y - pad * box.h) * image.height));
  const x1 = Math.min(image.width, Math.ceil((box.x + box.w * (1 + pad)) * image.width));
  const y1 = Math.min(image.height, Math.ceil((box.y + box.h * (1 + pad)) * image.height));
  return { x: x0, y: y0, w: Math.max(1, x1 - x0), h: Math.max(1, y1 - y0) };
}

/**
 * Area-average resampling of `src` (a rect of the image) to an out.w × out.h RGB float image.
 * Pixels of `src` that fall outside `clip` (the crop) read as the background, so a square taken
 * around a wide word pads with background rather than with the neighbouring cell.
 */
export function resample(image: Rgba, src: Rect, clip: Rect, outW: number, outH: number, bg: Rgb): Float32Array {
  const out = new Float32Array(outW * outH * 3);
  const sx = src.w / outW;
  const sy = src.h / outH;
  for (let oy = 0; oy < outH; oy++) {
    const ya = src.y + oy * sy;
    const yb = ya + sy;
    for (let ox = 0; ox < outW; ox++) {
      const xa = src.x + ox * sx;
      const xb = xa + sx;
      let r = 0;
      let g = 0;
      let b = 0;
      let total = 0;
      for (let y = Math.floor(ya); y < yb; y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        if (wy <= 0) continue;
        for (let x = Math.floor(xa); x < xb; x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          if (wx <= 0) continue;
          const weight = wx * wy;
          total += weight;
          if (x < clip.x || y < clip.y || x >= clip.x + clip.w || y >= clip.y + clip.h) {
            r += bg[0] * weight;
            g += bg[1] * weight;
            b += bg[2] * weight;
          } else {
            const i = (y * image.width + x) * 4;
            r += image.data[i] * weight;
            g += image.data[i + 1] * weight;
            b += image.data[i + 2] * weight;
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
 * How far a pixel stands from the background, 0 (background) to 1 (clearly foreground). Distances
 * (0-441 in RGB) below 12·contrast are noise; above 48·contrast, surely an object. `contrast` below 1
 * lowers both for a faint object, such as white text on a cream background.
 */
export function foreground(r: number, g: number, b: number, bg: Rgb, contrast = 1): number {
  const d = Math.hypot(r - bg[0], g - bg[1], b - bg[2]);
  return Math.min(1, Math.max(0, (d - 12 * contrast) / (36 * contrast)));
}

/**
 * The contrast scale of a crop for `foreground`: its 98th-percentile distance from the background
 * over 60, kept within [0.4, 1] so that faint objects get thresholds they can pass and noise does not.
 */
export function cropContrast(image: Rgba, rect: Rect, bg: Rgb): number {
  const histogram = new Uint32Array(442);
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      const i = (y * image.width + x) * 4;
      histogram[Math.round(Math.hypot(image.data[i] - bg[0], image.data[i + 1] - bg[1], image.data[i + 2] - bg[2]))]++;
    }
  }
  let d = 441;
  for (let seen = 0, stop = rect.w * rect.h * 0.02; d > 0 && seen + histogram[d] <= stop; d--) seen += histogram[d];
  return Math.min(1, Math.max(0.4, d / 60));
}
