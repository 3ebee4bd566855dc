/**
 * What the engine needs from the VQ image tokenizer: pixels <-> the 16x16 grid of codes. Only
 * integer codes cross between it and the transformer. The engine runs without one (codes in, codes
 * out); then images arrive as codes only and image inputs must be codes. `vqCodec` adapts the
 * project's ImageTokenizer (src/tokenizers/image); tests use a stand-in.
 *
 * @example
 *   const engine = await load('models/default', { vq: 'models/vq' });
 */
import type { RgbaImage } from './events.ts';

export interface ImageCodec {
  /** Codes per grid side and codebook size, checked against config.json when present. */
  readonly grid?: number;
  readonly codebookSize?: number;
  /** RGBA pixels (any size) or an image file's bytes -> grid codes, row-major. */
  encode(image: RgbaImage | Uint8Array): Promise<ArrayLike<number>>;
  /** Grid codes -> RGBA. */
  decode(codes: ArrayLike<number>): Promise<RgbaImage>;
  /** Several grids in one model call; the same pixels as one `decode` each. */
  decodeBatch?(codes: readonly ArrayLike<number>[]): Promise<RgbaImage[]>;
  /**
   * A preview from the first `rows` grid rows only (the rest of `codes` is ignored). With every row
   * known it must equal `decode`: the engine reuses the last preview as the final image.
   */
  decodePartial?(codes: ArrayLike<number>, rows: number): Promise<RgbaImage>;
  /** Previews of several grids at the same `rows`, in one model call; the same pixels as `decodePartial`. */
  decodePartialBatch?(codes: readonly ArrayLike<number>[], rows: number): Promise<RgbaImage[]>;
  /**
   * For a codec that decodes elsewhere (a worker thread): the same codec on the calling thread, the
   * same pixels. A decode that will be awaited at once gains nothing from another thread, and waking
   * one on a busy machine can cost more than the decode.
   */
  readonly onCallingThread?: ImageCodec;
}

/** A preview of the first `rows` rows: the codec's own partial decode, else a full decode with code 0 below. */
export async function decodeRows(codec: ImageCodec, codes: Uint16Array, rows: number, grid: number): Promise<RgbaImage> {
  if (codec.decodePartial) return codec.decodePartial(codes, rows);
  const known = codes.slice();
  known.fill(0, rows * grid);
  return codec.decode(known);
}

/** Previews of several candidates at the same `rows`: one batched call when the codec has one. */
export async function decodeRowsBatch(codec: ImageCodec, codes: readonly Uint16Array[], rows: number, grid: number): Promise<RgbaImage[]> {
  if (codec.decodePartialBatch) return codec.decodePartialBatch(codes, rows);
  const out: RgbaImage[] = [];
  for (const c of codes) out.push(await decodeRows(codec, c, rows, grid));
  return out;
}

/** Full decodes of several grids: one batched call when the codec has one. */
export async function decodeAll(codec: ImageCodec, codes: readonly ArrayLike<number>[]): Promise<RgbaImage[]> {
  if (codes.length === 0) return [];
  if (codec.decodeBatch) return codec.decodeBatch(codes);
  const out: RgbaImage[] = [];
  for (const c of codes) out.push(await codec.decode(c));
  return out;
}

/** A copy that shares no pixels with `image` (events and results must not alias one buffer). */
export function copyImage(image: RgbaImage): RgbaImage {
  return { width: image.width, height: image.height, data: image.data.slice() };
}
