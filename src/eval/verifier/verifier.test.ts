import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { renderScene } from '../../world/render/renderer.ts';
import { cellBox, type Scene, type SceneObject } from '../../world/scene/scene.ts';
import { canvasPixels, type Rgba } from './image.ts';
import { TEST_BANK } from './test-bank.ts';
import { Verifier } from './verifier.ts';
import { validateVerifier } from './validation.ts';
import { writeReport } from './report.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let verifier: Verifier;

before(async () => {
  verifier = await Verifier.create({ bank: TEST_BANK, images: 'clean' });
});

type Spec = SceneObject extends infer O ? (O extends SceneObject ? Omit<O, 'box' | 'cell'> : never) : never;

/** A 2×2 scene of these objects, rendered. */
async function grid(specs: Spec[], style: Scene['style'] = 'twemoji', background: Scene['background'] = 'white'): Promise<{ scene: Scene; pixels: Rgba }> {
  const objects = specs.map((spec, i) => {
    const cell = { row: Math.floor(i / 2), col: i % 2 };
    return { ...spec, cell, box: cellBox(cell, 2, 2) } as SceneObject;
  });
  const scene: Scene = { size: 128, background, style, layout: { kind: 'grid', rows: 2, cols: 2 }, objects };
  return { scene, pixels: canvasPixels(await renderScene(scene)) };
}

test('reads clean renders of emoji, shapes and text, in any style', async () => {
  for (const style of ['twemoji', 'noto', 'fluent-3d'] as const) {
    const { scene, pixels } = await grid(
      [
        { kind: 'emoji', concept: 'cat-face' },
        { kind: 'shape', shape: 'circle', color: 'red' },
        { kind: 'text', text: 'OpenAI', face: 'sans', script: 'latin', color: 'blue' },
        { kind: 'emoji', concept: 'giraffe', color: 'blue' },
      ],
      style,
    );
    const verdict = verifier.checkScene(pixels, scene);
    assert.equal(verdict.concepts, 4, JSON.stringify(verdict.objects.map((o) => [o.expected.label, o.read.kind, o.read.label])));
    assert.equal(verdict.objects[0].style?.ok, true, `${style}: read ${verdict.objects[0].read.style}`);
    assert.equal(verdict.objects[1].pattern?.ok, true, `pattern read ${verdict.objects[1].read.pattern}`);
    assert.equal(verdict.correct, 4, JSON.stringify(verdict.objects.filter((o) => !o.correct)));
  }
});

test('a wrong label, style or kind is reported as wrong', async () => {
  const { scene, pixels } = await grid([{ kind: 'emoji', concept: 'cat-face' }, { kind: 'shape', shape: 'square', color: 'green' }]);
  const cat = scene.objects[0];
  const asDog = verifier.checkObject(pixels, cat.box, { ...cat, concept: 'dog-face' } as SceneObject, 'twemoji');
  assert.equal(asDog.concept, false);
  assert.equal(asDog.correct, false);
  assert.equal(asDog.read.label, 'cat-face');
  const wrongStyle = verifier.checkObject(pixels, cat.box, cat, 'openmoji');
  assert.equal(wrongStyle.concept, true);
  assert.equal(wrongStyle.style?.ok, false);
  assert.equal(wrongStyle.correct, false);
  const asTriangle = verifier.checkObject(pixels, scene.objects[1].box, { ...scene.objects[1], shape: 'triangle' } as SceneObject);
  assert.equal(asTriangle.concept, false);
  const asEmoji = verifier.checkObject(pixels, scene.objects[1].box, { kind: 'emoji', concept: 'red-apple', box: scene.objects[1].box });
  assert.equal(asEmoji.kind, false);
});

test('the color check tells red from blue, for a shape and for a recolored emoji', async () => {
  const { scene, pixels } = await grid([
    { kind: 'shape', shape: 'star', color: 'red' },
    { kind: 'emoji', concept: 'dog-face', color: 'blue' },
  ]);
  const [star, dog] = scene.objects;
  assert.equal(verifier.checkObject(pixels, star.box, star).color?.ok, true);
  assert.equal(verifier.checkObject(pixels, star.box, { ...star, color: 'blue' }).color?.ok, false);
  assert.equal(verifier.checkObject(pixels, dog.box, dog).color?.ok, true);
  const redDog = verifier.checkObject(pixels, dog.box, { ...dog, color: 'red' } as SceneObject);
  assert.equal(redDog.color?.ok, false);
  assert.equal(redDog.correct, false);
  assert.equal(verifier.classifyCell(pixels, star.box).color, 'red');
});

test('text matching reads "OpenAI" and "hello" apart', async () => {
  const { scene, pixels } = await grid([
    { kind: 'text', text: 'OpenAI', face: 'serif', script: 'latin', color: 'black' },
    { kind: 'text', text: 'hello', face: 'serif', script: 'latin', color: 'black' },
  ]);
  const [openai, hello] = scene.objects;
  assert.equal(verifier.classifyCell(pixels, openai.box).text, 'OpenAI');
  assert.equal(verifier.classifyCell(pixels, hello.box).text, 'hello');
  assert.equal(verifier.checkObject(pixels, openai.box, { ...openai, text: 'hello' } as SceneObject).concept, false);
  const read = verifier.checkObject(pixels, hello.box, hello);
  assert.equal(read.correct, true, JSON.stringify({ color: read.color, pattern: read.pattern }));
});

test('an empty cell reads as empty, and a black background does not confuse it', async () => {
  const { scene, pixels } = await grid([{ kind: 'emoji', concept: 'red-apple' }], 'noto', 'black');
  assert.equal(verifier.checkScene(pixels, scene).concepts, 1);
  assert.equal(verifier.classifyCell(pixels, cellBox({ row: 1, col: 1 }, 2, 2)).kind, 'empty');
});

test('validation tallies held-out scenes and writes a report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verifier-report-'));
  try {
    // The test bank knows 8 concepts, so the figures here mean nothing; their bookkeeping does.
    const result = await validateVerifier(verifier, { name: 'clean', layouts: [{ name: '2x2', rows: 2, cols: 2, scenes: 2 }] });
    const [layout] = result.layouts;
    assert.equal(layout.identity.total, 8);
    assert.equal(layout.blindIdentity.total, 8);
    assert.equal(Object.values(layout.byGroup).reduce((s, t) => s + t.total, 0), 8);
    assert.equal(layout.confusions.reduce((s, c) => s + c.count, 0), 8 - layout.identity.correct);
    writeReport(dir, [result], { command: 'test', banks: `${verifier.referenceCount} references`, date: '2025-01-01' });
    assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), /\| 2x2 \| 8 \|/);
    assert.equal(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).runs[0].layouts[0].identity.total, 8);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
