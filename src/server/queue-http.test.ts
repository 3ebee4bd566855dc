// The bounded queue over HTTP: one slot and one waiting place, a 429 with Retry-After past that, and
// clients that leave (while waiting, or mid-stream) free what they held and cancel their runs.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, tinyModel } from './test-support.ts';

const { model, ctx } = await tinyModel();
// Slow decode steps (a few ms each) so a run outlasts the client's reactions; count them.
const decode = ctx.session.decode.bind(ctx.session);
let steps = 0;
let slow = true;
// The running generation's signal, to count decode steps that start after it was aborted.
let runSignal: AbortSignal | undefined;
const engineGenerate = model.engine.generate.bind(model.engine);
model.engine.generate = (options) => ((runSignal = options.signal), engineGenerate(options));
let stepsAfterAbort = 0;
ctx.session.decode = async (cache, tokens, kind) => {
  steps++;
  if (runSignal?.aborted) stepsAfterAbort++;
  if (slow) await sleep(3);
  return decode(cache, tokens, kind);
};
const server = await startTestServer({ model, limits: { concurrency: 1, maxQueue: 1 } });
after(() => server.close());

const generate = (body: object, signal?: AbortSignal) =>
  fetch(`${server.url}/v1/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ quality: 'low', ...body }), ...(signal ? { signal } : {}) });

async function health(): Promise<{ running: number; waiting: number }> {
  return (await fetch(`${server.url}/health`)).json();
}

async function until(what: string, ok: (h: { running: number; waiting: number }) => boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (ok(await health())) return;
    await sleep(20);
  }
  assert.fail(`timed out waiting for ${what}: ${JSON.stringify(await health())}`);
}

test('full queue -> 429 + Retry-After; leaving while queued or mid-stream frees the place and cancels the run', async () => {
  const streaming = new AbortController();
  const stream = await generate({ prompt: 'a red fox', stream: true, partial_images: 3 }, streaming.signal);
  assert.equal(stream.status, 200);
  const reader = stream.body!.getReader();
  let text = '';
  while (!text.includes('event: image_generation.partial_image')) text += new TextDecoder().decode((await reader.read()).value);

  const waiting = new AbortController();
  const queued = generate({ prompt: 'waits' }, waiting.signal).catch((error: Error) => error);
  await until('the second request to queue', (h) => h.running === 1 && h.waiting === 1);

  const busy = await generate({ prompt: 'turned away' });
  assert.equal(busy.status, 429);
  assert.ok(Number(busy.headers.get('retry-after')) >= 1);
  assert.equal((await busy.json()).error.code, 'rate_limit_exceeded');

  waiting.abort();
  assert.equal((await queued as Error).name, 'AbortError');
  await until('the queued request to leave', (h) => h.waiting === 0);

  streaming.abort();
  await until('the streaming run to release its slot', (h) => h.running === 0);
  const stoppedAt = steps;
  assert.ok(stoppedAt < 200, `the run was cancelled early (${stoppedAt} of 257 decode steps)`);
  await sleep(30);
  assert.equal(steps, stoppedAt, 'no decoding after the cancel');
  assert.equal(stepsAfterAbort, 0, 'cancelled within one decode step: none started once the run was aborted');
  slow = false;

  const next = await generate({ prompt: 'next' });
  assert.equal(next.status, 200);
  assert.equal((await next.json()).data.length, 1);
});
