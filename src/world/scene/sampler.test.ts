import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../random.ts';
import { SceneSampler } from './sampler.ts';
import { FULL_WORLD, STAGE_ONE, STARTER, STARTER_FREE, STARTER_STAGE_THREE, STARTER_STAGE_TWO, type WorldConfig } from './world-config.ts';
import { starterVocabulary } from '../catalog/core-vocabulary.ts';
import { validateScene } from './validate.ts';
import { buildEpisodes } from '../episodes/build-episodes.ts';
import { renderScene } from '../render/renderer.ts';
import type { Scene } from './scene.ts';

/** A box coordinate (a fraction of the image) that lands on a whole cell of an `alignTo`-cell grid. */
function onGrid(v: number, alignTo: number): boolean {
  return Math.abs(v * alignTo - Math.round(v * alignTo)) < 1e-9;
}

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

/** Draws `seeds` scenes of a starter step, checking each stays within the starter's concepts, styles and code grid. */
function starterStepScenes(config: WorldConfig, seeds: number) {
  const sampler = new SceneSampler(config);
  const starter = new Set(starterVocabulary().map((c) => c.id));
  const onCodeGrid = (v: number) => onGrid(v, config.alignTo);
  assert.equal(config.alignTo, 16);
  const grids = new Set<string>();
  const kinds = new Map<string, number>();
  let mostCopies = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const scene = sampler.scene(new Random(seed));
    validateScene(scene);
    kinds.set(scene.layout.kind, (kinds.get(scene.layout.kind) ?? 0) + 1);
    if (scene.layout.kind === 'grid') grids.add(`${scene.layout.rows}x${scene.layout.cols}`);
    if (scene.layout.kind === 'count') mostCopies = Math.max(mostCopies, scene.objects.length);
    assert.ok(STARTER.styles.includes(scene.style), `seed ${seed}: style ${scene.style}`);
    for (const o of scene.objects) {
      if (o.kind === 'emoji') assert.ok(starter.has(o.concept), `seed ${seed}: ${o.concept} is not a starter concept`);
      if (!(o.kind === 'emoji' && o.accessory)) assert.ok([o.box.x, o.box.y, o.box.w, o.box.h].every(onCodeGrid), `seed ${seed}: ${JSON.stringify(o.box)} off the code grid`);
    }
  }
  return { grids: [...grids].sort(), kinds, mostCopies };
}

test("the starter's second step adds 3×3 and 4×4 grids on the code grid, within the starter's concepts and styles", () => {
  const { grids, kinds, mostCopies } = starterStepScenes(STARTER_STAGE_TWO, 200);
  assert.deepEqual(grids, ['2x2', '3x3', '4x4']);
  assert.deepEqual([...kinds.keys()].sort(), ['count', 'free', 'grid', 'single']);
  assert.ok(mostCopies <= 4, `${mostCopies} copies: stage 1's counts`);
});

test("the starter's third step draws mostly free and counted scenes, counts up to eight, with the second step's grids and placement", () => {
  const seeds = 400;
  const { grids, kinds, mostCopies } = starterStepScenes(STARTER_STAGE_THREE, seeds);
  assert.equal(mostCopies, 8, 'GenEval counts to eight');
  assert.deepEqual(grids, ['2x2', '3x3', '4x4']);
  const share = (kind: string) => (kinds.get(kind) ?? 0) / seeds;
  // Weights 4 and 3 of 10: ~40 % and ~30 %, against starter-2's ~10 % each.
  assert.ok(share('free') > 0.3 && share('count') > 0.2, `free ${share('free')}, count ${share('count')}`);
  assert.ok(share('single') > 0 && share('grid') > 0 && share('single') + share('grid') < 0.45, `single ${share('single')}, grid ${share('grid')}`);
});

test('stage one places every box of every scene its episodes draw on the code grid; the full world does not', () => {
  const sampler = new SceneSampler(STAGE_ONE);
  const whole = (v: number) => onGrid(v, STAGE_ONE.alignTo);
  let boxes = 0;
  for (let seed = 0; seed < 150; seed++) {
    const scene = sampler.scene(new Random(seed));
    const { scenes } = buildEpisodes(new Random(seed + 1000), sampler, STAGE_ONE, scene);
    for (const s of [scene, ...Object.values(scenes)]) {
      validateScene(s);
      for (const o of s.objects) {
        if (o.kind === 'emoji' && o.accessory) continue; // a wearer shrinks to make room for its hat
        const { x, y, w, h } = o.box;
        assert.ok([x, y, w, h].every(whole) && whole((w - h) / 2), `seed ${seed}: ${JSON.stringify(o.box)} off the grid`);
        boxes++;
      }
      for (let i = 0; i < s.objects.length; i++) {
        for (let j = i + 1; j < s.objects.length; j++) assert.ok(!overlap(s.objects[i].box, s.objects[j].box), `seed ${seed}: objects overlap`);
      }
    }
  }
  assert.ok(boxes > 300);
  const free = new SceneSampler(FULL_WORLD);
  const all = Array.from({ length: 50 }, (_, seed) => free.scene(new Random(seed)).objects.map((o) => o.box)).flat();
  assert.ok(all.some((b) => !whole(b.x)), 'the full world places freely');
});

test('on the code grid, the same emoji in each cell of a 2×2 grid is the same pixels', async () => {
  const sampler = new SceneSampler(STAGE_ONE);
  const grid = sampler.grid(new Random(3), { size: 128, background: 'white', style: 'noto' }, 2, 2);
  const emoji = { kind: 'emoji', concept: sampler.conceptIds[0] } as const;
  const scene: Scene = { ...grid, objects: grid.objects.map((o) => ({ ...emoji, cell: o.cell, box: o.box })) };
  const data = (await renderScene(scene)).getContext('2d').getImageData(0, 0, 128, 128).data;
  const quadrant = (qx: number, qy: number) => {
    const out: number[] = [];
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) out.push(...data.subarray(((qy * 64 + y) * 128 + qx * 64 + x) * 4, ((qy * 64 + y) * 128 + qx * 64 + x) * 4 + 4));
    return out;
  };
  const first = quadrant(0, 0);
  assert.ok(first.some((v, i) => i % 4 !== 3 && v < 200), 'the emoji was drawn');
  for (const [qx, qy] of [[1, 0], [0, 1], [1, 1]]) assert.deepEqual(quadrant(qx, qy), first);
});

test("the free starter step reads freely placed starter-2 scenes: image->text and edits only, boxes off the code grid", () => {
  const sampler = new SceneSampler(STARTER_FREE);
  const tasks = new Map<string, number>();
  let offGrid = 0;
  for (let seed = 0; seed < 60; seed++) {
    const scene = sampler.scene(new Random(seed));
    validateScene(scene);
    if (scene.objects.some((o) => ![o.box.x, o.box.y].every((v) => onGrid(v, 16)))) offGrid++;
    for (const e of buildEpisodes(new Random(seed + 1000), sampler, STARTER_FREE, scene).episodes) tasks.set(e.task, (tasks.get(e.task) ?? 0) + 1);
  }
  assert.deepEqual([...tasks.keys()].sort(), ['edit', 'i2t']);
  assert.equal(tasks.get('edit'), 60);
  assert.ok(offGrid > 40, `${offGrid} of 60 scenes off the code grid`);
});
