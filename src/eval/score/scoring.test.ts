import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { renderScene } from '../../world/render/renderer.ts';
import type { ObjectSpec } from '../../world/scene/sampler.ts';
import { cellBox, type Scene, type SceneObject } from '../../world/scene/scene.ts';
import type { CharacterCase, EditCase, UnderstandCase } from '../suites/eval-case.ts';
import { canvasPixels, type Rgba } from '../verifier/image.ts';
import { TEST_BANK } from '../verifier/test-bank.ts';
import { Verifier } from '../verifier/verifier.ts';
import { detectObjects } from './detect.ts';
import { scoreAnswer } from './score-answer.ts';
import { editDiff, psnrOutside, PSNR_CAP, scoreEdit, tokenIdentity } from './score-edit.ts';
import { scoreCharacter } from './score-character.ts';
import { relationsBetween, scoreImage } from './score-image.ts';

let verifier: Verifier;
before(async () => {
  verifier = await Verifier.create({ bank: TEST_BANK, images: 'clean' });
});

const pixels = async (scene: Scene): Promise<Rgba> => canvasPixels(await renderScene(scene));

function grid(objects: ObjectSpec[]): Scene {
  return {
    size: 128, background: 'white', style: 'twemoji', layout: { kind: 'grid', rows: 2, cols: 2 },
    objects: objects.map((o, i) => ({ ...o, cell: { row: i >> 1, col: i % 2 }, box: cellBox({ row: i >> 1, col: i % 2 }, 2, 2) }) as SceneObject),
  };
}

const FOUR = grid([
  { kind: 'shape', shape: 'circle', color: 'red' },
  { kind: 'shape', shape: 'star', color: 'blue' },
  { kind: 'emoji', concept: 'cat-face' },
  { kind: 'shape', shape: 'square', color: 'green' },
]);

test('a grid scores each cell: its own render is right, a different scene is wrong', async () => {
  const right = scoreImage(verifier, await pixels(FOUR), FOUR);
  assert.equal(right.score, 1, right.note);
  assert.equal(right.pass, true);
  const other = grid([
    { kind: 'shape', shape: 'triangle', color: 'red' },
    { kind: 'shape', shape: 'star', color: 'yellow' },
    { kind: 'emoji', concept: 'dog-face' },
    { kind: 'shape', shape: 'square', color: 'green' },
  ]);
  const wrong = scoreImage(verifier, await pixels(other), FOUR);
  assert.equal(wrong.score, 0.25, wrong.note);
  assert.equal(wrong.pass, false);
});

test('an emoji in another style than the scene\'s is wrong unless the prompt named none', async () => {
  const single = (style: Scene['style']): Scene => ({ size: 128, background: 'white', style, layout: { kind: 'single' }, objects: [{ kind: 'emoji', concept: 'cat-face', box: { x: 0.1, y: 0.1, w: 0.8, h: 0.8 } }] });
  const drawn = await pixels(single('noto'));
  const asked = single('twemoji');
  const strict = scoreImage(verifier, drawn, asked);
  assert.equal(strict.pass, false, strict.note);
  assert.equal(strict.objects[0]?.concept, true, 'the cat is read as a cat');
  assert.equal(strict.objects[0]?.style?.ok, false);
  const open = scoreImage(verifier, drawn, asked, { style: 'any' });
  assert.equal(open.pass, true, open.note);
  assert.equal(open.objects[0]?.style, undefined, 'no style judged');
  assert.equal(scoreImage(verifier, drawn, asked, { style: 'noto' }).pass, true, 'another style named in place of the scene\'s');
});

test('a character may be drawn in any style first, and must keep that style in the next turn', async () => {
  const cat: SceneObject = { kind: 'emoji', concept: 'cat-face', box: { x: 0.1, y: 0.1, w: 0.8, h: 0.8 } };
  const intro: Scene = { size: 128, background: 'white', style: 'twemoji', layout: { kind: 'single' }, objects: [cat] };
  const beside: Scene = {
    ...intro,
    layout: { kind: 'free' },
    objects: [{ ...cat, box: { x: 0.05, y: 0.3, w: 0.4, h: 0.4 } }, { kind: 'emoji', concept: 'dog-face', box: { x: 0.55, y: 0.3, w: 0.4, h: 0.4 } }],
  };
  const c: CharacterCase = { id: 'character/0', suite: 'character', category: 'character', seed: 1, task: 'multiturn', turns: [{ prompt: 'draw a cat', scene: intro }, { prompt: 'show the same character to the left of a dog', scene: beside }] };
  const inNoto = [await pixels({ ...intro, style: 'noto' }), await pixels({ ...beside, style: 'noto' })];
  const kept = scoreCharacter(verifier, inNoto, c);
  assert.equal(kept.pass, true, kept.note);
  const switched = scoreCharacter(verifier, [inNoto[0], await pixels(beside)], c);
  assert.equal(switched.metrics.first, 1, switched.note);
  assert.equal(switched.pass, false, `the second turn left the style the first drew: ${switched.note}`);
});

test('counting finds each copy; a scene with one fewer fails', async () => {
  const boxes = [{ x: 0.05, y: 0.05, w: 0.25, h: 0.25 }, { x: 0.6, y: 0.1, w: 0.25, h: 0.25 }, { x: 0.3, y: 0.6, w: 0.25, h: 0.25 }];
  const scene: Scene = { size: 128, background: 'white', style: 'twemoji', layout: { kind: 'count', count: 3 }, objects: boxes.map((box) => ({ kind: 'shape', shape: 'heart', color: 'red', box })) };
  const image = await pixels(scene);
  assert.equal(detectObjects(image).length, 3);
  assert.equal(scoreImage(verifier, image, scene).pass, true);
  const fewer = await pixels({ ...scene, layout: { kind: 'count', count: 2 }, objects: scene.objects.slice(0, 2) });
  const scored = scoreImage(verifier, fewer, scene);
  assert.equal(scored.pass, false);
  assert.equal(scored.metrics.count, 0);
});

test('an edit is scored on the changed cell, the kept cells, tokens and PSNR outside', async () => {
  const target: Scene = { ...FOUR, objects: FOUR.objects.map((o, i) => (i === 1 ? ({ ...o, color: 'yellow' } as SceneObject) : o)) };
  const c: EditCase = { id: 'e', suite: 'edit', category: 'edit/recolor', task: 'edit', seed: 0, kind: 'recolor', instruction: 'make the star yellow', source: FOUR, target };
  assert.deepEqual(editDiff(FOUR, target).changed, [target.objects[1]]);
  const source = await pixels(FOUR);
  const done = scoreEdit(verifier, { output: await pixels(target), source }, c);
  assert.equal(done.pass, true, done.note);
  assert.equal(done.metrics.psnr, PSNR_CAP);
  const undone = scoreEdit(verifier, { output: source, source }, c);
  assert.equal(undone.metrics.edited, 0, undone.note);
  // Token identity counts only cells away from the edited box.
  const codes = Array.from({ length: 256 }, (_, i) => i);
  const changed = codes.map((v, i) => (i % 16 >= 8 && i < 128 ? v + 1 : v)); // the top-right quarter differs
  assert.equal(tokenIdentity(changed, codes, [{ x: 0.5, y: 0, w: 0.5, h: 0.5 }]), 1);
  assert.equal(tokenIdentity(changed, codes, []), 0.75);
  assert.ok(psnrOutside(source, await pixels(target), [])! < 40);
});

test('answers are matched with the world\'s words', () => {
  const base = { id: 'u', suite: 'understanding', category: 'understanding/question', task: 'i2t', seed: 0, scene: FOUR } as const;
  const ask = (question: string, answer: string, open = false): UnderstandCase => ({ ...base, question, answer, open });
  assert.equal(scoreAnswer('2 (two)', ask('how many?', '2 (two)')).pass, true);
  assert.equal(scoreAnswer('there are two', ask('how many?', '2 (two)')).pass, true);
  assert.equal(scoreAnswer('three', ask('how many?', '2 (two)')).pass, false);
  assert.equal(scoreAnswer('it is left of it', ask('where?', 'left of')).pass, true);
  assert.equal(scoreAnswer('right of', ask('where?', 'left of')).pass, false);
  assert.equal(scoreAnswer('a blue star', ask('what is in row 1, column 2?', 'a blue star')).pass, true);
  assert.equal(scoreAnswer('a red star', ask('what is in row 1, column 2?', 'a blue star')).pass, false);
  const caption = scoreAnswer('2×2 grid of a red circle, a blue star, a cat and a green square', ask('describe the image', '', true));
  assert.equal(caption.score, 1);
  assert.equal(scoreAnswer('a red circle and a blue star', ask('describe the image', '', true)).score, 0.5);
});

test('position accepts every relation a pair\'s geometry supports, never the wrong side', () => {
  const at = (x: number, y: number) => ({ x, y, w: 0.2, h: 0.2 });
  assert.deepEqual([...relationsBetween(at(0.1, 0.4), at(0.6, 0.4))], ['left of']);
  assert.deepEqual([...relationsBetween(at(0.1, 0.1), at(0.6, 0.58))].sort(), ['above', 'left of']);
  assert.deepEqual([...relationsBetween(at(0.6, 0.6), at(0.1, 0.1))].sort(), ['below', 'right of']);
  assert.equal(relationsBetween(at(0.4, 0.1), at(0.42, 0.6)).has('left of'), false);
});
