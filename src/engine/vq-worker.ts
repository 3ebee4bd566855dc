/**
 * The VQ as an ImageCodec whose decodes run in a worker thread with its own ORT session, so previews
 * decode on another core while the decode loop runs (onnxruntime-node's `run` holds the thread that
 * calls it: on the main thread a preview would stop the loop for its ~15 ms). Encoding stays on the
 * calling thread (`local`, the in-process codec), as it only runs once per edit or describe.
 *
 * The worker does not keep the process alive when idle (it is unref'd between requests), answers in
 * request order, and is terminated by `close`. If it dies, pending and later decodes reject with an
 * EngineError naming why. Node only.
 *
 * @example
 *   const codec = await vqWorkerCodec('models/vq', vqCodec(await ImageTokenizer.load('models/vq')), 1);
 *   const preview = await codec.decodePartial!(codes, 3);   // decoded in the worker
 *   await codec.close();
 */
import { startTsWorker } from '../util/ts-worker.ts';
import { EngineError } from './errors.ts';
import type { RgbaImage } from './events.ts';
import type { ImageCodec } from './image-codec.ts';

/** What the worker is started with (workerData). */
export interface VqWorkerSetup {
  dir: string;
  threads?: number;
}

export interface VqWorkerRequest {
  id: number;
  op: 'decode' | 'partial';
  grids: Int32Array[];
  rows?: number;
}

type VqWorkerReply = { ready: true } | { failed: string } | { id: number; images: RgbaImage[] } | { id: number; error: string };

export interface ClosableCodec extends ImageCodec {
  /** Stops the worker; decodes still pending reject. */
  close(): Promise<void>;
}

interface Waiting {
  resolve(images: RgbaImage[]): void;
  reject(error: Error): void;
}

const THREAD = new URL('./vq-worker-thread.ts', import.meta.url);

/** Starts the worker on the VQ in `dir` and resolves once its decoder is loaded. */
export async function vqWorkerCodec(dir: string, local: ImageCodec, threads?: number): Promise<ClosableCodec> {
  const worker = startTsWorker(THREAD, { workerData: { dir, threads } satisfies VqWorkerSetup });
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  /** Why the worker is gone, once it is. */
  let gone: EngineError | undefined;

  const stop = (why: EngineError) => {
    gone ??= why;
    for (const w of waiting.values()) w.reject(gone);
    waiting.clear();
  };
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      off();
      reject(new EngineError('corrupt-file', `cannot load the VQ decoder in its worker (${dir}): ${error.message}`, { cause: error }));
    };
    const onMessage = (reply: VqWorkerReply) => ('failed' in reply ? fail(new Error(reply.failed)) : (off(), resolve()));
    const onExit = (code: number) => fail(new Error(`the worker exited with code ${code}`));
    // Only these listeners: removeAllListeners would also drop the Worker's own.
    const off = () => worker.off('message', onMessage).off('error', fail).off('exit', onExit);
    worker.on('message', onMessage).on('error', fail).on('exit', onExit);
  });
  worker.on('message', (reply: VqWorkerReply) => {
    if (!('id' in reply)) return;
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0) worker.unref();
    if ('error' in reply) w?.reject(new EngineError('bad-input', `VQ decode failed: ${reply.error}`));
    else w?.resolve(reply.images);
  });
  worker.on('error', (error) => stop(new EngineError('unavailable', `the VQ preview worker failed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => stop(new EngineError('unavailable', `the VQ preview worker has stopped (exit code ${code})`)));
  worker.unref();

  const request = (op: VqWorkerRequest['op'], codes: readonly ArrayLike<number>[], rows?: number): Promise<RgbaImage[]> => {
    if (gone) return Promise.reject(gone);
    if (codes.length === 0) return Promise.resolve([]);
    const id = nextId++;
    const grids = codes.map((c) => Int32Array.from(c)); // copied now: callers go on writing theirs
    return new Promise<RgbaImage[]>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.ref(); // a pending decode keeps the process alive until it answers
      worker.postMessage({ id, op, grids, rows } satisfies VqWorkerRequest, grids.map((g) => g.buffer));
    });
  };
  return {
    ...(local.grid !== undefined ? { grid: local.grid } : {}),
    ...(local.codebookSize !== undefined ? { codebookSize: local.codebookSize } : {}),
    encode: (image) => local.encode(image),
    onCallingThread: local,
    decode: async (codes) => (await request('decode', [codes]))[0],
    decodeBatch: (codes) => request('decode', codes),
    decodePartial: async (codes, rows) => (await request('partial', [codes], rows))[0],
    decodePartialBatch: (codes, rows) => request('partial', codes, rows),
    async close() {
      stop(new EngineError('unavailable', 'the VQ preview worker was closed'));
      await worker.terminate();
    },
  };
}
