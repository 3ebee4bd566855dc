/**
 * What the server is built from: a served model (or a factory for one), limits with commented
 * defaults, and an optional API key. Plain typed objects; `createApp` fills in the defaults.
 *
 * @example
 *   const app = createApp({ model: { id: 'tessera-tiny', engine, imageSize: 128, countTokens }, limits: { concurrency: 2 } });
 */
import type { Engine } from '../engine/index.ts';

/** A loaded model as the server needs it. The CLI's model loader returns one; tests build one from the tiny engine. */
export interface ServedModel {
  /** The id /v1/models lists; requests may name it or the alias "tessera". */
  id: string;
  engine: Engine;
  /** Images are imageSize x imageSize pixels (the VQ's image_size): the only `size` offered. */
  imageSize: number;
  /** Text tokens in a prompt, for `usage`. */
  countTokens(text: string): number;
  /** Unix seconds, for /v1/models (default: when the server started). */
  created?: number;
}

export interface Limits {
  /** Largest request body; larger ones get 413 before they are read. */
  maxBodyBytes: number;
  /** Largest uploaded image, in pixels (width x height), checked from its header before decoding. */
  maxImagePixels: number;
  /** Generations running at once. The engine shares one ONNX session, and on a small CPU a second run only halves both. */
  concurrency: number;
  /** Requests waiting for a slot; one more gets 429 with Retry-After. */
  maxQueue: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 20 * 1024 * 1024,
  maxImagePixels: 4096 * 4096,
  concurrency: 1,
  maxQueue: 8,
};

export interface ServerOptions {
  /** The model, or a factory called once on the first request that needs it (lazy start). */
  model: ServedModel | (() => Promise<ServedModel>);
  /** When set, every endpoint needs `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  limits?: Partial<Limits>;
}
