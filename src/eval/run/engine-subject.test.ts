import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../engine/engine.ts';
import type { ImageCodec } from '../../engine/image-codec.ts';
import type { ImageCase } from '../suites/eval-case.ts';
import { engineSubject } from './engine-subject.ts';

/** An engine that records the options of each call and returns a blank image. */
function recordingEngine(calls: Record<string, unknown>[]): Engine {
  const image = (i: number) => ({ rgba: { width: 1, height: 1, data: new Uint8Array(4).fill(i) }, codes: new Uint16Array(256) });
  return {
    config: { image: { tokens: 256 } },
    // The model folder's defaults (its sampling.json), which the report records for what is not given.
    sampling: { image: { seed: 0, cfg: 2, temperature: 0.8, topK: 0, topP: 1 }, edit: { seed: 0, cfg: 1, temperature: 0, topK: 0, topP: 1 }, text: { seed: 0, cfg: 1, temperature: 0, topK: 0, topP: 1 } },
    // As many images as asked for, best first: image i is filled with i.
    generate: async (options: Record<string, unknown>) => (calls.push(options), { images: Array.from({ length: Number(options.n) }, (_, i) => image(i)) }),
    chat: async (_messages: unknown, options: Record<string, unknown>) => (calls.push(options), { images: [image(0)] }),
  } as unknown as Engine;
}

const imageCase = { id: 'c0', task: 't2i', prompt: 'a red star', seed: 11 } as unknown as ImageCase;

test('image sampling settings given to the subject reach every image call; each case keeps its seed', async () => {
  const calls: Record<string, unknown>[] = [];
  const subject = engineSubject('m', recordingEngine(calls), {} as ImageCodec, { temperature: 0.7, topK: 40, cfg: 5 });
  await subject.generate(imageCase);
  await subject.converse({ id: 'c1', seed: 12, turns: [{ prompt: 'a cat' }] } as never);
  assert.equal(calls.length, 2);
  for (const [i, call] of calls.entries()) {
    assert.equal(call.temperature, 0.7);
    assert.equal(call.topK, 40);
    assert.equal(call.cfg, 5);
    assert.equal(call.seed, 11 + i);
  }
  assert.deepEqual(subject.sampling, { temperature: 0.7, topK: 40, cfg: 5, topP: 1 });
  assert.deepEqual(subject.editSampling, { temperature: 0.7, topK: 40, cfg: 5, topP: 1 });
});

test('without settings the model defaults apply: no sampling option is passed, and the report names the defaults', async () => {
  const calls: Record<string, unknown>[] = [];
  const subject = engineSubject('m', recordingEngine(calls), {} as ImageCodec);
  await subject.generate(imageCase);
  for (const key of ['temperature', 'topK', 'topP', 'cfg']) assert.equal(key in calls[0], false, key);
  assert.deepEqual(subject.sampling, { cfg: 2, temperature: 0.8, topK: 0, topP: 1 });
  // Edits sample with the folder's edit section, and the report names it apart.
  assert.deepEqual(subject.editSampling, { cfg: 1, temperature: 0, topK: 0, topP: 1 });
});

test('one sample per case by default; best-of-N asks for N ranked candidates and keeps the first', async () => {
  const calls: Record<string, unknown>[] = [];
  const one = engineSubject('m', recordingEngine(calls), {} as ImageCodec);
  await one.generate(imageCase);
  assert.equal(calls[0].n, 1);
  assert.equal(calls[0].score, false);
  assert.equal(one.bestOf, 1);
  const best = engineSubject('m', recordingEngine(calls), {} as ImageCodec, {}, 4);
  const kept = await best.generate(imageCase);
  assert.equal(calls[1].n, 4);
  assert.equal(calls[1].score, true);
  assert.equal(calls[1].seed, 11);
  assert.equal(kept.rgba.data[0], 0, 'the best-ranked candidate');
  assert.equal(best.bestOf, 4);
  assert.throws(() => engineSubject('m', recordingEngine(calls), {} as ImageCodec, {}, 0), /bestOf must be a positive integer/);
});
