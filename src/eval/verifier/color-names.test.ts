import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLORS } from '../../world/catalog/colors.ts';
import { colorsMatch, dominantColors } from './color-names.ts';
import { estimateBackground, withThresholds, type Rgb } from './image.ts';

/** 32×32 white, with `paint(x, y)` giving a pixel's color inside the box (undefined: background). */
function image(paint: (x: number, y: number) => Rgb | undefined) {
  const data = new Uint8ClampedArray(32 * 32 * 4).fill(255);
  for (let y = 8; y < 24; y++) {
    for (let x = 8; x < 24; x++) {
      const p = paint(x, y);
      if (p) data.set([...p, 255], (y * 32 + x) * 4);
    }
  }
  return { width: 32, height: 32, data };
}
const box = { x: 0.25, y: 0.25, w: 0.5, h: 0.5 };
const mix = (a: readonly number[], b: readonly number[], t: number) => a.map((v, k) => Math.round(v + (b[k] - v) * t)) as Rgb;

test('a thin black stroke is black, though most of its pixels are antialiased gray', () => {
  // One-pixel strokes, mostly at half cover; a few full.
  const img = image((x, y) => (x % 3 === 0 ? (y % 5 === 0 ? [...COLORS.black] as Rgb : mix([255, 255, 255], COLORS.black, 0.5)) : undefined));
  const bg = estimateBackground(img);
  assert.equal(dominantColors(img, box, bg)[0].color, 'gray', 'as pixels');
  assert.equal(dominantColors(img, box, bg, { fill: true })[0].color, 'black', 'as a fill');
  // A gray fill stays gray: nothing stronger on its ray.
  const gray = image((x) => (x % 3 === 0 ? mix([255, 255, 255], COLORS.gray, 1) : undefined));
  assert.equal(dominantColors(gray, box, estimateBackground(gray), { fill: true })[0].color, 'gray');
});

test('a gradient between two colors holds both; a third color does not pass for them', () => {
  const img = image((x) => mix(COLORS.blue, COLORS.pink, (x - 8) / 15));
  const bg = estimateBackground(img);
  const share = (c: string) => dominantColors(img, box, bg, { pair: ['blue', 'pink'] }).find((r) => r.color === c)?.share ?? 0;
  assert.ok(share('blue') > 0.4 && share('pink') > 0.4, 'its middle counts for both');
  assert.ok(colorsMatch(dominantColors(img, box, bg, { pair: ['blue', 'pink'] }), 'blue', 'pink'));
  const purple = image(() => [...COLORS.purple] as Rgb);
  assert.equal(colorsMatch(dominantColors(purple, box, estimateBackground(purple), { pair: ['blue', 'pink'] }), 'blue', 'pink'), false);
});

test('after a blur, a fill mixed with the background is still its own color (red text is not pink)', () => {
  // Strokes 6 px wide, blurred: their pixels three quarters red over white, a few rows of cores at 95%.
  const img = image((x, y) => (x % 8 < 6 ? mix([255, 255, 255], COLORS.red, y % 8 === 0 ? 0.95 : 0.75) : undefined));
  const clean = estimateBackground(img);
  const blurred = withThresholds(clean.color, clean.noise, 1);
  // Only a stroke's edges were taken for blends; inside it, its mixed pixels named another color.
  assert.equal(dominantColors(img, box, clean, { fill: true })[0].color, 'pink', 'a clean image: a pink fill');
  assert.equal(dominantColors(img, box, blurred, { fill: true })[0].color, 'red');
  // A pink fill, blurred, stays pink: red is not on its ray.
  const pink = image((x) => (x % 8 < 6 ? mix([255, 255, 255], COLORS.pink, 0.9) : undefined));
  assert.equal(dominantColors(pink, box, withThresholds([255, 255, 255], 0, 1), { fill: true })[0].color, 'pink');
});
