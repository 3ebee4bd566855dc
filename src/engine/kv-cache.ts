/**
 * The KV cache of a batch, explicit: every layer's keys and values as the decode graph takes them
 * (key then value per layer, each (B, H, P, D) float32), plus what the next step's inputs need:
 * how many left-padding slots each row has and each row's next RoPE position.
 *
 * The graphs concatenate: decode.onnx takes past (B, H, P, D) and returns present (B, H, P + 1, D),
 * which `advance` keeps as the next past. Rows of a CFG batch are just rows.
 *
 * @example
 *   const { cache } = await session.prefill([[bos, t2i, user, 5, end_turn, assistant]]);
 *   const wide = cache.select(ort, [0, 0, 0, 0]);      // the prompt's cache, tiled for 4 candidates
 *   await session.decode(wide, [boi, boi, boi, boi]); // wide.length grows by one
 */
import type { OnnxRuntime, OnnxTensor } from '../runtime/onnx.ts';

export class KVCache {
  constructor(
    /** key, value per layer, each (B, H, length, D). */
    public tensors: OnnxTensor[],
    /** Leading padding slots per row (left padding of prompts of different lengths). */
    readonly pads: Int32Array,
    /** Slots per row, padding included: P. */
    public length: number,
    /** RoPE position of each row's next token: its real tokens so far. */
    readonly positions: Int32Array,
  ) {
    for (const t of tensors) {
      if (t.dims[0] !== pads.length || t.dims[2] !== length) throw new RangeError(`KV tensor dims [${t.dims}] do not fit batch ${pads.length}, length ${length}`);
    }
  }

  get batch(): number {
    return this.pads.length;
  }

  /** (B, length + extra) int64: 0 over each row's padding, 1 elsewhere. */
  attentionMask(extra: number): BigInt64Array {
    const width = this.length + extra;
    const mask = new BigInt64Array(this.batch * width).fill(1n);
    for (let b = 0; b < this.batch; b++) mask.fill(0n, b * width, b * width + this.pads[b]);
    return mask;
  }

  /** A new cache holding rows `rows` of this one, in that order (rows may repeat). */
  select(ort: OnnxRuntime, rows: readonly number[]): KVCache {
    const tensors = this.tensors.map((t) => {
      const [B, H, P, D] = t.dims;
      const size = H * P * D;
      const src = t.data as Float32Array;
      const out = new Float32Array(rows.length * size);
      rows.forEach((r, i) => {
        if (r < 0 || r >= B) throw new RangeError(`select: row ${r} outside batch ${B}`);
        out.set(src.subarray(r * size, (r + 1) * size), i * size);
      });
      return new ort.Tensor('float32', out, [rows.length, H, P, D]);
    });
    return new KVCache(tensors, Int32Array.from(rows, (r) => this.pads[r]), this.length, Int32Array.from(rows, (r) => this.positions[r]));
  }

  /** Takes a decode step's present tensors as the new past: one more slot and position per row. */
  advance(present: OnnxTensor[]): void {
    if (present.length !== this.tensors.length) throw new RangeError(`advance: ${present.length} tensors for ${this.tensors.length}`);
    this.tensors = present;
    this.length++;
    for (let b = 0; b < this.batch; b++) this.positions[b]++;
  }
}
