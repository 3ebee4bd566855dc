/**
 * The server under load: a `tessera serve` child process (the tiny model by default) and 50
 * concurrent clients on loopback, mixing generations (JSON), streamed generations (SSE) and edits
 * (multipart), for a few rounds bounded in time and in requests. Every request must be served (a
 * checked image) or refused with 429 and a Retry-After; a client that is refused waits
 * min(Retry-After, 2 s) with jitter, so the queue stays full. Prints one JSON summary: crashes,
 * p50/p99 latency of served requests, throughput, 429s, the server's peak RSS and its RSS after each
 * round (memory must not grow across rounds). Exit code 1 when any check fails.
 *
 *   node --import tsx bench/load.ts
 *   node --import tsx bench/load.ts --clients 50 --rounds 3 --seconds 20 --max-requests 600
 *   node --import tsx bench/load.ts --model models/default --vq models/vq --seconds 60
 *
 * On this project's shared 2-core machine run it under `nice -n 19`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { startServeChild } from '../src/cli/serve-child.ts';
import { TINY_DIR } from '../src/engine/test-support.ts';
import { isErrorShape } from '../src/server/hostile/send.ts';

const { values: flags } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '20' },
    'max-requests': { type: 'string', default: '600' },
    'timeout-ms': { type: 'string', default: '120000' },
    concurrency: { type: 'string', default: '1' },
    'max-queue': { type: 'string', default: '8' },
    model: { type: 'string', default: TINY_DIR },
    vq: { type: 'string' },
  },
});
const CLIENTS = Number(flags.clients);
const ROUNDS = Number(flags.rounds);
const ROUND_MS = Number(flags.seconds) * 1000;
const MAX_REQUESTS = Number(flags['max-requests']);
const TIMEOUT_MS = Number(flags['timeout-ms']);
const MiB = 1024 * 1024;

type Kind = 'generation' | 'stream' | 'edit';
const KINDS: Kind[] = ['generation', 'stream', 'edit'];

interface Outcome {
  kind: Kind;
  status: number;
  ms: number;
  served: boolean;
  refused: boolean;
  problem?: string;
}

const PNG_B64 = 'iVBORw0KGgo'; // base64 of the PNG signature
const source = await sharp({ create: { width: 128, height: 128, channels: 3, background: '#3a7' } }).png().toBuffer();
const prompts = ['a red fox', 'two blue stars on a yellow background', 'a green square next to a circle', 'a cat with a hat'];

async function request(base: string, kind: Kind, i: number): Promise<Response> {
  const prompt = prompts[i % prompts.length];
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  if (kind === 'edit') {
    const form = new FormData();
    form.set('prompt', prompt);
    form.set('quality', 'low');
    form.set('image', new Blob([source], { type: 'image/png' }), 'source.png');
    return fetch(`${base}/v1/images/edits`, { method: 'POST', body: form, signal });
  }
  const body = { prompt, quality: 'low', ...(kind === 'stream' ? { stream: true, partial_images: 1 } : {}) };
  return fetch(`${base}/v1/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
}

/** One request, judged: served with a real image, refused with 429 + Retry-After, or a failure. */
async function one(base: string, kind: Kind, i: number): Promise<Outcome & { retryAfter?: number }> {
  const started = performance.now();
  const result = (status: number, verdict: { served?: boolean; refused?: boolean; problem?: string; retryAfter?: number }) => ({ kind, status, ms: performance.now() - started, served: false, refused: false, ...verdict });
  try {
    const res = await request(base, kind, i);
    const text = await res.text();
    if (res.status === 429) {
      const retryAfter = Number(res.headers.get('retry-after'));
      const shaped = (() => { try { return isErrorShape(JSON.parse(text)); } catch { return false; } })();
      if (!Number.isInteger(retryAfter) || retryAfter < 1 || !shaped) return result(429, { problem: `429 without a Retry-After or the error shape: ${res.headers.get('retry-after')} ${text.slice(0, 100)}` });
      return result(429, { refused: true, retryAfter });
    }
    if (res.status !== 200) return result(res.status, { problem: text.slice(0, 200) });
    if (kind === 'stream') {
      const ok = /event: image_generation\.completed\ndata: \{"type":"image_generation\.completed","b64_json":"iVBORw0KGgo/.test(text) && !text.includes('event: error');
      return result(200, ok ? { served: true } : { problem: `a stream without its image: ${text.slice(-200)}` });
    }
    const image = (JSON.parse(text) as { data?: { b64_json?: string }[] }).data?.[0]?.b64_json;
    return result(200, image?.startsWith(PNG_B64) ? { served: true } : { problem: `200 without a PNG: ${text.slice(0, 200)}` });
  } catch (error) {
    return result(0, { problem: `${(error as Error).name}: ${(error as Error).message}` });
  }
}

const percentile = (sorted: number[], p: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]) : null);

function latency(outcomes: Outcome[]): { p50: number | null; p99: number | null; max: number | null } {
  const ms = outcomes.filter((o) => o.served).map((o) => o.ms).sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms.length ? Math.round(ms.at(-1)!) : null };
}

const dataDir = mkdtempSync(join(tmpdir(), 'tessera-load-'));
const server = await startServeChild(['--model', flags.model!, ...(flags.vq ? ['--vq', flags.vq] : []), '--data', dataDir, '--concurrency', flags.concurrency!, '--max-queue', flags['max-queue']!]);
let crashed = false;
void server.exited.then(() => (crashed = true));
const startRss = server.memory().rss;

const rounds = [];
const all: Outcome[] = [];
for (let round = 1; round <= ROUNDS && !crashed; round++) {
  const outcomes: Outcome[] = [];
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, server.memory().rss)), 100);
  const started = performance.now();
  const deadline = started + ROUND_MS;
  let issued = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
    for (let n = 0; performance.now() < deadline && issued < MAX_REQUESTS && !crashed; n++) {
      const i = issued++;
      const outcome = await one(server.url, KINDS[(client + n) % KINDS.length], i);
      outcomes.push(outcome);
      if (outcome.retryAfter) await sleep(Math.max(0, Math.min(outcome.retryAfter * 1000, 2000, deadline - performance.now())) * (0.5 + Math.random() / 2));
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await sleep(2000); // let the round's garbage go before reading RSS
  const byKind = Object.fromEntries(KINDS.map((k) => {
    const of = outcomes.filter((o) => o.kind === k);
    return [k, { served: of.filter((o) => o.served).length, refused429: of.filter((o) => o.refused).length, failed: of.filter((o) => o.problem).length, latencyMs: latency(of) }];
  }));
  const served = outcomes.filter((o) => o.served).length;
  rounds.push({
    round,
    seconds: Number(seconds.toFixed(1)),
    requests: outcomes.length,
    served,
    refused429: outcomes.filter((o) => o.refused).length,
    failed: outcomes.filter((o) => o.problem).length,
    servedPerSecond: Number((served / seconds).toFixed(2)),
    requestsPerSecond: Number((outcomes.length / seconds).toFixed(2)),
    latencyMs: latency(outcomes),
    byKind,
    peakRssMiB: Number((peak / MiB).toFixed(1)),
    rssAfterMiB: Number((server.memory().rss / MiB).toFixed(1)),
    failures: outcomes.filter((o) => o.problem).slice(0, 5).map((o) => `${o.kind} ${o.status}: ${o.problem}`),
  });
  all.push(...outcomes);
  console.error(`round ${round}: ${outcomes.length} requests, ${served} served, ${rounds.at(-1)!.refused429} refused (429), ${rounds.at(-1)!.failed} failed, RSS ${rounds.at(-1)!.rssAfterMiB} MiB`);
}

const health = crashed ? null : await (await fetch(`${server.url}/health`)).json();
const crashes = crashed ? 1 : 0; // it exited by itself before we stopped it
const { peak } = server.memory();
const stop = await server.kill('SIGTERM');
rmSync(dataDir, { recursive: true, force: true });

const after = rounds.map((r) => r.rssAfterMiB);
// Round 1 warms up (ONNX arenas, sharp's caches, JIT); after it, RSS must hold: at most 10% (or 16 MiB) over round 1.
const growthMiB = after.length > 1 ? Number((after.at(-1)! - after[0]).toFixed(1)) : 0;
const memoryStable = growthMiB <= Math.max(16, after[0] * 0.1);
const failed = all.filter((o) => o.problem).length;
const summary = {
  date: new Date().toISOString(),
  node: process.version,
  server: { model: flags.model, concurrency: Number(flags.concurrency), maxQueue: Number(flags['max-queue']), startRssMiB: Number((startRss / MiB).toFixed(1)) },
  clients: CLIENTS,
  totals: {
    requests: all.length,
    served: all.filter((o) => o.served).length,
    refused429: all.filter((o) => o.refused).length,
    failed,
    crashes,
    latencyMs: latency(all),
    servedPerSecond: Number((all.filter((o) => o.served).length / rounds.reduce((s, r) => s + r.seconds, 0)).toFixed(2)),
  },
  memory: { peakRssMiB: Number((peak / MiB).toFixed(1)), rssAfterRoundMiB: after, growthMiB, stable: memoryStable },
  healthAfter: health,
  shutdown: stop,
  rounds,
};
console.log(JSON.stringify(summary, null, 2));
const ok = summary.totals.crashes === 0 && failed === 0 && memoryStable && stop.code === 0 && (health as { running: number } | null)?.running === 0;
process.exitCode = ok ? 0 : 1;
