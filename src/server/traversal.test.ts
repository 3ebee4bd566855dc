// Paths cannot escape their folders. Requests go over a raw socket, so `..` and its encodings reach
// the server exactly as sent (fetch would tidy them first). No path on the server is built from
// request input but the web UI's file names (checked against a strict pattern); chat images are
// rows looked up by id and models are named, never located, by requests. So: ids that look like
// paths are unknown ids (404, nothing read, nothing deleted); the web UI serves only its two folders.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, test } from 'node:test';
import { mountChat } from './chat/index.ts';
import { isErrorShape } from './hostile/send.ts';
import { ChatStore } from './store/index.ts';
import { startTestServer, tinyModel } from './test-support.ts';

const { model } = await tinyModel();
const store = ChatStore.memory();
const server = await startTestServer({ model }, { extraRoutes: (app, ctx) => void mountChat(app, ctx, { store }) });
after(async () => {
  await server.close();
  store.close();
});

function raw(method: string, path: string, body?: string): Promise<{ status: number; body: string; type: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('latin1');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text, type: res.headers['content-type'] ?? '' }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What must never come back: the package manifest, server source, system files. */
const LEAKS = [/"name": "tessera"/, /from 'hono'/, /root:.*:0:0:/, /^\x89PNG/];

/** `..` in every spelling a decoder might turn back into one. */
const DOTS = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%252e%252e', '%c0%ae%c0%ae', '..%00'];
const SEPS = ['/', '%2f', '%2F', '%5c', '\\', '%252f'];
const climbs = DOTS.flatMap((dot) => SEPS.map((sep) => `${dot}${sep}${dot}${sep}${dot}${sep}`));

function assertRefused(res: { status: number; body: string }, what: string): void {
  assert.ok(res.status === 404 || res.status === 400, `${what}: ${res.status}`);
  for (const leak of LEAKS) assert.doesNotMatch(res.body, leak, what);
}

test('chat ids that look like paths are unknown ids: 404 in the error shape, nothing read or deleted', async (t) => {
  const { id } = store.createConversation('keep me');
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const message = store.addMessage(id, 'user', { text: 'x', images: [{ kind: 'upload', slot: 0, width: 1, height: 1, png }] });
  const imageId = message.images[0].id;
  const ids = [...climbs.flatMap((c) => [`${c}etc${c.at(-1)}passwd`, `${c}package.json`]), `${imageId}/../../package.json`, `${imageId}%2f..%2f..%2fpackage.json`, `${id}%2f..`, '%00', '.%00.'];
  for (const hostile of ids) {
    for (const [method, path] of [
      ['GET', `/api/conversations/${hostile}`], ['DELETE', `/api/conversations/${hostile}`], ['PATCH', `/api/conversations/${hostile}`],
      ['GET', `/api/images/${hostile}`], ['GET', `/api/images/${hostile}?download=1`], ['POST', `/api/images/${hostile}/choose`],
    ]) {
      const res = await raw(method, path, method === 'PATCH' ? '{"title":"pwned"}' : undefined);
      assertRefused(res, `${method} ${path}`);
      assert.ok(res.body.startsWith("{") && isErrorShape(JSON.parse(res.body)), `${method} ${path}: ${res.status} ${res.body}`);
    }
  }
  t.diagnostic(`${ids.length} ids x 6 routes refused`);
  assert.equal(store.getConversation(id).title, 'keep me', 'nothing renamed or deleted');
  assert.deepEqual([...store.getImage(imageId).png!], [...png]);
  assert.equal((await raw('GET', `/api/images/${imageId}`)).status, 200, 'the real id still works');
});

test('the web UI serves its two folders and nothing else, however the path is spelled', async (t) => {
  assert.equal((await raw('GET', '/client/main.ts')).status, 200);
  assert.equal((await raw('GET', '/assets/styles.css')).status, 200);
  const targets = ['package.json', 'src/server/app.ts', 'server/app.ts', 'assets.ts', 'etc/passwd'];
  const paths = [
    ...['/client/', '/assets/', '/'].flatMap((root) => climbs.flatMap((c) => targets.map((t) => `${root}${c}${t}`))),
    '/client/assets.test.ts', '/client/..', '/assets/.', '/client/main.ts%00.css', '/assets/styles.css/..%2f..%2fassets.ts',
    'http://127.0.0.1/client/../../package.json', '/client//..//..//package.json', '/client/%2e%2e/%2e%2e/package.json',
  ];
  for (const path of paths) {
    const res = await raw('GET', path);
    if (res.status === 200) {
      // Some spellings normalize to a real page (`/client/..` is `/`): then it must be that page, not a leak.
      assert.match(res.type, /^text\/html/, path);
      assert.match(res.body, /<script type="module" src="\/client\/main.ts">/, path);
    } else {
      assertRefused(res, path);
    }
    for (const leak of LEAKS) assert.doesNotMatch(res.body, leak, path);
  }
  t.diagnostic(`${paths.length} paths, none outside public/ and client/`);
});

test('a request names a model, never a folder: path-like model names are refused', async () => {
  for (const name of ['../../models/default', '/etc/passwd', 'file:///etc/passwd', '..\\..\\models\\default', 'tessera/../../etc']) {
    const res = await raw('POST', '/v1/images/generations', JSON.stringify({ prompt: 'x', model: name }));
    assert.equal(res.status, 400, name);
    assert.equal(JSON.parse(res.body).error.code, 'model_not_found');
    assertRefused(await raw('GET', `/v1/models/${encodeURIComponent(name)}`), name);
  }
});
