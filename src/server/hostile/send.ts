/**
 * Sends hostile requests over raw node:http (fetch would refuse to send some of them) with a
 * per-request timeout, and judges each answer: a 4xx other than 429 (or the case's exact status),
 * JSON, in OpenAI's shape `{ error: { message, type, param, code } }`, and short.
 *
 * @example
 *   const outcomes = await sendAll('http://127.0.0.1:8787', requests, { concurrency: 8, timeoutMs: 15_000 });
 *   const report = summarize(outcomes);     // { total, failures, byStatus, byFamily, slowestMs }
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import type { HostileRequest } from './cases.ts';

export interface Outcome {
  family: string;
  method: string;
  path: string;
  /** The HTTP status; 0 when no answer came (timeout, reset). */
  status: number;
  ms: number;
  /** Why the answer is wrong; absent when it is right. */
  problem?: string;
}

/** An error body should say what was wrong, not echo the request back. */
const MAX_ERROR_BYTES = 16 * 1024;

export function isErrorShape(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Object.keys(value).join() !== 'error') return false;
  const error = (value as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  const { message, type, param, code } = error as Record<string, unknown>;
  const nullableString = (v: unknown) => v === null || typeof v === 'string';
  return typeof message === 'string' && message.length > 0 && typeof type === 'string' && nullableString(param) && nullableString(code) && Object.keys(error).length === 4;
}

function judge(req: HostileRequest, status: number, contentType: string | undefined, body: Buffer, truncatedBody: boolean): string | undefined {
  if (req.expect !== undefined ? status !== req.expect : status < 400 || status >= 500 || status === 429) {
    return `status ${status}, expected ${req.expect ?? 'a 4xx other than 429'}: ${body.subarray(0, 200).toString()}`;
  }
  if (truncatedBody || body.length > MAX_ERROR_BYTES) return `an error body of ${truncatedBody ? 'over ' : ''}${body.length} bytes`;
  if (!contentType?.startsWith('application/json')) return `content-type ${contentType}`;
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return `not JSON: ${body.subarray(0, 200).toString()}`;
  }
  return isErrorShape(json) ? undefined : `not OpenAI's error shape: ${body.subarray(0, 200).toString()}`;
}

/** `req.body` written to a bare socket; the answer read until it is complete or the server closes. */
function sendRaw(url: URL, req: HostileRequest, done: (status: number, problem?: string) => void): () => void {
  const socket = connect(Number(url.port), url.hostname);
  let data = Buffer.alloc(0);
  const finish = () => {
    const head = data.indexOf('\r\n\r\n');
    if (head < 0) return done(0, `no HTTP answer: ${JSON.stringify(data.subarray(0, 100).toString('latin1'))}`);
    const [statusLine, ...lines] = data.subarray(0, head).toString('latin1').split('\r\n');
    const header = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
    const status = Number(statusLine.split(' ')[1]);
    const body = data.subarray(head + 4, head + 4 + Number(header('content-length') ?? data.length));
    done(status, judge(req, status, header('content-type'), body, false));
  };
  socket.on('data', (chunk: Buffer) => {
    data = Buffer.concat([data, chunk]);
    const head = data.indexOf('\r\n\r\n');
    const length = head < 0 ? undefined : /\r\ncontent-length:\s*(\d+)/i.exec(data.subarray(0, head).toString('latin1'))?.[1];
    if (length !== undefined && data.length >= head + 4 + Number(length)) {
      finish();
      socket.destroy();
    }
  });
  socket.on('close', finish);
  socket.on('error', () => undefined); // 'close' follows and judges what arrived
  socket.write(Buffer.from(req.body!));
  return () => socket.destroy();
}

export function send(base: string, req: HostileRequest, timeoutMs: number): Promise<Outcome> {
  const url = new URL(base);
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let stop = () => {};
    const done = (status: number, problem?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ family: req.family, method: req.method, path: req.path.slice(0, 120), status, ms: performance.now() - started, ...(problem ? { problem } : {}) });
    };
    const timer = setTimeout(() => {
      stop();
      done(0, `no answer within ${timeoutMs} ms (a hang)`);
    }, timeoutMs);
    stop = req.raw ? sendRaw(url, req, done) : sendHttp(url, req, done);
  });
}

function sendHttp(url: URL, req: HostileRequest, done: (status: number, problem?: string) => void): () => void {
  const headers = { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) };
  // agent: false: a fresh connection each, so one case's half-read body cannot disturb the next.
  const out = request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: false }, (res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 4 * MAX_ERROR_BYTES) chunks.push(chunk);
    });
    res.on('end', () => done(res.statusCode ?? 0, judge(req, res.statusCode ?? 0, res.headers['content-type'], Buffer.concat(chunks), size > 4 * MAX_ERROR_BYTES)));
    res.on('error', (error) => done(res.statusCode ?? 0, `response broke off: ${error.message}`));
  });
  // A server may answer (413) and close before the whole body is written; the answer is what counts.
  out.on('error', (error) => setTimeout(() => done(0, `connection error: ${error.message}`), 50));
  out.end(req.body ? Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength) : undefined);
  return () => out.destroy();
}

/** Every request, `concurrency` at a time; outcomes in request order. */
export async function sendAll(base: string, requests: readonly HostileRequest[], options: { concurrency: number; timeoutMs: number }): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      outcomes[i] = await send(base, requests[i], options.timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes;
}

export interface HostileReport {
  total: number;
  /** Wrong answers: a 2xx/5xx, a 429, no answer, or a body not in OpenAI's shape. */
  failures: number;
  hangs: number;
  byStatus: Record<string, number>;
  byFamily: Record<string, Record<string, number>>;
  slowestMs: number;
  /** The first few failures, for the reader. */
  examples: Outcome[];
}

export function summarize(outcomes: readonly Outcome[]): HostileReport {
  const byStatus: Record<string, number> = {};
  const byFamily: Record<string, Record<string, number>> = {};
  for (const o of outcomes) {
    byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
    const family = (byFamily[o.family] ??= {});
    family[o.status] = (family[o.status] ?? 0) + 1;
  }
  const failed = outcomes.filter((o) => o.problem);
  return {
    total: outcomes.length,
    failures: failed.length,
    hangs: outcomes.filter((o) => o.problem?.includes('a hang')).length,
    byStatus,
    byFamily,
    slowestMs: Math.round(Math.max(0, ...outcomes.map((o) => o.ms))),
    examples: failed.slice(0, 10),
  };
}
