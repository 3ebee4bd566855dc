/**
 * The VQ preview worker's side (vq-worker.ts starts it): loads the VQ decoder in its own ORT session
 * and answers decode requests one at a time, in the order they came.
 *
 *   in:  { id, op: 'decode', grids }  |  { id, op: 'partial', grids, rows }
 *   out: { ready: true } once loaded, or { failed } | then per request { id, images } or { id, error }
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ImageTokenizer, type RawImage } from '../tokenizers/image/index.ts';
import type { VqWorkerRequest, VqWorkerSetup } from './vq-worker.ts';

const port = parentPort!;
const { dir, threads } = workerData as VqWorkerSetup;

let tokenizer: ImageTokenizer;
try {
  tokenizer = await ImageTokenizer.load(dir, threads ? { threads } : {});
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ failed: (error as Error).message });
  process.exit(1);
}

let queue = Promise.resolve();
port.on('message', (request: VqWorkerRequest) => {
  queue = queue.then(() => answer(request));
});

async function answer({ id, op, grids, rows }: VqWorkerRequest): Promise<void> {
  try {
    const images: RawImage[] = op === 'partial' ? await tokenizer.decodePartial(grids, rows!) : await tokenizer.decode(grids);
    // Each image owns its buffer (fromPlanarFloat), so it can move instead of being copied.
    port.postMessage({ id, images }, images.map((im) => im.data.buffer as ArrayBuffer));
  } catch (error) {
    port.postMessage({ id, error: (error as Error).message });
  }
}
