import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderScene } from './renderer.ts';
import { SCRIPTS, FACES_FOR_SCRIPT } from '../catalog/fonts.ts';
import { WORDS } from '../catalog/words.ts';
import { SHAPE_NAMES } from '../catalog/shapes.ts';
import { PATTERN_NAMES } from '../catalog/patterns.ts';
import type { Scene, SceneObject } from '../scene/scene.ts';

const FULL = { x: 0.1, y: 0.1, w: 0.8, h: 0.8 };

function scene(object: SceneObject, background: Scene['background'] = 'white'): Scene {
  return { size: 64, background, style: 'twemoji', layout: { kind: 'single' }, objects: [object] };
}

/** Fraction of pixels that differ from the white background. */
async function inkFraction(s: Scene): Promise<number> {
  const canvas = await renderScene(s);
  const data = canvas.getContext('2d').getImageData(0, 0, s.size, s.size).data;
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) ink++;
  return ink / (s.size * s.size);
}

test('every script renders non-blank in every face that supports it', async () => {
  for (const script of SCRIPTS) {
    for (const face of FACES_FOR_SCRIPT[script]) {
      const ink = await inkFraction(scene({ kind: 'text', text: WORDS[script][0], script, face, color: 'black', box: FULL }));
      assert.ok(ink > 0.02, `${script}/${face} drew ${(ink * 100).toFixed(1)}% ink`);
    }
  }
});

test('every shape and pattern draws something', async () => {
  for (const shape of SHAPE_NAMES) {
    assert.ok((await inkFraction(scene({ kind: 'shape', shape, color: 'blue', box: FULL }))) > 0.05, shape);
  }
  for (const pattern of PATTERN_NAMES) {
    assert.ok((await inkFraction(scene({ kind: 'shape', shape: 'square', pattern, color: 'red', color2: 'blue', box: FULL }))) > 0.3, pattern);
  }
});

test('recoloring changes an emoji, and keeps its silhouette', async () => {
  const plain = await renderScene(scene({ kind: 'emoji', concept: 'cat-face', box: FULL }));
  const blue = await renderScene(scene({ kind: 'emoji', concept: 'cat-face', color: 'blue', box: FULL }));
  const a = plain.getContext('2d').getImageData(0, 0, 64, 64).data;
  const b = blue.getContext('2d').getImageData(0, 0, 64, 64).data;
  let blueish = 0;
  let changed = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) changed++;
    if (b[i + 2] > b[i] + 40) blueish++;
  }
  assert.ok(changed > 500, `only ${changed} pixels changed`);
  assert.ok(blueish > 300, `only ${blueish} blue pixels`);
});

test('an unknown name fails with the closest valid names', async () => {
  await assert.rejects(renderScene(scene({ kind: 'emoji', concept: 'giraf', box: FULL })), /unknown concept in object 1 "giraf"; did you mean "giraffe"/);
  await assert.rejects(renderScene(scene({ kind: 'shape', shape: 'sqare' as never, box: FULL })), /did you mean "square"/);
  await assert.rejects(renderScene({ ...scene({ kind: 'shape', shape: 'star', box: FULL }), style: 'openmoj' as never }), /did you mean "openmoji"/);
  await assert.rejects(renderScene(scene({ kind: 'text', text: 'x', script: 'cjk', face: 'cursive', box: FULL })), /no cursive font for cjk/);
});
