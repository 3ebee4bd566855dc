import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { renderScene } from '../../world/render/renderer.ts';
import { cellBox, type Scene, type SceneObject } from '../../world/scene/scene.ts';
import { syntheticDegradation } from './degrade.ts';
import { canvasPixels, faintPaintPage, lighterHalfVanishes, withThresholds, type Rgb, type Rgba } from './image.ts';
import { TEST_BANK } from './test-bank.ts';
import { expectedLabel, hintsFor, Verifier } from './verifier.ts';
import { validateVerifier } from './validation.ts';
import { writeReport } from './report.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let verifier: Verifier;

before(async () => {
  verifier = await Verifier.create({ bank: TEST_BANK, images: 'clean' });
});

/** A verifier for codec output with two-tone references at 2×2, built once for the tests that need it (~25 s). */
let twoToneVerifier: Promise<Verifier> | undefined;
const degradedWithTwoTones = () => (twoToneVerifier ??= Verifier.create({ bank: { ...TEST_BANK, twoToneGrids: [2] }, images: 'degraded' }));

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

test('top5: the expected thing among the five best readings, a softer identity than concept', async () => {
  const { scene, pixels } = await grid([{ kind: 'emoji', concept: 'cat-face' }]);
  const cat = scene.objects[0];
  const right = verifier.checkObject(pixels, cat.box, cat, 'twemoji');
  assert.ok(right.concept && right.top5);
  const runnerUp = right.read.top.find((c) => c.kind === 'emoji' && c.label !== 'cat-face');
  assert.ok(runnerUp, JSON.stringify(right.read.top));
  const near = verifier.checkObject(pixels, cat.box, { ...cat, concept: runnerUp.label } as SceneObject, 'twemoji');
  assert.equal(near.concept, false);
  assert.equal(near.top5, true);
  const far = ['red-apple', 'rocket', 'bicycle'].find((c) => !right.read.top.some((t) => t.label === c))!;
  const miss = verifier.checkObject(pixels, cat.box, { ...cat, concept: far } as SceneObject, 'twemoji');
  assert.equal(miss.top5, false, `${far} in ${JSON.stringify(miss.read.top.map((t) => t.label))}`);
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

test('a paint close to the page is part of the object: white dots on a black bowtie, a blue-and-white giraffe', async () => {
  // The 16-object prompt's two white-on-white cells (examples/sixteen-objects.json). Read against the
  // page's contrast, the white paint (250 on 255) was holes: the bowtie read solid, the giraffe "8".
  const withTwoTones = await Verifier.create({ bank: { ...TEST_BANK, twoToneGrids: [4] }, images: 'clean' });
  const objects = [
    { kind: 'shape', shape: 'bowtie', pattern: 'polka-dot', color: 'black', color2: 'white' },
    { kind: 'emoji', concept: 'giraffe', color: 'blue', color2: 'white' },
  ].map((o, i) => ({ ...o, cell: { row: 1, col: i }, box: cellBox({ row: 1, col: i }, 4, 4) }) as SceneObject);
  const scene: Scene = { size: 128, background: 'white', style: 'twemoji', layout: { kind: 'grid', rows: 4, cols: 4 }, objects };
  const pixels = canvasPixels(await renderScene(scene));
  const [bowtie, giraffe] = withTwoTones.checkScene(pixels, scene).objects;
  assert.equal(bowtie.pattern?.read, 'polka-dot');
  assert.equal(bowtie.correct, true, JSON.stringify({ color: bowtie.color, pattern: bowtie.pattern }));
  assert.equal(giraffe.concept, true, `read ${giraffe.read.kind}:${giraffe.read.label}`);
  assert.equal(giraffe.color?.ok, true, JSON.stringify(giraffe.color));
  // A black bowtie with no dots is still solid: the faint reading finds no paint that is not there.
  const plain = { ...objects[0], pattern: undefined, color2: undefined } as SceneObject;
  const solidScene: Scene = { ...scene, objects: [plain] };
  const solid = withTwoTones.checkObject(canvasPixels(await renderScene(solidScene)), plain.box, { ...plain, pattern: 'polka-dot', color2: 'white' } as SceneObject);
  assert.equal(solid.pattern?.read, 'solid');
  assert.equal(solid.correct, false);
});

test('rainbow fills keep their dark strokes to compare: only black fills are compared by silhouette alone', () => {
  assert.equal(hintsFor({ kind: 'emoji', concept: 'basketball', pattern: 'rainbow', box: cellBox({ row: 0, col: 0 }, 1, 1) }).darkFill, false);
  assert.equal(hintsFor({ kind: 'emoji', concept: 'basketball', pattern: 'striped', color: 'black', color2: 'red', box: cellBox({ row: 0, col: 0 }, 1, 1) }).darkFill, true);
});

test('a bare emoji is compared with bare references only; a wearer still has its accessory read', async () => {
  const withHats = await Verifier.create({ bank: { ...TEST_BANK, concepts: ['cat-face', 'dog-face'], grids: [2], darkGrids: [], accessoryGrids: [2] }, images: 'clean' });
  const { scene, pixels } = await grid([{ kind: 'emoji', concept: 'cat-face' }, { kind: 'emoji', concept: 'dog-face', accessory: { concept: 'top-hat' } }]);
  const [bare, wearing] = scene.objects;
  assert.equal(hintsFor(bare).worn, false);
  assert.equal(hintsFor(wearing).worn, true);
  const bareRead = withHats.checkObject(pixels, bare.box, bare, scene.style).read;
  assert.deepEqual(bareRead.top.filter((c) => c.accessory), [], 'no wearer under a hat among the candidates');
  const worn = withHats.checkObject(pixels, wearing.box, wearing, scene.style);
  assert.equal(worn.concept, true);
  assert.equal(worn.accessory?.ok, true, `read ${worn.read.accessory}`);
});

test('after a codec, a two-tone whose lighter half is white on white is compared by its darker half', async () => {
  const white: Rgb = [255, 255, 255];
  const [blue, yellow, paper] = [[37, 99, 235], [250, 204, 21], [250, 250, 250]] as Rgb[];
  assert.equal(lighterHalfVanishes(withThresholds(white, 8, 1), blue, paper), true);
  assert.equal(lighterHalfVanishes(withThresholds(white, 8, 1), blue, yellow), false);
  // On a clean image white on white is a faint paint, found as it is (the giraffe above).
  assert.equal(lighterHalfVanishes(faintPaintPage(withThresholds(white, 0, 0), [blue, paper]), blue, paper), false);
  // Fluent 3D's drawings in blue and white, through a codec: compared as whole two-tones the dog reads as
  // a crescent (and, before words were held to the tone map too, others as "love" or "4"); with the
  // blue-and-white references (their white half gone too), right.
  const degraded = await degradedWithTwoTones();
  const concepts = ['cat-face', 'dog-face', 'red-apple', 'evergreen-tree'];
  const { scene, pixels } = await grid(concepts.map((concept) => ({ kind: 'emoji', concept, color: 'blue', color2: 'white' })), 'fluent-3d');
  const coded = syntheticDegradation(pixels);
  for (const verdict of degraded.checkScene(coded, scene).objects) assert.equal(verdict.concept, true, `${verdict.expected.label} read ${verdict.read.kind}:${verdict.read.label}`);
  const asWholeTwoTones = scene.objects.filter((o) => degraded.classifyCell(coded, o.box, { paint: 'two-tone', style: 'fluent-3d' }).label !== expectedLabel(o));
  assert.ok(asWholeTwoTones.length >= 1, 'the whole two-tone references miss some (else this test shows nothing)');
});

test('after a codec, round two-tone emoji are not outscored by round shapes: every candidate is compared by the tone map', async () => {
  const degraded = await degradedWithTwoTones();
  const concepts = ['soccer-ball', 'full-moon', 'red-apple', 'cat-face'];
  const twoTone = await grid(concepts.map((concept) => ({ kind: 'emoji', concept, color: 'gray', color2: 'red' })), 'noto');
  // Compared by their drawing alone, shapes took the ball and the moon for circles (a blurred disc either way).
  for (const verdict of degraded.checkScene(syntheticDegradation(twoTone.pixels), twoTone.scene).objects) {
    assert.equal(verdict.concept, true, `${verdict.expected.label} read ${verdict.read.kind}:${verdict.read.label}`);
  }
  // And a gray circle drawn where the two-tone was asked for is still not taken for it.
  const circles = await grid(concepts.map(() => ({ kind: 'shape', shape: 'circle', color: 'gray' })), 'noto');
  for (const verdict of degraded.checkScene(syntheticDegradation(circles.pixels), twoTone.scene).objects) {
    assert.equal(verdict.concept, false, `a gray circle passed for ${verdict.expected.label}`);
  }
});
