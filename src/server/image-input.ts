/**
 * Untrusted image files (uploads, CLI paths) -> RGBA at the model's size, safely: the header is read
 * first (sharp metadata decodes no pixels), so a decompression bomb is refused by its declared
 * dimensions, and the decode itself runs under `limitInputPixels` in case the header lied.
 *
 * Sources are letterboxed onto white, as the VQ sees every image. Masks get the same geometry
 * (padding counts as "keep"), so a mask lines up with its source whatever the aspect ratio; they are
 * resized with nearest-neighbour so alpha 0 stays exactly 0 at the region's edges.
 *
 * Failures are EngineError('bad-input'), which the CLI and the server already map to a user error.
 *
 * @example
 *   const image = await readImageInput(bytes, { kind: 'image', size: 128, maxPixels: 4096 ** 2 });
 */
import sharp, { type Metadata } from 'sharp';
import { EngineError, type RgbaImage } from '../engine/index.ts';

export interface ImageInputOptions {
  kind: 'image' | 'mask';
  /** The model's image size (square). */
  size: number;
  maxPixels: number;
  /** How to name the file in messages (default: its kind). */
  name?: string;
}

const FORMATS = ['png', 'jpeg', 'webp'];
const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };

export async function readImageInput(bytes: Uint8Array, options: ImageInputOptions): Promise<RgbaImage> {
  const { kind, size, maxPixels } = options;
  const name = options.name ?? kind;
  const open = () => sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' });
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (cause) {
    throw new EngineError('bad-input', `${name} is not a readable PNG, JPEG or WebP file (${(cause as Error).message})`, { cause });
  }
  if (!FORMATS.includes(meta.format)) throw new EngineError('bad-input', `${name} is ${meta.format ?? 'an unknown format'}; send PNG, JPEG or WebP`);
  if (kind === 'mask' && meta.format !== 'png') throw new EngineError('bad-input', `${name} must be a PNG with an alpha channel (alpha 0 marks the region to edit), got ${meta.format}`);
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > maxPixels) throw new EngineError('bad-input', `${name} is ${meta.width}x${meta.height} (${pixels} pixels); the limit is ${maxPixels} pixels`);
  if (kind === 'mask' && !meta.hasAlpha) throw new EngineError('bad-input', `${name} has no alpha channel: make the region to edit fully transparent (alpha 0)`);
  try {
    const pipeline = kind === 'image'
      ? open().flatten({ background: WHITE }).resize(size, size, { fit: 'contain', background: WHITE })
      : open().resize(size, size, { fit: 'contain', background: WHITE, kernel: 'nearest' });
    const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (cause) {
    throw new EngineError('bad-input', `${name} cannot be decoded (${(cause as Error).message})`, { cause });
  }
}
