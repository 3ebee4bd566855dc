/**
 * Memory for KV caches' arenas (kv-cache.ts), kept from one generation to the next. A fresh
 * ArrayBuffer of a few MB is zeroed and faulted in page by page on first write: the two arenas of an
 * N=1 image (~14 MB) cost ~30 ms that way on this machine, a tenth of the call, against ~7 ms when
 * the memory is reused (BENCHMARKS.md, "KV arenas kept between calls"). A cache gives its memory
 * back with `release()` once its generation is over; the pool keeps at most `maxBytes` of it, the
 * most recently given.
 *
 * @example
 *   const pool = new ArenaPool();
 *   const arena = pool.take(4 << 20);   // a kept buffer of 4-8 MB if there is one, else a new one
 *   pool.give([arena]);
 */
export class ArenaPool {
  private readonly free: ArrayBuffer[] = [];
  private freeBytes = 0;

  /** The default holds the arenas of an N=4 image with guidance at the default model's size (~57 MB) twice over. */
  constructor(readonly maxBytes = 128 * 2 ** 20) {}

  /** Bytes kept for reuse now. */
  get bytesHeld(): number {
    return this.freeBytes;
  }

  /**
   * A buffer of at least `bytes`: the smallest kept one up to twice that size (a small cache does
   * not hold on to a large one), else new memory.
   */
  take(bytes: number): ArrayBuffer {
    let best = -1;
    this.free.forEach((b, i) => {
      if (b.byteLength >= bytes && b.byteLength <= 2 * bytes && (best < 0 || b.byteLength < this.free[best].byteLength)) best = i;
    });
    if (best < 0) return new ArrayBuffer(bytes);
    const [buffer] = this.free.splice(best, 1);
    this.freeBytes -= buffer.byteLength;
    return buffer;
  }

  /** Keeps `buffers` for later `take`s, dropping the oldest kept ones beyond `maxBytes`. */
  give(buffers: Iterable<ArrayBuffer>): void {
    for (const buffer of buffers) {
      if (buffer.byteLength === 0 || this.free.includes(buffer)) continue;
      this.free.push(buffer);
      this.freeBytes += buffer.byteLength;
    }
    while (this.freeBytes > this.maxBytes) this.freeBytes -= this.free.shift()!.byteLength;
  }
}
