import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderScene } from '../../world/render/renderer.ts';
import type { Scene, SceneObject } from '../../world/scene/scene.ts';
import { syntheticDegradation } from './degrade.ts';
import { BLOCKS, extractFeatures, type Features } from './features.ts';
import { canvasPixels, estimateBackground } from './image.ts';

async function features(objects: SceneObject[], background: Scene['background'] = 'white'): Promise<Features[]> {
  const scene: Scene = { size: 128, background, style: 'twemoji', layout: { kind: 'free' }, objects };
  const pixels = canvasPixels(await renderScene(scene));
  const bg = estimateBackground(pixels);
  return objects.map((o) => extractFeatures(pixels, o.box, bg));
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);
const cosine = (a: Float32Array, b: Float32Array) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));

test('every block has its declared size, and unit-length blocks are unit length', async () => {
  const [f] = await features([{ kind: 'emoji', concept: 'giraffe', box: { x: 0.1, y: 0.1, w: 0.5, h: 0.5 } }]);
  for (const b of BLOCKS) assert.ok(f[b].length > 0, b);
  for (const b of ['mask', 'grad', 'text'] as const) assert.ok(Math.abs(dot(f[b], f[b]) - 1) < 1e-4, b);
  assert.ok(f.ink > 0.1 && f.side > 20);
});

test('features do not depend on where an object is or how big it is drawn', async () => {
  const [a, b] = await features([
    { kind: 'emoji', concept: 'giraffe', box: { x: 0.05, y: 0.05, w: 0.4, h: 0.4 } },
    { kind: 'emoji', concept: 'giraffe', box: { x: 0.5, y: 0.45, w: 0.48, h: 0.48 } },
  ]);
  for (const block of ['mask', 'grad', 'chroma'] as const) assert.ok(cosine(a[block], b[block]) > 0.9, `${block}: ${cosine(a[block], b[block])}`);
});

test('a recolor keeps the silhouette and the drawing, and changes the colors', async () => {
  const [plain, blue] = await features([
    { kind: 'emoji', concept: 'cat-face', box: { x: 0.05, y: 0.05, w: 0.4, h: 0.4 } },
    { kind: 'emoji', concept: 'cat-face', box: { x: 0.55, y: 0.55, w: 0.4, h: 0.4 }, color: 'blue' },
  ]);
  const similar = (block: 'mask' | 'grad' | 'lum' | 'chroma') => cosine(plain[block], blue[block]);
  assert.ok(similar('mask') > 0.95, `mask ${similar('mask')}`);
  assert.ok(similar('grad') > 0.7, `grad ${similar('grad')}`);
  assert.ok(similar('lum') > 0.7, `lum ${similar('lum')}`);
  assert.ok(similar('chroma') < 0, `chroma ${similar('chroma')}`);
});

test('the background is found, noiseless on a clean render; the synthetic codec blurs but keeps the picture', async () => {
  const scene: Scene = { size: 128, background: 'light blue', style: 'noto', layout: { kind: 'single' }, objects: [{ kind: 'shape', shape: 'star', color: 'red', box: { x: 0.1, y: 0.1, w: 0.8, h: 0.8 } }] };
  const clean = canvasPixels(await renderScene(scene));
  const bg = estimateBackground(clean);
  assert.deepEqual(bg.color, [219, 234, 254]);
  assert.equal(bg.noise, 0);
  const degraded = syntheticDegradation(clean);
  assert.equal(degraded.data.length, clean.data.length);
  let diff = 0;
  for (let i = 0; i < clean.data.length; i++) diff += Math.abs(clean.data[i] - degraded.data[i]);
  const mean = diff / clean.data.length;
  assert.ok(mean > 0.5 && mean < 15, `mean change ${mean}`);
});

test('toneSpread: a one-fill shape shows one tone, a two-color recolor two far apart', async () => {
  const [circle, twoTone] = await features([
    { kind: 'shape', shape: 'circle', color: 'gray', box: { x: 0.05, y: 0.05, w: 0.4, h: 0.4 } },
    { kind: 'emoji', concept: 'soccer-ball', color: 'gray', color2: 'red', box: { x: 0.55, y: 0.55, w: 0.4, h: 0.4 } },
  ]);
  assert.ok(circle.toneSpread < 10, `one fill ${circle.toneSpread}`);
  assert.ok(twoTone.toneSpread > 60, `two colors ${twoTone.toneSpread}`);
});
