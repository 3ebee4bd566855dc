/**
 * What a run streams, and the Run object every Engine method returns: an async iterable of events
 * that is also awaitable for its final result.
 *
 * @example
 *   for await (const event of engine.generate({ prompt: 'a red fox' })) {
 *     if (event.type === 'partial') show(event.image ?? event.codes);
 *   }
 *   const { images } = await engine.generate({ prompt: 'a red fox', n: 4 }); // best first
 */

/** Straight 8-bit RGBA, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

export interface GeneratedImage {
  /** The candidate's slot in the batch (what its partial events carried). */
  index: number;
  /** The VQ codes, row-major over the 16x16 grid. */
  codes: Uint16Array;
  /** Decoded pixels, when the engine has a VQ. */
  rgba?: RgbaImage;
  /** PNG bytes, when asked for with `png: true`. */
  png?: Uint8Array;
  /** Mean log-probability of the prompt given the image (best-of-N), when scored. */
  score?: number;
}

export type ProgressEvent = { type: 'progress'; done: number; total: number };
/** Whole rows of codes so far for one candidate, and their preview pixels when the VQ is loaded. */
export type PartialEvent = { type: 'partial'; index: number; rows: number; codes: Uint16Array; image?: RgbaImage };
export type ImageEvent = { type: 'image' } & GeneratedImage;
/** Newly decoded text of a reply (only whole characters). */
export type TextEvent = { type: 'text'; index: number; text: string };

export type ImagesDone = { type: 'done'; images: GeneratedImage[]; scores: number[] };
export type TextDone = { type: 'done'; text: string };
export type ChatDone = { type: 'done'; text: string; images: GeneratedImage[] };

export type GenerateEvent = ProgressEvent | PartialEvent | ImageEvent | ImagesDone;
export type DescribeEvent = ProgressEvent | TextEvent | TextDone;
export type ChatEvent = ProgressEvent | PartialEvent | ImageEvent | TextEvent | ChatDone;

/**
 * One run: iterate it for events, or await it for the final `done` event's payload. Either way the
 * work starts on first use and happens once; a second iteration is an error.
 */
export class Run<E extends { type: string }, R> implements AsyncIterable<E>, PromiseLike<R> {
  #started = false;
  #result?: Promise<R>;

  constructor(
    private readonly events: () => AsyncGenerator<E>,
    private readonly result: (done: Extract<E, { type: 'done' }>) => R,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<E> {
    if (this.#started) throw new Error('a Run can be consumed once');
    this.#started = true;
    return this.events();
  }

  then<A = R, B = never>(onFulfilled?: ((value: R) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    this.#result ??= this.#finish();
    return this.#result.then(onFulfilled, onRejected);
  }

  async #finish(): Promise<R> {
    for await (const event of this) if (event.type === 'done') return this.result(event as Extract<E, { type: 'done' }>);
    throw new Error('run ended without a done event');
  }
}
