import { parentPort, workerData } from 'node:worker_threads';
import type { BuildOptions } from './build-options.ts';
import type { ShardJob } from './shard-plan.ts';
import { writeShard } from './write-shard.ts';
import { loadEpisodeEncoder } from './episode-encoder.ts';

/** A worker thread: takes shard jobs from the parent one at a time, reports each sample done. */
const options = workerData as BuildOptions;
const encoder = options.tokenizer ? await loadEpisodeEncoder(options.tokenizer) : undefined;
parentPort!.on('message', async (job: ShardJob | null) => {
  if (job === null) {
    process.exit(0);
  }
  try {
    await writeShard(job, options, encoder, () => parentPort!.postMessage({ type: 'sample' }));
    parentPort!.postMessage({ type: 'shard-done', shard: job.shard });
  } catch (error) {
    parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
parentPort!.postMessage({ type: 'ready' });
