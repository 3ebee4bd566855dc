/**
 * `tessera serve` as a child process, for the tests and benches that need a real server to kill,
 * restart or measure: spawns the CLI (bin/tessera.js), waits for the line with its URL, and reads
 * its memory from /proc (Linux).
 *
 * @example
 *   const server = await startServeChild(['--model', TINY_DIR, '--data', dir]);
 *   await fetch(`${server.url}/health`);
 *   server.memory();                  // { rss, peak } in bytes
 *   await server.kill('SIGKILL');
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/tessera.js', import.meta.url));

export interface ServeChild {
  /** The server's root, e.g. http://127.0.0.1:40123 (no /v1). */
  url: string;
  pid: number;
  child: ChildProcess;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Resolves when it exits: the exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resident memory now and at its peak (VmHWM), in bytes; zeros where /proc is missing. */
  memory(): { rss: number; peak: number };
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function procStatus(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Starts `tessera serve --port 0 --host 127.0.0.1 ...args` and resolves once it listens. */
export function startServeChild(args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ServeChild> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tessera serve did not start within ${options.timeoutMs ?? 60_000} ms: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`tessera serve exited (${signal ?? code}) before listening: ${stderr}`));
    });
    child.stdout!.on('data', (d) => {
      stdout += d;
      const match = /at (http:\/\/\S+)\/v1/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      const pid = child.pid!;
      resolve({
        url: match[1],
        pid,
        child,
        stderr: () => stderr,
        exited,
        memory: () => ({ rss: procStatus(pid, 'VmRSS'), peak: procStatus(pid, 'VmHWM') }),
        kill: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
  });
}
