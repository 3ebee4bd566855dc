// `tessera serve` under faults, through the real CLI: SIGKILL mid-generation and a restart on the
// same data folder loses nothing the chat API had confirmed; a broken model folder stops startup
// with one line naming the bad file and exit code 2.
// (Store-level kills, mid-write included, are in src/server/store/crash.test.ts; a client leaving
// mid-stream is in src/server/queue-http.test.ts and src/server/chat/disconnect.test.ts.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { BIN, type ServeChild, startServeChild } from '../serve-child.ts';

const TINY = fileURLToPath(new URL('../../model/fixtures/tiny', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'tessera-serve-faults-'));
after(() => rmSync(root, { recursive: true, force: true }));

const JSON_HEADERS = { 'content-type': 'application/json' };

async function call(server: ServeChild, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { ...init, headers: { ...JSON_HEADERS, ...init.headers } });
}

async function json<T>(server: ServeChild, path: string, init?: RequestInit): Promise<T> {
  const res = await call(server, path, init);
  assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

/** Posts a chat turn and reads its stream to the end; returns the `done` event's message id. */
async function turn(server: ServeChild, conversationId: string, body: object): Promise<void> {
  const res = await call(server, `/api/conversations/${conversationId}/messages`, { method: 'POST', body: JSON.stringify(body) });
  const text = await res.text();
  assert.match(text, /event: done/, text.slice(-300));
}

interface Snapshot {
  conversations: { id: string; title: string }[];
  messages: Record<string, { id: string; role: string; text: string }[]>;
  /** image id -> sha256 of the bytes GET /api/images/:id returns. */
  images: Record<string, string>;
}

/** Everything the chat API shows: conversations, their messages, every image's bytes. */
async function snapshot(server: ServeChild): Promise<Snapshot> {
  type View = { id: string; title: string; messages: { id: string; role: string; text: string; images: { id: string }[] }[] };
  const { data } = await json<{ data: { id: string; title: string }[] }>(server, '/api/conversations');
  const shot: Snapshot = { conversations: data.map(({ id, title }) => ({ id, title })), messages: {}, images: {} };
  for (const { id } of data) {
    const view = await json<View>(server, `/api/conversations/${id}`);
    shot.messages[id] = view.messages.map(({ id, role, text }) => ({ id, role, text }));
    for (const image of view.messages.flatMap((m) => m.images)) {
      const res = await call(server, `/api/images/${image.id}`);
      assert.equal(res.status, 200);
      shot.images[image.id] = createHash('sha256').update(new Uint8Array(await res.arrayBuffer())).digest('hex');
    }
  }
  return shot;
}

test('kill -9 mid-generation, restart on the same data folder: every stored conversation and image is there', async (t) => {
  const data = join(root, 'data');
  const first = await startServeChild(['--model', TINY, '--data', data]);
  let before: Snapshot;
  let dangling: string;
  try {
    const upload = (await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } }).png().toBuffer()).toString('base64');
    const a = await json<{ id: string }>(first, '/api/conversations', { method: 'POST', body: '{}' });
    await turn(first, a.id, { text: 'a red star', images: [`data:image/png;base64,${upload}`], seed: 1 });
    await turn(first, a.id, { text: 'now make it blue', seed: 2 });
    const b = await json<{ id: string }>(first, '/api/conversations', { method: 'POST', body: '{"title":"second"}' });
    await turn(first, b.id, { text: 'two green squares', n: 2, seed: 3 });
    await json(first, `/api/conversations/${b.id}`, { method: 'PATCH', body: '{"title":"renamed"}' });
    before = await snapshot(first);
    assert.equal(Object.keys(before.images).length, 1 + 1 + 1 + 2, 'an upload, two replies, two candidates');

    // A third turn in A: its user message is committed, then SIGKILL lands halfway through the reply.
    const res = await call(first, `/api/conversations/${a.id}/messages`, { method: 'POST', body: JSON.stringify({ text: 'and a moon', seed: 4 }) });
    const reader = res.body!.getReader();
    let text = '';
    while (!/"rows":8\b/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    dangling = /^data: (.*)$/m.exec(text.slice(text.indexOf('event: user')))![1];
    assert.equal((await first.kill('SIGKILL')).signal, 'SIGKILL');
    await reader.cancel().catch(() => undefined);
  } finally {
    await first.kill('SIGKILL');
  }

  const second = await startServeChild(['--model', TINY, '--data', data]);
  try {
    const now = await snapshot(second);
    const byId = (s: Snapshot) => Object.fromEntries(s.conversations.map((c) => [c.id, c.title]));
    assert.deepEqual(byId(now), byId(before));
    assert.deepEqual(now.images, before.images, 'every image, byte for byte');
    t.diagnostic(`after SIGKILL + restart: ${now.conversations.length} conversations, ${Object.values(now.messages).flat().length} messages, ${Object.keys(now.images).length} images identical`);
    const a = before.conversations.find((c) => c.title !== 'renamed')!.id;
    const user = (JSON.parse(dangling) as { message: { id: string; text: string } }).message;
    assert.deepEqual(now.messages[a], [...before.messages[a], { id: user.id, role: 'user', text: 'and a moon' }], 'the committed user turn, and no half reply');
    for (const [id, messages] of Object.entries(before.messages)) if (id !== a) assert.deepEqual(now.messages[id], messages);

    // The restarted server answers the dangling turn.
    const res = await call(second, `/api/conversations/${a}/regenerate`, { method: 'POST', body: '{}' });
    assert.match(await res.text(), /event: done/);
  } finally {
    assert.equal((await second.kill('SIGTERM')).code, 0);
  }
});

interface Result {
  status: number | null;
  stderr: string;
}

function serve(modelDir: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--model', modelDir, '--data', join(root, 'unused')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

/** A copy of the tiny model folder, broken by `breakIt`. */
function brokenModel(name: string, breakIt: (dir: string) => void): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const file of ['config.json', 'lm.onnx']) copyFileSync(join(TINY, file), join(dir, file));
  breakIt(dir);
  return dir;
}

test('a broken model folder: exit code 2, one line naming the file, no stack trace', async () => {
  const truncate = (path: string, keep: number) => writeFileSync(path, readFileSync(path).subarray(0, keep));
  const cases: [string, (dir: string) => void, string][] = [
    ['no-config', (dir) => rmSync(join(dir, 'config.json')), 'config.json is missing'],
    ['config-not-json', (dir) => writeFileSync(join(dir, 'config.json'), '{"preset": "tiny",'), 'config.json'],
    ['no-graph', (dir) => rmSync(join(dir, 'lm.onnx')), 'lm.onnx is missing'],
    ['truncated-graph', (dir) => truncate(join(dir, 'lm.onnx'), 1000), 'lm.onnx'],
    ['empty-graph', (dir) => truncate(join(dir, 'lm.onnx'), 0), 'lm.onnx'],
    ['corrupt-tokenizer', (dir) => writeFileSync(join(dir, 'tokenizer.json'), '{"version": 1, "merges": ['), 'tokenizer.json'],
    ['wrong-tokenizer', (dir) => copyFileSync(fileURLToPath(new URL('../../../models/default/tokenizer.json', import.meta.url)), join(dir, 'tokenizer.json')), 'tokenizer.json has 4096 text ids'],
  ];
  const results = await Promise.all(cases.map(([name, breakIt]) => serve(brokenModel(name, breakIt))));
  results.forEach((r, i) => {
    const [name, , file] = cases[i];
    assert.equal(r.status, 2, `${name}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('note: '));
    assert.equal(lines.length, 1, `${name}: one line\n${r.stderr}`);
    assert.match(lines[0], /^tessera serve: /, name);
    assert.ok(lines[0].includes(join(root, name, file.split(' ')[0])), `${name}: names ${file}: ${lines[0]}`);
    assert.ok(lines[0].includes(file), `${name}: ${lines[0]}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${name}: no stack trace`);
  });
});
