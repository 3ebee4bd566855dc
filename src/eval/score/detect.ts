/**
 * Where the objects are, when the prompt does not say: single objects (centered, of any size),
 * counting and position scenes. Foreground is whatever differs from the background (the verifier's
 * estimate and thresholds); objects are its connected parts, with parts a few pixels apart merged
 * (an emoji's eyes, a hat over a head) and specks dropped.
 */
import type { Box } from '../../world/scene/scene.ts';
import { estimateBackground, type Rgba } from '../verifier/image.ts';

export interface DetectOptions {
  /** Parts closer than this (pixels) are one object. */
  mergeGap: number;
  /** Objects smaller than this fraction of the image's area are noise. */
  minArea: number;
}

/** The world's scattered objects keep about 5 px (at 128 px) from each other: a 2 px gap keeps them apart. */
export const DETECT_DEFAULTS: DetectOptions = { mergeGap: 2, minArea: 0.002 };

interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
}

/** The boxes (fractions of the image) of the objects found, largest first. */
export function detectObjects(image: Rgba, options: Partial<DetectOptions> = {}): Box[] {
  const { mergeGap, minArea } = { ...DETECT_DEFAULTS, ...options };
  const { width: w, height: h, data } = image;
  const bg = estimateBackground(image);
  const threshold = Math.max(bg.high, 24);
  const labels = new Int32Array(w * h).fill(-1);
  const boxes: PixelBox[] = [];
  const isInk = (p: number) => Math.hypot(data[p * 4] - bg.color[0], data[p * 4 + 1] - bg.color[1], data[p * 4 + 2] - bg.color[2]) > threshold;
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (labels[start] !== -1 || !isInk(start)) continue;
    const box = { x0: w, y0: h, x1: -1, y1: -1, area: 0 };
    labels[start] = boxes.length;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w;
      const y = (p - x) / w;
      box.area++;
      box.x0 = Math.min(box.x0, x);
      box.y0 = Math.min(box.y0, y);
      box.x1 = Math.max(box.x1, x);
      box.y1 = Math.max(box.y1, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const q = ny * w + nx;
          if (labels[q] === -1 && isInk(q)) {
            labels[q] = boxes.length;
            stack.push(q);
          }
        }
      }
    }
    boxes.push(box);
  }
  const merged = mergeClose(boxes, mergeGap);
  return merged
    .filter((b) => b.area >= minArea * w * h)
    .sort((a, b) => b.area - a.area)
    .map((b) => ({ x: b.x0 / w, y: b.y0 / h, w: (b.x1 + 1 - b.x0) / w, h: (b.y1 + 1 - b.y0) / h }));
}

/** Merges boxes whose gap is at most `gap` pixels, until none are. */
function mergeClose(boxes: PixelBox[], gap: number): PixelBox[] {
  const out = boxes.map((b) => ({ ...b }));
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < out.length && !changed; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i];
        const b = out[j];
        if (b.x0 - a.x1 > gap + 1 || a.x0 - b.x1 > gap + 1 || b.y0 - a.y1 > gap + 1 || a.y0 - b.y1 > gap + 1) continue;
        out[i] = { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1), area: a.area + b.area };
        out.splice(j, 1);
        changed = true;
        break;
      }
    }
  }
  return out;
}

/** The box around everything found: where a single object is. */
export function foregroundBox(image: Rgba, options: Partial<DetectOptions> = {}): Box | undefined {
  const boxes = detectObjects(image, options);
  if (boxes.length === 0) return undefined;
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.w));
  const y1 = Math.max(...boxes.map((b) => b.y + b.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
