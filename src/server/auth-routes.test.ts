// With an API key configured, every route the app registers (images, models, health, the chat API,
// whatever is added later: the list is read from the app itself) refuses a request without the key,
// or with a wrong one, with 401 in OpenAI's shape. Only the web UI's static files are public (they
// hold no data), and no spelling of a path reaches an API route through them.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, test } from 'node:test';
import { WEB_PATHS } from '../web/assets.ts';
import { type AppExtras, createApp } from './app.ts';
import { mountChat } from './chat/index.ts';
import { isErrorShape } from './hostile/send.ts';
import { startTestServer, tinyModel } from './test-support.ts';
import { ChatStore } from './store/index.ts';

const KEY = 'sk-test-routes';
const { model } = await tinyModel();
const store = ChatStore.memory();
const extras: AppExtras = { extraRoutes: (a, ctx) => void mountChat(a, ctx, { store }) };
const app = createApp({ model, apiKey: KEY }, extras);
const server = await startTestServer({ model, apiKey: KEY }, extras);
after(async () => {
  await server.close();
  store.close();
});

/** Every method + path the app answers, params filled in; middleware (`*`) left out. */
const routes = [...new Set(app.routes.filter((r) => r.method !== 'ALL' && !r.path.includes('*')).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, 'x-$1')}`))];
const isPublic = (path: string) => path === '/' || WEB_PATHS.some((p) => p.endsWith('/*') && path.startsWith(p.slice(0, -1)));

test('the app registers the routes this test is meant to cover', () => {
  for (const route of ['POST /v1/images/generations', 'POST /v1/images/edits', 'GET /v1/models', 'GET /v1/models/x-id', 'GET /health', 'GET /api/conversations', 'POST /api/conversations/x-id/messages', 'GET /api/images/x-id', 'GET /', 'GET /client/x-name']) {
    assert.ok(routes.includes(route), `${route} in ${routes.join(', ')}`);
  }
});

test('every API route: 401 without the key or with a wrong one; the key lets it through', async (t) => {
  const authorizations = [undefined, 'Bearer wrong', `Bearer ${KEY}x`, `Basic ${Buffer.from(`u:${KEY}`).toString('base64')}`, KEY, 'Bearer', `bearer  ${KEY.slice(0, -1)}`];
  let checked = 0;
  for (const route of routes) {
    const [method, path] = route.split(' ');
    if (isPublic(path)) continue;
    for (const authorization of authorizations) {
      const res = await app.request(path, { method, headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }) });
      assert.equal(res.status, 401, `${route} with ${authorization ?? 'no key'}`);
      const body = await res.json();
      assert.ok(isErrorShape(body));
      assert.equal(body.error.code, 'invalid_api_key');
      checked++;
    }
    const ok = await app.request(path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }) });
    assert.notEqual(ok.status, 401, `${route} with the key`);
  }
  assert.ok(checked >= 14 * authorizations.length, `${checked} refusals`);
  t.diagnostic(`${routes.filter((r) => !isPublic(r.split(' ')[1])).length} API routes x ${authorizations.length} bad keys: ${checked} refusals; public: ${routes.filter((r) => isPublic(r.split(' ')[1])).join(', ')}`);
});

test('the web UI is public; no path through it reaches the API without the key', async () => {
  for (const path of ['/', '/client/main.ts', '/assets/styles.css']) assert.equal((await app.request(path)).status, 200, path);
  const { hostname, port } = new URL(server.url);
  const raw = (path: string) => new Promise<number>((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
  for (const path of ['/assets/../api/conversations', '/client/%2e%2e/api/conversations', '/assets/%2E%2E/v1/models', '/client/.%2e/health', '//api/conversations', '/assets/x/../../api/conversations', '/API/conversations', '/api/conversations/', '/v1/models/', '/assets/..%2fapi%2fconversations']) {
    const status = await raw(path);
    assert.ok(status === 401 || status === 404, `${path}: ${status}`);
  }
});
