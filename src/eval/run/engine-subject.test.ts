import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../engine/engine.ts';
import type { ImageCodec } from '../../engine/image-codec.ts';
import type { ImageCase } from '../suites/eval-case.ts';
import { engineSubject } from './engine-subject.ts';

/** An engine that records the options of each call and returns a blank image. */
function recordingEngine(calls: Record<string, unknown>[]): Engine {
  const image = { rgba: { width: 1, height: 1, data: new Uint8Array(4) }, codes: new Uint16Array(256) };
  return {
    config: { image: { tokens: 256 } },
    generate: async (options: Record<string, unknown>) => (calls.push(options), { images: [image] }),
    chat: async (_messages: unknown, options: Record<string, unknown>) => (calls.push(options), { images: [image] }),
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
  assert.deepEqual(subject.sampling, { temperature: 0.7, topK: 40, cfg: 5 });
});

test('without settings the engine defaults apply: no sampling option is passed', async () => {
  const calls: Record<string, unknown>[] = [];
  await engineSubject('m', recordingEngine(calls), {} as ImageCodec).generate(imageCase);
  for (const key of ['temperature', 'topK', 'topP', 'cfg']) assert.equal(key in calls[0], false, key);
});
