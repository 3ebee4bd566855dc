import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImageCodec } from '../engine/image-codec.ts';
import { planJob, runJob } from './image-job.ts';
import type { ImageParams } from './params.ts';
import { tinyModel } from './test-support.ts';

test('a streamed job decodes previews of candidate 0 only, the one it sends', async () => {
  const { model, ctx } = await tinyModel();
  const codec = ctx.codec as Required<ImageCodec>;
  const previewed: number[] = [];
  const real = codec.decodePartialBatch.bind(codec);
  codec.decodePartialBatch = (codes, rows) => (previewed.push(codes.length), real(codes, rows));
  const job = { params: { prompt: 'two stars', quality: 'high', stream: true, partial_images: 3 } as ImageParams };
  const plan = planJob(model, job);
  assert.equal(plan.candidates, 4);
  const events = [];
  for await (const e of runJob(model, job, plan, new AbortController().signal)) events.push(e.type);
  assert.deepEqual(events, ['partial', 'partial', 'partial', 'image']);
  assert.deepEqual(previewed, [1, 1, 1, 1]); // rows 4, 8, 12, 16 of candidate 0; the others are decoded once, at the end
});
