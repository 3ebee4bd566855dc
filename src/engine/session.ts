/**
 * The model's ONNX graph behind one object: `prefill` runs left-padded prompts and returns every
 * position's logits plus a KVCache; `decode` feeds one token per row and advances the cache. Both are
 * the same graph (prefill is a call on an empty cache), so the weights are loaded once. The I/O
 * contract is trainer/tessera_trainer/lm/onnx_graph.py's. Runtime-agnostic: the session comes from
 * src/runtime/onnx.ts, the model as a path (Node) or bytes.
 *
 * A decode step may ask for the image codes' logits alone (`decode(cache, tokens, 'codes')`): inside
 * an image the engine does, and the graph then skips its full head, a fifth of whose size the codes'
 * head is.
 *
 * @example
 *   const session = await LmSession.create('m/lm.onnx', config);
 *   const { logits, cache } = await session.prefill([promptIds]);
 *   let row = lastLogits(logits, 1, promptIds.length, config.vocab.size)[0];
 *   row = (await session.decode(cache, [nextId])).subarray(0, config.vocab.size);
 *   const codes = await session.decode(cache, [boi], 'codes'); // (B, 1024): column j is id image.start + j
 */
import type { ModelConfig } from '../model/model-config.ts';
import { type CreateSessionOptions, createSession, onnxRuntime, type OnnxRuntime, type OnnxSession, type OnnxTensor } from '../runtime/onnx.ts';
import { EngineError } from './errors.ts';
import { ArenaPool } from './arena-pool.ts';
import { KVCache, type KVShape } from './kv-cache.ts';

export interface PaddedBatch {
  /** (B, T) int64, left-padded with <pad>. */
  ids: BigInt64Array;
  /** (B, T) int64, 1 real, 0 padding. */
  mask: BigInt64Array;
  /** (B, T) int64, counting real tokens from 0 (padding slots are 0). */
  positions: BigInt64Array;
  pads: Int32Array;
  B: number;
  T: number;
}

/** Left-pads prompts to one length, as sample.py's left_pad does. */
export function leftPad(rows: readonly (readonly number[])[], padId: number): PaddedBatch {
  const B = rows.length;
  const T = Math.max(...rows.map((r) => r.length));
  if (B === 0 || T === 0) throw new RangeError('leftPad: no tokens');
  const ids = new BigInt64Array(B * T).fill(BigInt(padId));
  const mask = new BigInt64Array(B * T);
  const positions = new BigInt64Array(B * T);
  const pads = new Int32Array(B);
  rows.forEach((row, b) => {
    pads[b] = T - row.length;
    row.forEach((id, i) => {
      const at = b * T + pads[b] + i;
      ids[at] = BigInt(id);
      mask[at] = 1n;
      positions[at] = BigInt(i);
    });
  });
  return { ids, mask, positions, pads, B, T };
}

/** The last position's logits of each row of a (B, T, V) prefill output, as B views of width V. */
export function lastLogits(logits: Float32Array, B: number, T: number, V: number): Float32Array[] {
  return Array.from({ length: B }, (_, b) => logits.subarray((b * T + T - 1) * V, (b * T + T) * V));
}

export interface LmSessionOptions extends CreateSessionOptions {
  /** Intra-op threads of a second session for large calls (none unless above the first's threads). */
  wideThreads?: number;
}

/**
 * Row-tokens (batch x tokens) from which a call runs on the wide session: a long prompt's prefill,
 * best-of-N scoring, an edit's locked runs. Below, a call is a decode step or a Jacobi window, whose
 * small matmuls do not split well over threads (BENCHMARKS.md, "ORT threads"); at 2 x 32 tokens two
 * threads were already 1.3x faster on an idle core.
 */
export const WIDE_CALL_MIN = 64;

/** Tokens two rows must share before `prefillLast` runs them as one: below this, a second call costs more than it saves. */
export const SHARED_PREFIX_MIN = 32;

/** How many leading tokens every row shares, leaving each row at least one of its own. */
export function commonPrefix(rows: readonly (readonly number[])[]): number {
  if (rows.length === 0) return 0;
  const limit = Math.min(...rows.map((r) => r.length)) - 1;
  let n = 0;
  while (n < limit && rows.every((r) => r[n] === rows[0][n])) n++;
  return n;
}

/** Which logits a call returns: every id's (B, T, V), or the image codes' alone (B, T, K). */
export type LogitsKind = 'all' | 'codes';

const kvNames = (prefix: string, layers: number) => Array.from({ length: layers }, (_, i) => [`${prefix}.${i}.key`, `${prefix}.${i}.value`]).flat();

export class LmSession {
  readonly past: string[];
  readonly news: string[];
  private readonly shape: KVShape;
  /** The memory of finished generations' caches (`KVCache.release`), for the next ones' arenas. */
  readonly arenas = new ArenaPool();

  private constructor(
    readonly ort: OnnxRuntime,
    private readonly graph: OnnxSession,
    readonly config: ModelConfig,
    /** The same graph on more threads, for large calls (`WIDE_CALL_MIN`); none: every call on `graph`. */
    private readonly wide?: OnnxSession,
  ) {
    const { nLayer, nHead, nEmbd } = config.model;
    this.shape = { layers: nLayer, heads: nHead, headDim: nEmbd / nHead };
    this.past = kvNames('past', nLayer);
    this.news = kvNames('new', nLayer);
    const inputs = ['input_ids', 'position_ids', 'attention_mask', 'all_logits', ...this.past];
    const missing = [...inputs.filter((n) => !graph.inputNames.includes(n)), ...['logits', 'code_logits', ...this.news].filter((n) => !graph.outputNames.includes(n))];
    if (missing.length) throw new EngineError('corrupt-file', `lm.onnx lacks ${missing.join(', ')} (exported for another config.json, or by an older exporter?)`);
  }

  /**
   * Opens the graph; `model` is a path (Node) or the model's bytes. `wideThreads` above the session's
   * intra-op threads opens it a second time on that many, for large calls.
   */
  static async create(model: string | Uint8Array, config: ModelConfig, options: LmSessionOptions = {}): Promise<LmSession> {
    const { wideThreads, ...rest } = options;
    const open = async (threads?: number) => {
      try {
        return await createSession(model, { graphOptimizationLevel: 'all', ...rest, ...(threads ? { intraOpNumThreads: threads } : {}) });
      } catch (cause) {
        throw new EngineError('corrupt-file', `cannot load ${typeof model === 'string' ? model : 'lm.onnx'}: ${(cause as Error).message}`, { cause });
      }
    };
    const graph = await open();
    const wide = wideThreads !== undefined && wideThreads > (rest.intraOpNumThreads ?? 1) ? await open(wideThreads).catch(async (error: unknown) => (await graph.release(), Promise.reject(error))) : undefined;
    return new LmSession(await onnxRuntime(rest.runtime), graph, config, wide);
  }

  private int64(data: BigInt64Array, dims: number[]): OnnxTensor {
    return new this.ort.Tensor('int64', data, dims);
  }

  /** T tokens per row at the cache's next slots -> logits (B, T, V or K); the cache grows by T slots. */
  private async run(cache: KVCache, ids: BigInt64Array, positions: BigInt64Array, T: number, newMask?: BigInt64Array, kind: LogitsKind = 'all'): Promise<Float32Array> {
    const B = cache.batch;
    if (kind !== 'all' && kind !== 'codes') throw new RangeError(`logits kind must be 'all' or 'codes', got ${String(kind)}`);
    const feeds: Record<string, OnnxTensor> = {
      input_ids: this.int64(ids, [B, T]),
      position_ids: this.int64(positions, [B, T]),
      attention_mask: this.int64(cache.attentionMask(T, newMask), [B, cache.capacity + T]),
      all_logits: this.int64(BigInt64Array.of(kind === 'all' ? 1n : 0n), [1]),
    };
    const past = cache.past(this.ort.Tensor);
    this.past.forEach((name, i) => (feeds[name] = past[i]));
    const out = await (this.wide && B * T >= WIDE_CALL_MIN ? this.wide : this.graph).run(feeds);
    const advance = newMask ? Int32Array.from({ length: B }, (_, b) => newMask.subarray(b * T, (b + 1) * T).reduce((n, m) => n + Number(m), 0)) : new Int32Array(B).fill(T);
    cache.append(this.news.map((n) => out[n]), advance);
    return out[kind === 'all' ? 'logits' : 'code_logits'].data as Float32Array;
  }

  /**
   * Prompts (B rows of ids) -> logits (B, T, V) for every position, and the cache of all T slots.
   * `grow`: how many slots the caller will add after the prompt (a reply's tokens): the cache reserves
   * them up front and then grows without allocating (kv-cache.ts). Release the cache when done with
   * it, so that the next prefill's arenas reuse its memory.
   */
  async prefill(rows: readonly (readonly number[])[], grow = 0): Promise<{ logits: Float32Array; T: number; cache: KVCache }> {
    const batch = leftPad(rows, this.config.vocab.specials.pad);
    const cache = KVCache.empty(this.shape, batch.pads, grow > 0 ? batch.T + grow : 0, this.arenas);
    const logits = await this.run(cache, batch.ids, batch.positions, batch.T, batch.mask);
    return { logits, T: batch.T, cache };
  }

  /**
   * Prompts -> each row's last logits (B views of width V) and the cache: `prefill` for a caller that
   * wants only the next token. Rows that begin alike (an edit's conditional and unconditional prompts
   * share the source image, ~260 tokens) run their common prefix once, as one row, then each its own
   * rest (`extend`), so the shared part costs one row instead of B. Equal to `prefill` up to rounding.
   */
  async prefillLast(rows: readonly (readonly number[])[], grow = 0): Promise<{ last: Float32Array[]; cache: KVCache }> {
    const V = this.config.vocab.size;
    const shared = commonPrefix(rows);
    if (rows.length < 2 || shared < SHARED_PREFIX_MIN) {
      const { logits, T, cache } = await this.prefill(rows, grow);
      return { last: lastLogits(logits, rows.length, T, V), cache };
    }
    const rests = rows.map((r) => r.slice(shared));
    const prefix = await this.prefill([rows[0].slice(0, shared)], grow + Math.max(...rests.map((r) => r.length)));
    const cache = prefix.cache.select(rows.map(() => 0));
    prefix.cache.release();
    const { logits, T } = await this.extend(cache, rests);
    return { last: lastLogits(logits, rows.length, T, V), cache };
  }

  /**
   * Appends each row's own tokens (rows of different lengths, at least one each) to its cache row ->
   * logits (B, T, V), T the longest: shorter rows are padded in front, and those slots stay masked
   * (holes) from then on, so every row ends at the same slot and its last logits are at T - 1.
   */
  async extend(cache: KVCache, rows: readonly (readonly number[])[]): Promise<{ logits: Float32Array; T: number }> {
    const B = cache.batch;
    if (rows.length !== B || rows.some((r) => r.length === 0)) throw new RangeError(`extend: ${rows.length} rows for a batch of ${B}, each with tokens`);
    const batch = leftPad(rows, this.config.vocab.specials.pad);
    const positions = batch.positions.map((p, i) => p + BigInt(cache.positions[Math.floor(i / batch.T)]));
    const logits = await this.run(cache, batch.ids, positions, batch.T, batch.mask);
    batch.pads.forEach((pads, b) => cache.hide(b, cache.length - batch.T, cache.length - batch.T + pads));
    return { logits, T: batch.T };
  }

  /**
   * One token per row at each row's next position -> logits (B, V), or with 'codes' the image codes'
   * alone (B, K; column j is id image.start + j); the cache grows by one slot.
   */
  async decode(cache: KVCache, tokens: ArrayLike<number>, kind: LogitsKind = 'all'): Promise<Float32Array> {
    const B = cache.batch;
    if (tokens.length !== B) throw new RangeError(`decode: ${tokens.length} tokens for a batch of ${B}`);
    return this.run(cache, BigInt64Array.from(Array.from(tokens, BigInt)), BigInt64Array.from(cache.positions, BigInt), 1, undefined, kind);
  }

  /**
   * T tokens per row ((B, T) row-major) at each row's next T positions -> logits (B, T, V), or with
   * 'codes' (B, T, K); the cache grows by T slots: a window of draft tokens verified in one call
   * (undo the rejected tail with `cache.rollback`).
   */
  async decodeWindow(cache: KVCache, tokens: ArrayLike<number>, T: number, kind: LogitsKind = 'all'): Promise<Float32Array> {
    const B = cache.batch;
    if (tokens.length !== B * T) throw new RangeError(`decodeWindow: ${tokens.length} tokens for ${B} rows of ${T}`);
    const positions = BigInt64Array.from({ length: B * T }, (_, i) => BigInt(cache.positions[Math.floor(i / T)] + (i % T)));
    return this.run(cache, BigInt64Array.from(Array.from(tokens, BigInt)), positions, T, undefined, kind);
  }

  async release(): Promise<void> {
    await Promise.all([this.graph.release(), this.wide?.release()]);
  }
}

