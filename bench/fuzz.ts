/**
 * Hostile input against a real `tessera serve` process (the tiny model, an API key, a fresh data
 * folder): over a thousand malformed requests to generations, edits and the chat API, and raw
 * HTTP that does not parse (the families are in src/server/hostile/cases.ts), with bodies up to
 * and past the 20 MB limit. Each must get a 4xx in OpenAI's error shape within the timeout; the
 * process must not die, nothing may be stored, and it must still generate afterwards. Prints counts
 * by status and by family as JSON; exit code 1 on any failure. The test suite runs ~100 of the
 * same cases in-process (src/server/hostile/hostile.test.ts).
 *
 *   node --import tsx bench/fuzz.ts
 *   node --import tsx bench/fuzz.ts --count 5000 --seed 7 --concurrency 16
 *
 * On this project's shared 2-core machine run it under `nice -n 19`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServeChild } from '../src/cli/serve-child.ts';
import { TINY_DIR } from '../src/engine/test-support.ts';
import { hostileRequests, hostileTargets } from '../src/server/hostile/cases.ts';
import { sendAll, summarize } from '../src/server/hostile/send.ts';

const { values: flags } = parseArgs({
  options: {
    count: { type: 'string', default: '1200' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
    'timeout-ms': { type: 'string', default: '15000' },
    small: { type: 'boolean', default: false },
  },
});
const KEY = 'sk-fuzz';
const MiB = 1024 * 1024;
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

const dataDir = mkdtempSync(join(tmpdir(), 'tessera-fuzz-'));
const server = await startServeChild(['--model', TINY_DIR, '--data', dataDir], { env: { ...process.env, TESSERA_API_KEY: KEY } });
let crashed = false;
void server.exited.then(() => (crashed = true));
const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
  const res = await fetch(`${server.url}${path}`, { ...init, headers });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (res.headers.get('content-type')?.includes('json') ? res.json() : res.text()) as Promise<T>;
};

// The targets: an empty conversation, and one with a generated image for the chat-edit mask cases.
const empty = await api<{ id: string }>('/api/conversations', { method: 'POST', body: '{"title":"fuzz"}' });
const withImage = await api<{ id: string }>('/api/conversations', { method: 'POST', body: '{"title":"edit target"}' });
const stream = await api<string>(`/api/conversations/${withImage.id}/messages`, { method: 'POST', body: '{"text":"a red star","seed":1}' });
const imageId = /"type":"done","message":\{.*?"images":\[\{"id":"([^"]+)"/.exec(stream)![1];
const targets = await hostileTargets({ conversationId: empty.id, editTarget: { conversationId: withImage.id, imageId }, apiKey: KEY, big: !flags.small });

const rssBefore = server.memory().rss;
const started = performance.now();
const outcomes = await sendAll(server.url, hostileRequests(Number(flags.count), targets, Number(flags.seed)), { concurrency: Number(flags.concurrency), timeoutMs: Number(flags['timeout-ms']) });
const seconds = (performance.now() - started) / 1000;
const report = summarize(outcomes);

// Afterwards: alive, idle, nothing stored, and still generating.
const health = crashed ? null : await api<{ status: string; running: number; waiting: number }>('/health');
const conversations = crashed ? [] : (await api<{ data: { id: string }[] }>('/api/conversations')).data.map((c) => c.id);
const emptyAfter = crashed ? null : (await api<{ messages: unknown[] }>(`/api/conversations/${empty.id}`)).messages.length;
const generation = crashed ? 0 : (await fetch(`${server.url}/v1/images/generations`, { method: 'POST', headers, body: '{"prompt":"a red fox","quality":"low"}' })).status;
const { rss, peak } = server.memory();
const crashes = crashed ? 1 : 0;
const stop = await server.kill('SIGTERM');
rmSync(dataDir, { recursive: true, force: true });

const summary = {
  date: new Date().toISOString(),
  node: process.version,
  requests: report.total,
  seconds: Number(seconds.toFixed(1)),
  crashes,
  failures: report.failures,
  hangs: report.hangs,
  byStatus: report.byStatus,
  slowestMs: report.slowestMs,
  after: {
    health,
    conversations: conversations.length,
    messagesInFuzzedConversation: emptyAfter,
    validGeneration: generation,
    rssBeforeMiB: Number((rssBefore / MiB).toFixed(1)),
    rssAfterMiB: Number((rss / MiB).toFixed(1)),
    peakRssMiB: Number((peak / MiB).toFixed(1)),
    shutdown: stop,
  },
  byFamily: report.byFamily,
  examples: report.examples,
};
console.log(JSON.stringify(summary, null, 2));
const ok = crashes === 0 && report.failures === 0 && health?.running === 0 && health.waiting === 0 && conversations.length === 2 && emptyAfter === 0 && generation === 200 && stop.code === 0;
process.exitCode = ok ? 0 : 1;
