import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { COLORS, rgb, type ColorName } from '../catalog/colors.ts';
import { RAINBOW, type PatternName } from '../catalog/patterns.ts';

type RGB = readonly [number, number, number];

/**
 * Paints a pattern over a w×h canvas. Pattern scale follows the object's size, so stripes and dots
 * stay countable whether the object fills the image or one cell of an 8×8 grid.
 */
export function patternCanvas(w: number, h: number, pattern: PatternName, color: ColorName = 'black', color2: ColorName = 'white'): Canvas {
  const canvas = createCanvas(Math.max(1, Math.ceil(w)), Math.max(1, Math.ceil(h)));
  const ctx = canvas.getContext('2d');
  const a = COLORS[color];
  const b = COLORS[color2];
  const side = Math.min(w, h);
  const period = Math.max(4, side / 4);
  switch (pattern) {
    case 'solid':
      ctx.fillStyle = rgb(a);
      ctx.fillRect(0, 0, w, h);
      break;
    case 'striped': {
      ctx.fillStyle = rgb(b);
      ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = rgb(a);
      // Diagonal stripes: they read as stripes on every shape, unlike horizontal ones on a thin bar.
      ctx.save();
      ctx.translate(w / 2, h / 2);
      ctx.rotate(-Math.PI / 4);
      const reach = w + h;
      for (let x = -reach; x < reach; x += period) ctx.fillRect(x, -reach, period / 2, 2 * reach);
      ctx.restore();
      break;
    }
    case 'polka-dot': {
      ctx.fillStyle = rgb(b);
      ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = rgb(a);
      const r = period * 0.27;
      for (let y = period / 2, row = 0; y < h + r; y += period * 0.8, row++) {
        for (let x = (row % 2) * (period / 2) + period / 4; x < w + r; x += period) {
          ctx.beginPath();
          ctx.arc(x, y, r, 0, Math.PI * 2);
          ctx.fill();
        }
      }
      break;
    }
    case 'checkered': {
      const cell = period / 1.5;
      for (let y = 0, i = 0; y < h; y += cell, i++) {
        for (let x = 0, j = 0; x < w; x += cell, j++) {
          ctx.fillStyle = rgb((i + j) % 2 === 0 ? a : b);
          ctx.fillRect(x, y, cell, cell);
        }
      }
      break;
    }
    case 'gradient': {
      const g = ctx.createLinearGradient(0, 0, w, h);
      g.addColorStop(0, rgb(a));
      g.addColorStop(1, rgb(b));
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, w, h);
      break;
    }
    case 'rainbow': {
      const band = h / RAINBOW.length;
      RAINBOW.forEach((c, i) => {
        ctx.fillStyle = rgb(c);
        ctx.fillRect(0, i * band, w, band + 1);
      });
      break;
    }
    case 'tie-dye':
      paintTieDye(canvas, w, h);
      break;
  }
  return canvas;
}

/** A spiral of saturated hues around the center, the classic tie-dye swirl. */
function paintTieDye(canvas: Canvas, w: number, h: number): void {
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(canvas.width, canvas.height);
  const cx = w / 2;
  const cy = h / 2;
  const side = Math.min(w, h);
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      const dx = x - cx;
      const dy = y - cy;
      const turn = Math.atan2(dy, dx) / (2 * Math.PI) + (Math.sqrt(dx * dx + dy * dy) / side) * 1.6;
      const [r, g, b] = hueToRgb(((turn % 1) + 1) % 1);
      const i = (y * canvas.width + x) * 4;
      image.data[i] = r;
      image.data[i + 1] = g;
      image.data[i + 2] = b;
      image.data[i + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
}

function hueToRgb(hue: number): RGB {
  const k = (n: number) => (n + hue * 6) % 6;
  const f = (n: number) => Math.round(255 * (1 - Math.max(0, Math.min(k(n), 4 - k(n), 1)) * 0.85));
  return [f(5), f(3), f(1)];
}
