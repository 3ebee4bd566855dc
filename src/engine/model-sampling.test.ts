import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENGINE_SAMPLING, parseModelSampling } from './model-sampling.ts';
import { IMAGE_DEFAULTS, TEXT_DEFAULTS } from './options.ts';

test('a section sets only the keys it names; the rest keep the engine defaults', () => {
  const sampling = parseModelSampling({ image: { cfg: 2, temperature: 0.8 }, note: 'tuned on GenEval-style cases' });
  assert.deepEqual(sampling.image, { ...IMAGE_DEFAULTS, cfg: 2, temperature: 0.8 });
  assert.deepEqual(sampling.text, TEXT_DEFAULTS);
  assert.deepEqual(parseModelSampling({}), ENGINE_SAMPLING);
  assert.deepEqual(parseModelSampling({ text: { topP: 0.9 } }).text, { ...TEXT_DEFAULTS, topP: 0.9 });
});

test("an edit section sets an edit's keys over the folder's image settings; without one, edits sample as images do", () => {
  const tuned = parseModelSampling({ image: { cfg: 2, temperature: 0.6 }, edit: { cfg: 1 } });
  assert.deepEqual(tuned.edit, { ...IMAGE_DEFAULTS, cfg: 1, temperature: 0.6 });
  assert.deepEqual(tuned.image, { ...IMAGE_DEFAULTS, cfg: 2, temperature: 0.6 });
  assert.deepEqual(parseModelSampling({ image: { temperature: 0.6 } }).edit, { ...IMAGE_DEFAULTS, temperature: 0.6 });
  assert.throws(() => parseModelSampling({ edit: { temperature: -1 } }), /edit: temperature must be >= 0/);
  assert.throws(() => parseModelSampling({ edits: {} }), /top level: unknown option edits/);
});

test('a seed, unknown keys, wrong types and values out of range fail with what is wrong', () => {
  assert.throws(() => parseModelSampling([]), /must hold a JSON object/);
  assert.throws(() => parseModelSampling({ images: {} }), /top level: unknown option images/);
  assert.throws(() => parseModelSampling({ image: { seed: 3 } }), /image: unknown option seed/);
  assert.throws(() => parseModelSampling({ image: { topk: 3 } }), /unknown option topk \(known: cfg, temperature, topK, topP\)/);
  assert.throws(() => parseModelSampling({ image: { cfg: '2' } }), /image\.cfg must be a number, got "2"/);
  assert.throws(() => parseModelSampling({ image: 2 }), /image must be an object/);
  assert.throws(() => parseModelSampling({ text: { temperature: -1 } }), /text: temperature must be >= 0/);
  assert.throws(() => parseModelSampling({ image: { topP: 0 } }), /image: topP must be in \(0, 1\]/);
  assert.throws(() => parseModelSampling({ note: 7 }), /note must be a string/);
});
