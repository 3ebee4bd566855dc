/**
 * A bounded generation queue: at most `concurrency` runs hold a slot, at most `maxQueue` wait for
 * one, and anyone past that is turned away at once with 429 and a Retry-After estimated from how
 * long recent runs took. A waiter whose signal aborts (its client went away) leaves the line.
 *
 * @example
 *   const release = await queue.acquire(signal);   // throws ApiError 429 when full
 *   try { await run(); } finally { release(); }
 */
import { ApiError } from './errors.ts';

interface Waiter {
  grant(): void;
}

export class GenerationQueue {
  #running = 0;
  readonly #waiting: Waiter[] = [];
  /** Moving average of a run's duration, for Retry-After. */
  #averageMs: number;

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
    initialEstimateMs = 10_000,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    if (!Number.isInteger(maxQueue) || maxQueue < 0) throw new RangeError(`maxQueue must be a non-negative integer, got ${maxQueue}`);
    this.#averageMs = initialEstimateMs;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Seconds until a new request would likely get a slot (at least 1). */
  retryAfterSeconds(): number {
    const ahead = this.#waiting.length + 1;
    return Math.max(1, Math.ceil((this.#averageMs * ahead) / this.concurrency / 1000));
  }

  /** Resolves with a release function once a slot is held; release is idempotent. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#running < this.concurrency) {
      this.#running++;
      return Promise.resolve(this.#releaser());
    }
    if (this.#waiting.length >= this.maxQueue) return Promise.reject(ApiError.busy(this.retryAfterSeconds()));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#releaser());
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  #releaser(): () => void {
    const started = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#averageMs = 0.7 * this.#averageMs + 0.3 * (performance.now() - started);
      const next = this.#waiting.shift();
      if (next) next.grant(); // the slot passes straight on, so #running stays
      else this.#running--;
    };
  }
}
