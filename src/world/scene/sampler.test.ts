import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../random.ts';
import { SceneSampler } from './sampler.ts';
import { FULL_WORLD, STAGE_ONE } from './world-config.ts';
import { validateScene } from './validate.ts';

function overlap(a: { x: number; y: number; w: number; h: number }, b: typeof a): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

test('sampled scenes are valid, in bounds, and never overlap', () => {
  const sampler = new SceneSampler(FULL_WORLD);
  for (let seed = 0; seed < 300; seed++) {
    const scene = sampler.scene(new Random(seed));
    validateScene(scene);
    for (const o of scene.objects) {
      assert.ok(o.box.x >= 0 && o.box.y >= 0 && o.box.x + o.box.w <= 1.0001 && o.box.y + o.box.h <= 1.0001, `seed ${seed}: box out of bounds`);
    }
    for (let i = 0; i < scene.objects.length; i++) {
      for (let j = i + 1; j < scene.objects.length; j++) assert.ok(!overlap(scene.objects[i].box, scene.objects[j].box), `seed ${seed}: objects ${i} and ${j} overlap`);
    }
    const layout = scene.layout;
    if (layout.kind === 'grid') {
      assert.equal(scene.objects.length, layout.rows * layout.cols);
      scene.objects.forEach((o, k) => assert.deepEqual(o.cell, { row: Math.floor(k / layout.cols), col: k % layout.cols }));
    }
    if (scene.layout.kind === 'count') assert.equal(scene.objects.length, scene.layout.count);
  }
});

test('the same seed gives the same scene', () => {
  const sampler = new SceneSampler(FULL_WORLD);
  assert.deepEqual(sampler.scene(new Random(7)), sampler.scene(new Random(7)));
  assert.notDeepEqual(sampler.scene(new Random(7)), sampler.scene(new Random(8)));
});

test('stage one holds only single objects, small grids and small counts', () => {
  const sampler = new SceneSampler(STAGE_ONE);
  for (let seed = 0; seed < 200; seed++) {
    const scene = sampler.scene(new Random(seed));
    if (scene.layout.kind === 'grid') assert.ok(scene.layout.rows <= 2 && scene.layout.cols <= 2);
    if (scene.layout.kind === 'count') assert.ok(scene.layout.count <= 4);
  }
});
