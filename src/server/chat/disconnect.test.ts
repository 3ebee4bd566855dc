// A web-chat client that disconnects mid-stream, over a real socket: the server stops the run
// before the next decode step (no step starts after its signal aborts), frees the queue slot and
// the conversation, and stores no half reply. The images API's twin is in ../queue-http.test.ts.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChatStore } from '../store/index.ts';
import { startTestServer, tinyModel } from '../test-support.ts';
import { mountChat } from './index.ts';

const { model, ctx } = await tinyModel();
let runSignal: AbortSignal | undefined;
const chat = model.engine.chat.bind(model.engine);
model.engine.chat = (messages, options) => {
  runSignal = options?.signal;
  return chat(messages, options);
};
let steps = 0;
let stepsAfterAbort = 0;
const decode = ctx.session.decode.bind(ctx.session);
ctx.session.decode = async (cache, tokens, kind) => {
  steps++;
  if (runSignal?.aborted) stepsAfterAbort++;
  await sleep(2); // slow enough that the client's reaction lands mid-run
  return decode(cache, tokens, kind);
};

const store = ChatStore.memory();
const server = await startTestServer({ model, limits: { concurrency: 1, maxQueue: 0 } }, { extraRoutes: (app, c) => void mountChat(app, c, { store, web: false }) });
after(async () => {
  await server.close();
  store.close();
});

const post = (id: string, text: string, signal?: AbortSignal) =>
  fetch(`${server.url}/api/conversations/${id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, seed: 1 }), ...(signal ? { signal } : {}) });
const health = async () => (await (await fetch(`${server.url}/health`)).json()) as { status: string; running: number; waiting: number };

test('disconnecting mid-stream cancels the chat run within one decode step and frees the slot', async (t) => {
  const { id } = store.createConversation('leaving');
  const leaving = new AbortController();
  const res = await post(id, 'a red star', leaving.signal);
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('event: partial')) text += new TextDecoder().decode((await reader.read()).value);
  leaving.abort();

  for (let i = 0; i < 200 && (await health()).running > 0; i++) await sleep(10);
  assert.deepEqual(await health(), { status: 'ok', running: 0, waiting: 0 });
  assert.ok(runSignal?.aborted, 'the run was aborted');
  assert.equal(stepsAfterAbort, 0, 'no decode step started after the abort');
  assert.ok(steps < 257, `stopped early (${steps} of 257 steps)`);
  const stoppedAt = steps;
  t.diagnostic(`stopped after ${steps} of 257 decode steps; ${stepsAfterAbort} started after the abort`);
  await sleep(50);
  assert.equal(steps, stoppedAt, 'and none since');
  assert.deepEqual(store.getConversation(id).messages.map((m) => m.role), ['user'], 'no half reply stored');

  // maxQueue 0: had the slot leaked, this would be a 429; the conversation is free too (no 409).
  const next = await post(id, 'again');
  assert.equal(next.status, 200);
  assert.match(await next.text(), /event: done/);
});
