/**
 * Reading and writing images with sharp (Node only): PNG, JPEG and WebP (and whatever else sharp reads).
 *
 * `readImage` letterboxes: an image that is not size x size is scaled to fit inside the square,
 * keeping its aspect, and centred on white; transparency is composited onto white too. So a
 * 640x480 photo becomes 128x96 of photo with 16-pixel white bands above and below. Images already
 * size x size are never resampled.
 */
import sharp from 'sharp';
import { ImageTokenizerError } from './errors.ts';
import { checkImage, type RawImage } from './raw-image.ts';

const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };

/**
 * An image file or its bytes -> size x size RGB.
 *
 * @example const image = await readImage('cat.jpg');  // { width: 128, height: 128, channels: 3, data }
 */
export async function readImage(input: string | Uint8Array, size = 128): Promise<RawImage> {
  const what = typeof input === 'string' ? input : `${input.byteLength}-byte buffer`;
  try {
    const meta = await sharp(input).metadata();
    let pipeline = sharp(input).flatten({ background: WHITE });
    if (meta.width !== size || meta.height !== size) {
      pipeline = pipeline.resize(size, size, { fit: 'contain', background: WHITE, kernel: 'lanczos3' });
    }
    const { data, info } = await pipeline.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (error) {
    const reason = (error as Error).message;
    if (/no such file|missing/i.test(reason)) throw new ImageTokenizerError(`cannot read ${what}: no such file`, { cause: error });
    throw new ImageTokenizerError(`cannot read ${what}: not a readable PNG, JPEG or WebP image (${reason})`, { cause: error });
  }
}

/** Encodes an image as PNG, JPEG or WebP bytes. */
export async function encodeImage(image: RawImage, format: 'png' | 'jpeg' | 'webp' = 'png'): Promise<Buffer> {
  checkImage(image);
  const raw = { width: image.width, height: image.height, channels: image.channels };
  return sharp(image.data, { raw }).toFormat(format).toBuffer();
}

/** Writes an image; the format follows the extension (.png, .jpg/.jpeg, .webp). */
export async function writeImage(image: RawImage, path: string): Promise<void> {
  const ext = path.toLowerCase().split('.').pop();
  const format = ext === 'jpg' || ext === 'jpeg' ? 'jpeg' : ext === 'webp' ? 'webp' : 'png';
  const bytes = await encodeImage(image, format);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, bytes);
}
