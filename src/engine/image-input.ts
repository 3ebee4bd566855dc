/**
 * Images given to the engine (edit sources, describe, chat context) become grid codes here: codes
 * pass through, pixels and image files go through the VQ encoder.
 */
import type { RgbaImage } from './events.ts';
import { check, EngineError } from './errors.ts';
import type { ImageCodec } from './image-codec.ts';

/** Codes (row-major grid), RGBA pixels, or the bytes of an image file (PNG, JPEG, ...). */
export type ImageInput = { codes: ArrayLike<number> } | RgbaImage | Uint8Array;

export function isRgba(input: unknown): input is RgbaImage {
  return typeof input === 'object' && input !== null && 'width' in input && 'height' in input && 'data' in input;
}

export async function imageCodes(input: ImageInput, codec: ImageCodec | undefined, imageTokens: number, codebookSize: number): Promise<Uint16Array> {
  let codes: ArrayLike<number>;
  if ('codes' in input) codes = input.codes;
  else {
    if (!codec) throw new EngineError('unavailable', 'this engine has no VQ image tokenizer: pass images as { codes }');
    codes = await codec.encode(input);
  }
  check(codes.length === imageTokens, `an image is ${imageTokens} codes, got ${codes.length}`);
  const out = Uint16Array.from(codes);
  for (let i = 0; i < codes.length; i++) check(Number.isInteger(codes[i]) && codes[i] >= 0 && codes[i] < codebookSize, `image code ${codes[i]} outside [0, ${codebookSize})`);
  return out;
}
