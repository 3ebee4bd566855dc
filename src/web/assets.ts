/**
 * Serves the web UI: `/` is public/index.html, `/assets/<file>` the rest of public/, and
 * `/client/<name>.ts` the browser code, compiled from TypeScript to an ES2022 module on the fly by
 * esbuild (one file at a time, no bundling: the browser follows the `.ts` imports itself). Compiled
 * output is cached until the file changes.
 *
 * Both folders are flat and names are checked against a strict pattern before any path is built,
 * so no request can reach outside them. None of these paths expose data, so they need no API key.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import type { Context, Hono } from 'hono';
import type { Env } from 'hono';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));

/** The paths webRoutes serves (an API-key check should let these through). */
export const WEB_PATHS = ['/', '/assets/*', '/client/*'] as const;

const ASSET_NAME = /^[a-z0-9][a-z0-9-]*\.(html|css|svg|png|webmanifest)$/;
const CLIENT_NAME = /^[a-z0-9][a-z0-9-]*\.ts$/;

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  webmanifest: 'application/manifest+json',
  js: 'text/javascript; charset=utf-8',
};

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  // Everything the page loads comes from this server; images also arrive as blob: URLs.
  'Content-Security-Policy': "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  // Revalidate every time: edits to the UI show up on reload, and the files are small.
  'Cache-Control': 'no-cache',
};

const compiled = new Map<string, { mtimeMs: number; code: string }>();

/** A client module as JavaScript (cached by modification time). */
export async function compileClient(name: string): Promise<string | undefined> {
  if (!CLIENT_NAME.test(name) || name.endsWith('.test.ts')) return undefined;
  const path = join(CLIENT_DIR, name);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const hit = compiled.get(path);
  if (hit && hit.mtimeMs === info.mtimeMs) return hit.code;
  const { code } = await transform(await readFile(path, 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022', sourcemap: 'inline', sourcefile: `/client/${name}` });
  compiled.set(path, { mtimeMs: info.mtimeMs, code });
  return code;
}

async function asset(name: string): Promise<Uint8Array | undefined> {
  if (!ASSET_NAME.test(name)) return undefined;
  return readFile(join(PUBLIC_DIR, name)).catch(() => undefined);
}

function send<E extends Env>(c: Context<E>, body: string | Uint8Array, type: string): Response {
  const bytes = typeof body === 'string' ? body : (body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
  return c.body(bytes, 200, { 'Content-Type': type, ...SECURITY_HEADERS });
}

export function webRoutes<E extends Env>(app: Hono<E>): void {
  app.get('/', async (c) => send(c, (await asset('index.html'))!, TYPES.html));
  app.get('/assets/:name', async (c) => {
    const name = c.req.param('name');
    const bytes = await asset(name);
    return bytes ? send(c, bytes, TYPES[name.split('.').pop()!]) : c.notFound();
  });
  app.get('/client/:name', async (c) => {
    const code = await compileClient(c.req.param('name'));
    return code === undefined ? c.notFound() : send(c, code, TYPES.js);
  });
}
