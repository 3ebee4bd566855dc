// The bugs the hostile-input runs found, pinned one by one (the fuzz draws its variants at random,
// so it may not draw these in every run):
//   a deeply nested value crashed the 400's message (JSON.stringify overflowed: a 500), a huge one was echoed whole
//   invalid UTF-8 in a JSON body was read as U+FFFD and generated from
//   an edit form field named __proto__ vanished instead of being an unknown parameter
//   HTTP that does not parse, and paths the adapter refuses, got bare statuses instead of the error shape
//   a client cut off mid-upload was logged as a server error with a stack trace
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, test } from 'node:test';
import { mountChat } from '../chat/index.ts';
import { ChatStore } from '../store/index.ts';
import { startTestServer, tinyModel } from '../test-support.ts';
import { imageSamples } from './images.ts';
import { isErrorShape } from './send.ts';

const { model } = await tinyModel();
const store = ChatStore.memory();
const server = await startTestServer({ model }, { extraRoutes: (app, ctx) => void mountChat(app, ctx, { store, web: false }) });
after(async () => {
  await server.close();
  store.close();
});

const post = (path: string, body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) => fetch(`${server.url}${path}`, { method: 'POST', body, headers });

async function refused(res: Response, code?: string): Promise<{ message: string; code: string | null }> {
  const text = await res.text();
  assert.equal(res.status, 400, text.slice(0, 300));
  assert.ok(text.length < 1000, `a short answer (${text.length} bytes)`);
  const body = JSON.parse(text);
  assert.ok(isErrorShape(body), text);
  if (code) assert.equal(body.error.code, code);
  return body.error;
}

/** The whole answer to raw bytes on a fresh socket (the server closes after a refusal). */
function rawHttp(bytes: string, closeAfterMs?: number): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(bytes);
      if (closeAfterMs !== undefined) setTimeout(() => socket.end(), closeAfterMs);
    });
    let text = '';
    socket.on('data', (d) => {
      text += d;
      if (/\r\n\r\n\{.*\}\}$/s.test(text)) socket.destroy();
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

test('deep or huge values: a short 400 naming the parameter, not a 500 or an echo', async () => {
  const deep = await refused(await post('/v1/images/generations', `{"prompt":${'['.repeat(50_000)}${']'.repeat(50_000)}}`));
  assert.match(deep.message, /'prompt'.*got an array of 1 items/);
  const huge = await refused(await post('/v1/images/generations', JSON.stringify({ prompt: 'x', n: Array.from({ length: 200_000 }, () => 7) })));
  assert.match(huge.message, /'n'.*got an array of 200000 items/);
  await refused(await post('/v1/images/generations', JSON.stringify({ prompt: 'x', quality: { a: { b: 1 } } })));
});

test('invalid UTF-8 in a JSON body is a 400, on the images API and the chat API', async () => {
  const bad = (before: string, after: string) => Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(after)]);
  await refused(await post('/v1/images/generations', bad('{"prompt":"a red ', ' fox"}')), 'invalid_json');
  await refused(await post('/api/conversations', bad('{"title":"', '"}')), 'invalid_json');
  const { id } = store.createConversation('utf8');
  await refused(await post(`/api/conversations/${id}/messages`, bad('{"text":"', '"}')), 'invalid_json');
  assert.equal(store.getConversation(id).messages.length, 0);
  assert.deepEqual(store.listConversations().map((c) => c.title), ['utf8'], 'no conversation titled with U+FFFD');
});

test('an edit form field named __proto__ is an unknown parameter', async () => {
  const form = new FormData();
  form.set('prompt', 'x');
  form.set('__proto__', '{"n":2}');
  form.set('image', new Blob([Buffer.from((await imageSamples()).png)]), 'in.png');
  const error = await refused(await fetch(`${server.url}/v1/images/edits`, { method: 'POST', body: form }), 'unknown_parameter');
  assert.equal(error.message, "Unknown parameter: '__proto__'.");
});

test('HTTP that never reaches the app is refused in the error shape too', async () => {
  const cases: [string, number, string][] = [
    ['GET /client/..\\..\\package.json HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'invalid_request'],
    ['GET /v1/models HTTP/1.1\r\nHost: a b\r\n\r\n', 400, 'invalid_request'],
    [`GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'request_too_large'],
    ['NOT HTTP AT ALL\r\n\r\n', 400, 'invalid_request'],
    ['POST /v1/images/generations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc', 400, 'invalid_request'],
  ];
  for (const [request, status, code] of cases) {
    const answer = await rawHttp(request);
    assert.match(answer, new RegExp(`^HTTP/1.1 ${status} `), JSON.stringify(request.slice(0, 60)));
    assert.match(answer, /\r\ncontent-type: application\/json/i);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    assert.ok(isErrorShape(body));
    assert.equal(body.error.code, code);
  }
});

test('a client cut off mid-upload is not logged as a server error', async () => {
  const logged: unknown[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    const answer = await rawHttp('POST /v1/images/generations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"prompt":"a red', 100);
    assert.match(answer, /^HTTP\/1.1 400 /);
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    console.error = error;
  }
  assert.deepEqual(logged, []);
  assert.deepEqual(await (await fetch(`${server.url}/health`)).json(), { status: 'ok', running: 0, waiting: 0 });
});
