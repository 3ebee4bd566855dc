import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { webRoutes } from './assets.ts';

const app = new Hono();
webRoutes(app);

test('the page, its assets, and the client compiled from TypeScript to a module', async () => {
  const page = await app.request('/');
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(page.headers.get('content-security-policy')!, /default-src 'self'/);
  assert.match(await page.text(), /<script type="module" src="\/client\/main.ts">/);
  assert.equal((await app.request('/assets/styles.css')).headers.get('content-type'), 'text/css; charset=utf-8');
  const main = await app.request('/client/main.ts');
  assert.equal(main.headers.get('content-type'), 'text/javascript; charset=utf-8');
  const code = await main.text();
  assert.match(code, /from ".\/api.ts"/, 'imports stay as they are: the browser fetches each module');
  assert.doesNotMatch(code, /wire\.ts|: HTMLElement|interface /, 'types and type-only imports are gone');
});

test('nothing outside the two folders, and no tests or server code, is served', async () => {
  for (const path of ['/client/sse.test.ts', '/client/..%2Fassets.ts', '/client/../assets.ts', '/assets/..%2F..%2Fpackage.json', '/assets/%2e%2e/index.html', '/client/nope.ts', '/assets/styles.css.map', '/client/Main.ts']) {
    assert.equal((await app.request(path)).status, 404, path);
  }
});
