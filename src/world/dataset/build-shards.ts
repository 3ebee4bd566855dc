import { mkdirSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../util/ts-worker.ts';
import { registerFonts } from '../catalog/fonts.ts';
import { loadEpisodeEncoder } from './episode-encoder.ts';
import type { BuildOptions } from './build-options.ts';
import { planShards, type ShardJob } from './shard-plan.ts';
import { writeShard } from './write-shard.ts';

export interface BuildReport {
  samples: number;
  shards: number;
  seconds: number;
  samplesPerSecond: number;
}

/**
 * Builds all shards. Workers pull shard jobs from a queue; shards are independent and deterministic,
 * so the output is the same for any worker count.
 */
export async function buildShards(options: BuildOptions, onProgress?: (done: number, total: number) => void): Promise<BuildReport> {
  mkdirSync(options.outDir, { recursive: true });
  const jobs = planShards(options.samples, options.perShard, options.outDir);
  const started = performance.now();
  let done = 0;
  const tick = () => onProgress?.(++done, options.samples);
  if (options.workers <= 0) {
    const encoder = options.tokenizer ? await loadEpisodeEncoder(options.tokenizer) : undefined;
    for (const job of jobs) await writeShard(job, options, encoder, tick);
  } else {
    await runWorkers(jobs, options, tick);
  }
  const seconds = (performance.now() - started) / 1000;
  return { samples: options.samples, shards: jobs.length, seconds, samplesPerSecond: options.samples / seconds };
}

function runWorkers(jobs: ShardJob[], options: BuildOptions, tick: () => void): Promise<void> {
  registerFonts(); // once, before any worker draws text: workers share the process's font collection
  const queue = [...jobs];
  const count = Math.min(options.workers, jobs.length);
  return new Promise((resolve, reject) => {
    let finished = 0;
    const workers: Worker[] = [];
    const fail = (error: Error) => {
      for (const w of workers) void w.terminate();
      reject(error);
    };
    for (let w = 0; w < count; w++) {
      const worker = startTsWorker(new URL('./build-worker.ts', import.meta.url), { workerData: options });
      workers.push(worker);
      const feed = () => worker.postMessage(queue.shift() ?? null);
      worker.on('message', (message: { type: string; message?: string }) => {
        if (message.type === 'sample') tick();
        else if (message.type === 'ready' || message.type === 'shard-done') feed();
        else if (message.type === 'error') fail(new Error(message.message));
      });
      worker.on('error', fail);
      worker.on('exit', () => {
        if (++finished === count) resolve();
      });
    }
  });
}
