/**
 * The KV cache of a batch, explicit and owned here: every layer's keys and values in preallocated
 * buffers (key then value per layer, each (B, H, capacity, D) float32), plus what the next call's
 * inputs need: how many left-padding slots each row has and each row's next RoPE position.
 *
 * lm.onnx reads the whole buffer as `past` (the runtime wraps it without a copy), attends only to the
 * slots `attentionMask` marks, and returns just the new slots, which `append` copies in. So a step
 * moves O(new slots) bytes instead of copying the whole cache in and out (the old two-graph export
 * did both, and that was half of a decode step; see BENCHMARKS.md). Capacity grows by CAPACITY_STEP
 * slots at a time: attention reads every slot of the buffer, masked or not, so a buffer sized for the
 * whole reply up front would cost reads from the first step on. A cache that knows how far it will
 * grow (`reserve`, given by the decode loop) lays its growing buffers out in two arenas of that size
 * taken in turn, so the ~10 growths of an image allocate nothing: each used to allocate a whole new
 * cache (~7 MB at B=2), and collecting those was ~6 % of an N=1 call (BENCHMARKS.md). With a pool
 * (arena-pool.ts: the session's) the arenas come from earlier generations' caches, given back by
 * `release()`: fresh memory is faulted in page by page, ~30 ms an N=1 image here.
 *
 * @example
 *   const { cache } = await session.prefill([[bos, t2i, user, 5, end_turn, assistant]]);
 *   const wide = cache.select([0, 0, 0, 0]);          // the prompt's cache, tiled for 4 candidates
 *   await session.decode(wide, [boi, boi, boi, boi]); // wide.length grows by one
 */
import type { OnnxTensor } from '../runtime/onnx.ts';
import type { ArenaPool } from './arena-pool.ts';

/** Slots added per growth: a few reallocations per image versus attending to unused slots. */
export const CAPACITY_STEP = 32;

export interface KVShape {
  layers: number;
  heads: number;
  headDim: number;
}

export class KVCache {
  private constructor(
    readonly shape: KVShape,
    /** key, value per layer, each (B, H, capacity, D); slots >= length are unused. */
    private buffers: Float32Array[],
    /** Slots per row the buffers hold. */
    public capacity: number,
    /** Leading padding slots per row (left padding of prompts of different lengths). */
    readonly pads: Int32Array,
    /** Slots written per row, padding included. */
    public length: number,
    /** RoPE position of each row's next token: its real tokens so far. */
    readonly positions: Int32Array,
    /**
     * (B, capacity), 1 for a written slot that attention must skip: what `rollback` left of a row
     * that kept fewer slots than the others. Absent until the first such rollback.
     */
    private holes?: Uint8Array,
    /** Slots the arenas hold (0: no arenas; each growth allocates). */
    private readonly reserved = 0,
    /** Where arenas come from and go back to on `release()` (none: new memory, left to the collector). */
    private readonly pool?: ArenaPool,
  ) {}

  private released = false;

  /** The arena that the next growth lays the buffers out in (the one before last), once there is one. */
  private spare?: ArrayBuffer[];

  /** An empty cache for a batch: `pads` per row, positions from 0, arenas for `reserve` slots (0: none), taken from `pool` if given. */
  static empty(shape: KVShape, pads: Int32Array, reserve = 0, pool?: ArenaPool): KVCache {
    const reserved = Math.ceil(Math.max(0, reserve) / CAPACITY_STEP) * CAPACITY_STEP;
    return new KVCache(shape, Array.from({ length: 2 * shape.layers }, () => new Float32Array(0)), 0, pads, 0, new Int32Array(pads.length), undefined, reserved, pool);
  }

  get batch(): number {
    return this.pads.length;
  }

  /** The `past` inputs: each buffer as a (B, H, capacity, D) tensor (no copy). */
  past(Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OnnxTensor): OnnxTensor[] {
    this.checkLive();
    const { heads, headDim } = this.shape;
    return this.buffers.map((data) => new Tensor('float32', data, [this.batch, heads, this.capacity, headDim]));
  }

  /** (B, capacity + T) int64: 1 for written real slots and for the T new ones (`newMask`, default all 1). */
  attentionMask(T: number, newMask?: BigInt64Array): BigInt64Array {
    const width = this.capacity + T;
    const mask = new BigInt64Array(this.batch * width);
    for (let b = 0; b < this.batch; b++) {
      const row = b * width;
      mask.fill(1n, row + Math.min(this.pads[b], this.length), row + this.length);
      if (this.holes) for (let s = 0; s < this.length; s++) if (this.holes[b * this.capacity + s]) mask[row + s] = 0n;
      if (newMask) mask.set(newMask.subarray(b * T, (b + 1) * T), row + this.capacity);
      else mask.fill(1n, row + this.capacity, row + width);
    }
    return mask;
  }

  /** Writes a call's new slots (each (B, H, T, D)) after the written ones; each row's position moves by `advance`. */
  append(news: readonly OnnxTensor[], advance: ArrayLike<number>): void {
    this.checkLive();
    if (news.length !== this.buffers.length) throw new RangeError(`append: ${news.length} tensors for ${this.buffers.length}`);
    const T = news[0].dims[2];
    if (this.length + T > this.capacity) this.grow(this.length + T);
    const { heads: H, headDim: D } = this.shape;
    news.forEach((t, i) => {
      const src = t.data as Float32Array;
      const dst = this.buffers[i];
      for (let bh = 0; bh < this.batch * H; bh++) dst.set(src.subarray(bh * T * D, (bh + 1) * T * D), (bh * this.capacity + this.length) * D);
    });
    this.length += T;
    for (let b = 0; b < this.batch; b++) this.positions[b] += advance[b];
  }

  /**
   * Undoes the tail of the last `append` of T slots: row r keeps the first `keep[r]` of them (its
   * accepted draft tokens, speculative decoding). The cache keeps max(keep) slots; a row that kept
   * fewer gets holes, masked from then on, and its position moves back to just after what it kept.
   */
  rollback(T: number, keep: ArrayLike<number>): void {
    if (keep.length !== this.batch || T > this.length) throw new RangeError(`rollback: ${keep.length} rows of ${this.batch}, ${T} slots of ${this.length}`);
    let kept = 0;
    for (let b = 0; b < this.batch; b++) {
      if (!(keep[b] >= 0 && keep[b] <= T)) throw new RangeError(`rollback: row ${b} keeps ${keep[b]} of ${T}`);
      kept = Math.max(kept, keep[b]);
    }
    const start = this.length - T;
    for (let b = 0; b < this.batch; b++) {
      this.positions[b] -= T - keep[b];
      if (keep[b] === kept) continue;
      this.holes ??= new Uint8Array(this.batch * this.capacity);
      this.holes.fill(1, b * this.capacity + start + keep[b], b * this.capacity + start + kept);
    }
    if (this.holes) for (let b = 0; b < this.batch; b++) this.holes.fill(0, b * this.capacity + start + kept, (b + 1) * this.capacity);
    this.length = start + kept;
  }

  /** Masks row `row`'s written slots [from, to) from attention for good (padding inside a row: LmSession.extend). */
  hide(row: number, from: number, to: number): void {
    if (!(row >= 0 && row < this.batch && from >= 0 && from <= to && to <= this.length)) throw new RangeError(`hide: row ${row}, slots ${from}..${to} of ${this.length}`);
    if (from === to) return;
    this.holes ??= new Uint8Array(this.batch * this.capacity);
    this.holes.fill(1, row * this.capacity + from, row * this.capacity + to);
  }

  /**
   * Re-lays the buffers out to hold at least `slots`, rounded up to CAPACITY_STEP, keeping the written
   * slots: in the spare arena when they fit the reservation (its unwritten slots hold stale finite
   * values, which the attention mask hides), else in new memory.
   */
  private grow(slots: number): void {
    const capacity = Math.ceil(slots / CAPACITY_STEP) * CAPACITY_STEP;
    const { heads: H, headDim: D } = this.shape;
    const size = this.batch * H * capacity * D;
    const arenaBytes = this.batch * H * this.reserved * D * 4;
    const inArena = capacity <= this.reserved;
    if (inArena) this.spare ??= this.buffers.map(() => this.pool?.take(arenaBytes) ?? new ArrayBuffer(arenaBytes));
    const retired = this.buffers.map((b) => b.buffer);
    this.buffers = this.buffers.map((old, i) => {
      const out = inArena ? new Float32Array(this.spare![i], 0, size) : new Float32Array(size);
      for (let bh = 0; bh < this.batch * H; bh++) out.set(old.subarray(bh * this.capacity * D, (bh * this.capacity + this.length) * D), bh * capacity * D);
      return out;
    });
    // Pooled arenas may be larger than this cache's reservation; any buffer this cache owns that holds it will do.
    this.spare = inArena && retired.every((b) => b.byteLength >= arenaBytes) ? (retired as ArrayBuffer[]) : undefined;
    if (this.holes) {
      const holes = new Uint8Array(this.batch * capacity);
      for (let b = 0; b < this.batch; b++) holes.set(this.holes.subarray(b * this.capacity, b * this.capacity + this.length), b * capacity);
      this.holes = holes;
    }
    this.capacity = capacity;
  }

  /**
   * Ends this cache: its buffers and spare arena go back to its pool, for the next generation's
   * caches. Any later use throws. Releasing twice is a no-op.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.pool?.give([...this.buffers.map((b) => b.buffer as ArrayBuffer), ...(this.spare ?? [])]);
    this.buffers = this.buffers.map(() => new Float32Array(0));
    this.spare = undefined;
  }

  private checkLive(): void {
    if (this.released) throw new Error('KVCache: used after release()');
  }

  /** A new cache holding rows `rows` of this one, in that order (rows may repeat). */
  select(rows: readonly number[]): KVCache {
    this.checkLive();
    const size = this.shape.heads * this.capacity * this.shape.headDim;
    const buffers = this.buffers.map((src) => {
      const out = new Float32Array(rows.length * size);
      rows.forEach((r, i) => {
        if (r < 0 || r >= this.batch) throw new RangeError(`select: row ${r} outside batch ${this.batch}`);
        out.set(src.subarray(r * size, (r + 1) * size), i * size);
      });
      return out;
    });
    const pick = (from: Int32Array) => Int32Array.from(rows, (r) => from[r]);
    const holes = this.holes && Uint8Array.from(rows.flatMap((r) => Array.from(this.holes!.subarray(r * this.capacity, (r + 1) * this.capacity))));
    return new KVCache(this.shape, buffers, this.capacity, pick(this.pads), this.length, pick(this.positions), holes, this.reserved, this.pool);
  }

  /**
   * In place, row i takes row `rows[i]`'s slots from `from` on, with its position (rows.length =
   * batch; rows may repeat): beam search's re-parenting, where every row holds the same slots before
   * `from` (one prompt, tiled), so only the replies move, a few KB a step instead of the whole cache.
   */
  reorderTail(rows: readonly number[], from: number): void {
    this.checkLive();
    if (rows.length !== this.batch) throw new RangeError(`reorderTail: ${rows.length} rows for a batch of ${this.batch}`);
    if (!(from >= 0 && from <= this.length)) throw new RangeError(`reorderTail: from ${from} outside 0..${this.length}`);
    for (const r of rows) if (!(r >= 0 && r < this.batch)) throw new RangeError(`reorderTail: row ${r} outside batch ${this.batch}`);
    const changed = rows.flatMap((r, i) => (r === i ? [] : [i]));
    const { heads: H, headDim: D } = this.shape;
    const span = (this.length - from) * D;
    const at = (row: number, h: number) => ((row * H + h) * this.capacity + from) * D;
    // Gather every source first: a row may be read after another row has been overwritten.
    const scratch = new Float32Array(changed.length * H * span);
    for (const buffer of this.buffers) {
      changed.forEach((i, k) => { for (let h = 0; h < H; h++) scratch.set(buffer.subarray(at(rows[i], h), at(rows[i], h) + span), (k * H + h) * span); });
      changed.forEach((i, k) => { for (let h = 0; h < H; h++) buffer.set(scratch.subarray((k * H + h) * span, (k * H + h + 1) * span), at(i, h)); });
    }
    const positions = Int32Array.from(this.positions);
    changed.forEach((i) => (this.positions[i] = positions[rows[i]]));
    if (this.holes) {
      const holes = Uint8Array.from(this.holes);
      changed.forEach((i) => this.holes!.set(holes.subarray(rows[i] * this.capacity + from, (rows[i] + 1) * this.capacity), i * this.capacity + from));
    }
  }

  /**
   * One cache holding the rows of `parts`, in order: batches that ran apart from the same prefill
   * (a head start) join up again. They must hold the same slots (length and capacity).
   */
  static stack(parts: readonly KVCache[]): KVCache {
    const [first] = parts;
    if (!first || parts.some((p) => p.length !== first.length || p.capacity !== first.capacity)) throw new RangeError('stack: caches of different lengths');
    parts.forEach((p) => p.checkLive());
    const buffers = first.buffers.map((_, i) => {
      const out = new Float32Array(parts.reduce((n, p) => n + p.buffers[i].length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p.buffers[i], at);
        at += p.buffers[i].length;
      }
      return out;
    });
    const join = (pick: (p: KVCache) => Int32Array) => Int32Array.from(parts.flatMap((p) => Array.from(pick(p))));
    const holes = parts.some((p) => p.holes) ? Uint8Array.from(parts.flatMap((p) => Array.from(p.holes ?? new Uint8Array(p.batch * p.capacity)))) : undefined;
    return new KVCache(first.shape, buffers, first.capacity, join((p) => p.pads), first.length, join((p) => p.positions), holes, first.reserved, first.pool);
  }
}
