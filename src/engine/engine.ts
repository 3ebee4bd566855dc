/**
 * The engine: load a model folder once, then generate, edit, describe and chat. Every method returns
 * a Run: iterate it for streamed events, or await it for the result. The CLI and the server are thin
 * layers over this.
 *
 * @example
 *   const engine = await load();                        // models/default (+ models/vq)
 *   const { images, scores } = await engine.generate({ prompt: 'a red fox', n: 4, seed: 7 });
 *   for await (const e of engine.generate({ prompt: 'a red fox' })) if (e.type === 'partial') preview(e);
 *   const text = await engine.describe({ codes: images[0].codes });
 */
import { availableParallelism } from 'node:os';
import type { ModelConfig } from '../model/model-config.ts';
import type { RuntimeName } from '../runtime/onnx.ts';
import { chatReply, type ChatMessage, type ChatOptions } from './chat.ts';
import { type EngineContext, samplingDefaults } from './context.ts';
import { describeImage, type DescribeOptions } from './describe.ts';
import { editImages, type EditOptions } from './edit.ts';
import { type ChatDone, type ChatEvent, type DescribeEvent, type GenerateEvent, type ImagesDone, Run } from './events.ts';
import { generateImages, type GenerateOptions } from './generate.ts';
import type { ImageCodec } from './image-codec.ts';
import type { ImageInput } from './image-input.ts';
import { checkCodec, DEFAULT_MODEL_DIR, DEFAULT_VQ_DIR, exists, loadTokenizer, loadVq, readModelDir } from './model-files.ts';
import type { ModelSampling } from './model-sampling.ts';
import type { EngineTokenizer } from './prompt.ts';
import { LmSession } from './session.ts';

export interface LoadOptions {
  /** Text tokenizer to use instead of the folder's tokenizer.json. */
  tokenizer?: EngineTokenizer;
  /**
   * The VQ image tokenizer: a folder, a codec, or false for none (images are then codes only).
   * Default: models/vq when loading the default model and it is installed, else none. A folder's VQ
   * decodes in a worker thread beside the decode loop (vq-worker.ts), stopped by `close`.
   */
  vq?: string | ImageCodec | false;
  /**
   * ONNX Runtime intra-op threads. Default 1: on the tiny model 1 beats 2 (bench/engine.ts); at the
   * default size the comparison was lost in the noise of a shared 2-core machine.
   */
  threads?: number;
  /**
   * ORT threads for large calls (a long prompt's prefill, best-of-N scoring, an edit's locked runs),
   * on a second session of the same graph: `LmSession`'s `wideThreads`. Default: 2 where the machine
   * has two cores or more and the runtime is onnxruntime-node; `threads` (or 1) turns it off. On this
   * machine it took best-of-4 scoring from 235 to 143 ms and an edit's prefix from 52 to 39 ms.
   */
  wideThreads?: number;
  runtime?: RuntimeName;
}

export class Engine {
  /** `owned`: what `close` stops besides the session (a VQ worker that `load` started). */
  constructor(
    private readonly ctx: EngineContext,
    private readonly owned: { close(): Promise<void> }[] = [],
  ) {}

  get config(): ModelConfig {
    return this.ctx.config;
  }

  /** The settings a call gets for what it leaves out: the model folder's sampling.json over the engine's defaults. */
  get sampling(): ModelSampling {
    return samplingDefaults(this.ctx);
  }

  /** Text -> N images, best first; streams progress, per-row partials and images. */
  generate(options: GenerateOptions): Run<GenerateEvent, Omit<ImagesDone, 'type'>> {
    return new Run(() => generateImages(this.ctx, options), ({ images, scores }) => ({ images, scores }));
  }

  /** Image + instruction (+ mask: the region to regenerate, the rest locked) -> N images, best first. */
  edit(options: EditOptions): Run<GenerateEvent, Omit<ImagesDone, 'type'>> {
    return new Run(() => editImages(this.ctx, options), ({ images, scores }) => ({ images, scores }));
  }

  /** Image -> text, streamed as text events; awaits to the whole text. */
  describe(image: ImageInput, options?: DescribeOptions): Run<DescribeEvent, string> {
    return new Run(() => describeImage(this.ctx, image, options), ({ text }) => text);
  }

  /** The next assistant turn of a conversation (text and/or images). */
  chat(messages: readonly ChatMessage[], options?: ChatOptions): Run<ChatEvent, Omit<ChatDone, 'type'>> {
    return new Run(() => chatReply(this.ctx, messages, options), ({ text, images }) => ({ text, images }));
  }

  async close(): Promise<void> {
    await Promise.all([this.ctx.session.release(), ...this.owned.map((o) => o.close())]);
  }
}

/** LoadOptions.wideThreads' default on onnxruntime-node: two where the machine has two cores or more. */
export function defaultWideThreads(): number {
  return Math.min(2, availableParallelism());
}

/** Loads a model folder (default: the package's models/default). */
export async function load(modelDir: string = DEFAULT_MODEL_DIR, options: LoadOptions = {}): Promise<Engine> {
  const files = await readModelDir(modelDir);
  const tokenizer = options.tokenizer ?? (files.tokenizer ? await loadTokenizer(files) : undefined);
  const threads = options.threads ?? 1;
  let codec: (ImageCodec & { close?(): Promise<void> }) | undefined;
  const vq = options.vq ?? (modelDir === DEFAULT_MODEL_DIR && (await exists(DEFAULT_VQ_DIR)) ? DEFAULT_VQ_DIR : false);
  if (typeof vq === 'string') codec = await loadVq(vq, files.config, threads);
  else if (vq) checkCodec((codec = vq), files.config);
  const owned = typeof vq === 'string' && codec?.close ? [{ close: codec.close }] : [];
  const wideThreads = options.wideThreads ?? (options.runtime === 'web' ? threads : defaultWideThreads());
  const session = await LmSession.create(files.lm, files.config, {
    intraOpNumThreads: threads,
    wideThreads,
    ...(options.runtime ? { runtime: options.runtime } : {}),
  }).catch(async (error: unknown) => {
    await Promise.all(owned.map((o) => o.close())); // no worker left behind by a failed load
    throw error;
  });
  return new Engine({ config: files.config, session, sampling: files.sampling, ...(tokenizer ? { tokenizer } : {}), ...(codec ? { codec } : {}) }, owned);
}
