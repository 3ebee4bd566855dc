import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SceneObject } from '../../world/scene/scene.ts';
import type { EvalCase } from '../suites/eval-case.ts';
import { caseObjectKind, objectKind, OBJECT_KINDS } from './object-kind.ts';

const box = { x: 0, y: 0, w: 1, h: 1 };
const emoji = (extra: object = {}): SceneObject => ({ kind: 'emoji', concept: 'cat-face', box, ...extra });

test('emoji are grouped by paint, a wearer first whatever its paint', () => {
  assert.equal(objectKind(emoji()), 'emoji in its own colors');
  assert.equal(objectKind(emoji({ color: 'blue' })), 'emoji recolored');
  assert.equal(objectKind(emoji({ color: 'blue', color2: 'white' })), 'emoji in two tones');
  assert.equal(objectKind(emoji({ color: 'blue', color2: 'white', pattern: 'striped' })), 'emoji pattern-filled');
  assert.equal(objectKind(emoji({ color: 'red', accessory: { concept: 'crown' } })), 'emoji wearing an accessory');
});

test('shapes and words are one color or patterned', () => {
  assert.equal(objectKind({ kind: 'shape', shape: 'star', color: 'red', box }), 'shape, one color');
  assert.equal(objectKind({ kind: 'shape', shape: 'star', color: 'red', pattern: 'solid', box }), 'shape, one color');
  assert.equal(objectKind({ kind: 'shape', shape: 'star', color: 'red', color2: 'white', pattern: 'checkered', box }), 'shape, patterned');
  assert.equal(objectKind({ kind: 'text', text: 'hi', face: 'sans', script: 'latin', color: 'red', pattern: 'polka-dot', box }), 'word, patterned');
  assert.ok(OBJECT_KINDS.includes(objectKind({ kind: 'text', text: 'hi', face: 'sans', script: 'latin', color: 'red', box })));
});

test('only a text→image case with exactly one object has a kind', () => {
  const scene = (objects: SceneObject[]) => ({ layout: { kind: 'single' }, objects }) as unknown as Extract<EvalCase, { task: 't2i' }>['scene'];
  const t2i = (objects: SceneObject[]) => ({ id: 'x/0', suite: 'x', category: 'x/y', seed: 1, task: 't2i', prompt: 'p', locale: 'en', scene: scene(objects) }) as EvalCase;
  assert.equal(caseObjectKind(t2i([emoji({ color: 'green' })])), 'emoji recolored');
  assert.equal(caseObjectKind(t2i([emoji(), emoji()])), undefined);
  assert.equal(caseObjectKind({ id: 'u/0', suite: 'u', category: 'u/v', seed: 1, task: 'i2t', scene: scene([emoji()]), question: 'q', answers: [] } as unknown as EvalCase), undefined);
});
