// The app without a socket (app.request): routing, the one error handler, the lazy model factory,
// and extra routes mounted by other features.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from './app.ts';
import { EngineError } from '../engine/index.ts';
import { ApiError } from './errors.ts';
import type { ServedModel } from './options.ts';

const fakeModel = { id: 'tessera-fake', imageSize: 128, countTokens: () => 0, created: 1 } as unknown as ServedModel;

test('extra routes share the middleware, the error handler and the context', async () => {
  const app = createApp({ model: fakeModel, apiKey: 'k' }, {
    extraRoutes: (app, ctx) => {
      app.get('/v1/extra', async (c) => c.json({ model: (await ctx.model()).id, slots: ctx.queue.concurrency }));
      app.get('/v1/extra/fail', () => { throw ApiError.invalid('nope', 'x'); });
    },
  });
  const auth = { authorization: 'Bearer k' };
  assert.deepEqual(await (await app.request('/v1/extra', { headers: auth })).json(), { model: 'tessera-fake', slots: 1 });
  assert.equal((await app.request('/v1/extra')).status, 401);
  const fail = await app.request('/v1/extra/fail', { headers: auth });
  assert.deepEqual([fail.status, (await fail.json()).error.param], [400, 'x']);
  const missing = await app.request('/v1/nothing', { headers: auth });
  assert.deepEqual([missing.status, (await missing.json()).error.message], [404, 'No route for GET /v1/nothing.']);
});

test('a model factory loads once, lazily; a failure is 503 and the next request retries', async () => {
  let calls = 0;
  const app = createApp({
    model: async () => {
      if (++calls === 1) throw new Error('models/default/config.json is missing');
      return fakeModel;
    },
  });
  assert.equal(calls, 0);
  const failed = await app.request('/v1/models');
  assert.equal(failed.status, 503);
  assert.match((await failed.json()).error.message, /failed to load: models\/default\/config.json is missing/);
  assert.deepEqual(await (await app.request('/v1/models')).json(), { object: 'list', data: [{ id: 'tessera-fake', object: 'model', created: 1, owned_by: 'tessera' }] });
  await app.request('/v1/models/tessera');
  assert.equal(calls, 2);
});

test('malformed bodies are 400 before the model is touched', async () => {
  const app = createApp({ model: async () => assert.fail('the model must not load') });
  const json = await app.request('/v1/images/generations', { method: 'POST', body: '{"prompt":', headers: { 'content-type': 'application/json' } });
  assert.deepEqual([json.status, (await json.json()).error.code], [400, 'invalid_json']);
  const unknown = await app.request('/v1/images/generations', { method: 'POST', body: '{"prompt":"x","seed":1}', headers: { 'content-type': 'application/json' } });
  assert.equal((await unknown.json()).error.message, "Unknown parameter: 'seed'.");
  const form = new FormData();
  form.set('prompt', 'x');
  const noImage = await app.request('/v1/images/edits', { method: 'POST', body: form });
  assert.deepEqual([noImage.status, (await noImage.json()).error.message], [400, "Missing required parameter: 'image'."]);
  form.append('image[]', new Blob([new Uint8Array(4)]), 'a.png');
  form.append('image[]', new Blob([new Uint8Array(4)]), 'b.png');
  const two = await app.request('/v1/images/edits', { method: 'POST', body: form });
  assert.match((await two.json()).error.message, /one image per request; got 2/);
});

test('an error after the stream started is an error event; the slot is freed', async () => {
  const failing = {
    ...fakeModel,
    engine: {
      config: { image: { tokens: 256, grid: [16, 16] } },
      async *generate() {
        yield { type: 'progress', done: 1, total: 258 };
        throw new EngineError('too-long', 'the prompt is 2000 tokens; the model reads at most 1024');
      },
    },
  } as unknown as ServedModel;
  const app = createApp({ model: failing });
  const post = (stream: boolean) => app.request('/v1/images/generations', { method: 'POST', body: JSON.stringify({ prompt: 'x', stream, quality: 'low' }), headers: { 'content-type': 'application/json' } });
  const streamed = await post(true);
  assert.equal(streamed.status, 200);
  const text = await streamed.text();
  assert.match(text, /^event: error\ndata: \{"error":\{"message":"the prompt is 2000 tokens[^"]*","type":"invalid_request_error","param":null,"code":"context_length_exceeded"\}\}\n\n$/);
  const plain = await post(false);
  assert.deepEqual([plain.status, (await plain.json()).error.code], [400, 'context_length_exceeded']);
  assert.deepEqual(await (await app.request('/health')).json(), { status: 'ok', running: 0, waiting: 0 });
});
