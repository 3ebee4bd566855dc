import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../random.ts';
import { SceneSampler } from '../scene/sampler.ts';
import { FULL_WORLD } from '../scene/world-config.ts';
import { coreVocabulary } from '../catalog/core-vocabulary.ts';
import { ConceptNames } from '../caption/object-names.ts';
import { renderScene } from '../render/renderer.ts';
import type { Box, Scene } from '../scene/scene.ts';
import { sampleEdit } from './edits.ts';

const names = new ConceptNames(coreVocabulary());

async function pixels(scene: Scene): Promise<Uint8ClampedArray> {
  const canvas = await renderScene(scene);
  return canvas.getContext('2d').getImageData(0, 0, scene.size, scene.size).data;
}

function inside(px: number, py: number, boxes: Box[], size: number): boolean {
  // One pixel of slack: antialiased edges may spill into the neighbouring pixel.
  return boxes.some((b) => px >= b.x * size - 1 && px < (b.x + b.w) * size + 1 && py >= b.y * size - 1 && py < (b.y + b.h) * size + 1);
}

test('object edits change pixels only inside the edited objects\' boxes', async () => {
  const sampler = new SceneSampler(FULL_WORLD);
  let checked = 0;
  for (let seed = 0; checked < 40 && seed < 400; seed++) {
    const scene = sampler.scene(new Random(seed));
    const edit = sampleEdit(new Random(seed + 1), scene, sampler, names);
    if (edit.kind === 'background') continue;
    const changed = [...edit.source.objects, ...edit.target.objects].filter(
      (o) => !edit.source.objects.some((s) => JSON.stringify(s) === JSON.stringify(o)) || !edit.target.objects.some((t) => JSON.stringify(t) === JSON.stringify(o)),
    );
    assert.ok(changed.length > 0, `seed ${seed}: ${edit.kind} changed no object`);
    const a = await pixels(edit.source);
    const b = await pixels(edit.target);
    const boxes = changed.map((o) => o.box);
    let outside = 0;
    let insideChanged = 0;
    for (let i = 0; i < a.length; i += 4) {
      const p = i / 4;
      const differs = a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2];
      if (!differs) continue;
      if (inside(p % scene.size, Math.floor(p / scene.size), boxes, scene.size)) insideChanged++;
      else outside++;
    }
    assert.equal(outside, 0, `seed ${seed}: ${edit.kind} "${edit.instruction}" changed ${outside} pixels outside the edited boxes`);
    assert.ok(insideChanged > 0 || edit.kind === 'recolor', `seed ${seed}: ${edit.kind} changed nothing`);
    checked++;
  }
  assert.ok(checked >= 40);
});

test('a background edit changes the background and no object', () => {
  const sampler = new SceneSampler(FULL_WORLD);
  for (let seed = 0; seed < 300; seed++) {
    const scene = sampler.scene(new Random(seed));
    const edit = sampleEdit(new Random(seed + 1), scene, sampler, names);
    if (edit.kind !== 'background') continue;
    assert.notEqual(edit.target.background, edit.source.background);
    assert.deepEqual(edit.target.objects, edit.source.objects);
  }
});
