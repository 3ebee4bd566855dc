/**
 * What the engine needs from the VQ image tokenizer (src/tokenizers/image): pixels <-> the 16x16
 * grid of codes. Only integer codes cross between it and the transformer. The engine runs without
 * one (codes in, codes out); then images arrive as codes only and image inputs must be codes.
 *
 * @example
 *   const engine = await load('models/default', { codec: await ImageTokenizer.load('models/vq') });
 */
import type { RgbaImage } from './events.ts';

export interface ImageCodec {
  /** Any-size RGBA -> grid codes, row-major (the codec resizes to its input size). */
  encode(image: RgbaImage): Promise<ArrayLike<number>>;
  /** Grid codes -> RGBA. */
  decode(codes: ArrayLike<number>): Promise<RgbaImage>;
  /** A preview from the first `rows` grid rows only (the rest of `codes` is meaningless). */
  decodePartial?(codes: ArrayLike<number>, rows: number): Promise<RgbaImage>;
}

/** A preview of the first `rows` rows: the codec's own partial decode, else a full decode with code 0 below. */
export async function decodeRows(codec: ImageCodec, codes: Uint16Array, rows: number, grid: number): Promise<RgbaImage> {
  if (codec.decodePartial) return codec.decodePartial(codes, rows);
  const known = codes.slice();
  known.fill(0, rows * grid);
  return codec.decode(known);
}
