// Hostile input, the suite's short run (bench/fuzz.ts is the long one on a `tessera serve` process):
// every family of malformed request to the images API and the chat API gets a 4xx in OpenAI's error
// shape, nothing hangs, nothing is stored, and the server still generates afterwards.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mountChat } from '../chat/index.ts';
import { ChatStore } from '../store/index.ts';
import { startTestServer, tinyModel } from '../test-support.ts';
import { FAMILY_COUNT, hostileRequests, hostileTargets } from './cases.ts';
import { sendAll, summarize } from './send.ts';

const KEY = 'sk-hostile';
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const { model } = await tinyModel();
const store = ChatStore.memory();
const server = await startTestServer({ model, apiKey: KEY }, { extraRoutes: (app, ctx) => void mountChat(app, ctx, { store, web: false }) });
after(async () => {
  await server.close();
  store.close();
});

/** A conversation with one generated image (real turn, over HTTP), for the chat-edit mask cases. */
async function conversationWithImage(): Promise<{ conversationId: string; imageId: string }> {
  const conversationId = store.createConversation('edit target').id;
  const res = await fetch(`${server.url}/api/conversations/${conversationId}/messages`, { method: 'POST', headers, body: JSON.stringify({ text: 'a red star', seed: 1 }) });
  await res.text();
  const [reply] = store.getConversation(conversationId).messages.filter((m) => m.role === 'assistant');
  return { conversationId, imageId: reply.images[0].id };
}

test('~100 malformed requests, every family: 4xx in the error shape, no hang, nothing stored, still healthy', async (t) => {
  const editTarget = await conversationWithImage();
  const conversationId = store.createConversation('hostile').id;
  const targets = await hostileTargets({ conversationId, editTarget, apiKey: KEY });
  const families = FAMILY_COUNT(true);
  const requests = hostileRequests(families * 4, targets, 1);
  assert.ok(requests.length >= 100, `${requests.length} requests`);

  const report = summarize(await sendAll(server.url, requests, { concurrency: 4, timeoutMs: 15_000 }));
  assert.deepEqual(report.examples, [], 'every answer is a 4xx in OpenAI\'s shape');
  assert.equal(report.hangs, 0);
  assert.equal(Object.keys(report.byFamily).length, families);
  for (const status of Object.keys(report.byStatus)) assert.match(status, /^4\d\d$/);
  t.diagnostic(`${report.total} requests in ${families} families: ${JSON.stringify(report.byStatus)}; slowest ${report.slowestMs} ms`);

  assert.deepEqual(await (await fetch(`${server.url}/health`, { headers })).json(), { status: 'ok', running: 0, waiting: 0 });
  assert.equal(store.getConversation(conversationId).messages.length, 0, 'no malformed request stored a message');
  assert.equal(store.getConversation(editTarget.conversationId).messages.length, 2);
  assert.deepEqual(store.listConversations().map((c) => c.id).sort(), [conversationId, editTarget.conversationId].sort(), 'and none made a conversation');
  const after = await fetch(`${server.url}/v1/images/generations`, { method: 'POST', headers, body: JSON.stringify({ prompt: 'a red fox', quality: 'low' }) });
  assert.equal(after.status, 200);
  assert.equal((await after.json()).data.length, 1);
});
