/**
 * Events that leave in the order they were made, though some wait on work running elsewhere (a
 * preview decoding in the VQ worker while the decode loop runs on). An event goes out only once it
 * and every event before it are ready, so a consumer sees the same sequence as when every preview
 * was awaited in place. A failed event throws where it would have been emitted; nothing is left as an
 * unhandled rejection if the run stops first (an abort, an error elsewhere).
 *
 * @example
 *   const queue = new OrderedEvents<GenerateEvent>();
 *   queue.push({ type: 'progress', done: 1, total: 258 });
 *   queue.push(previewPromise.then((image) => ({ type: 'partial', index: 0, rows: 1, codes, image })));
 *   yield* queue.ready();             // what can go out now, without waiting
 *   yield* queue.drain(signal);       // at the end: wait for the rest, abortably
 */

interface Slot<E> {
  /** Settles (never rejects) once the event is known. */
  settled: Promise<void>;
  done: boolean;
  value?: E;
  failed?: { error: unknown };
}

export class OrderedEvents<E> {
  private readonly slots: Slot<E>[] = [];

  get size(): number {
    return this.slots.length;
  }

  push(event: E | Promise<E>): void {
    if (!(event instanceof Promise)) {
      this.slots.push({ settled: Promise.resolve(), done: true, value: event });
      return;
    }
    const slot: Slot<E> = { settled: Promise.resolve(), done: false };
    slot.settled = event.then(
      (value) => void Object.assign(slot, { done: true, value }),
      (error: unknown) => void Object.assign(slot, { done: true, failed: { error } }),
    );
    this.slots.push(slot);
  }

  /** The events at the head that are ready now, in order; throws an event's failure when it is reached. */
  *ready(): Generator<E> {
    while (this.slots[0]?.done) yield this.take();
  }

  /** Whether the next event is still waiting. */
  get blocked(): boolean {
    return this.slots.length > 0 && !this.slots[0].done;
  }

  /** Waits for the head event (rejecting with the signal's reason on abort), then emits what is ready. */
  async *next(signal?: AbortSignal): AsyncGenerator<E> {
    if (this.blocked) await abortable(this.slots[0].settled, signal);
    yield* this.ready();
  }

  /** Every remaining event, in order, waiting as needed. */
  async *drain(signal?: AbortSignal): AsyncGenerator<E> {
    while (this.slots.length > 0) yield* this.next(signal);
  }

  private take(): E {
    const slot = this.slots.shift()!;
    if (slot.failed) throw slot.failed.error;
    return slot.value as E;
  }
}

/** `promise`, or the signal's reason as soon as it aborts. */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error)),
    );
  });
}
