/**
 * RGBA -> the response's image bytes. `output_compression` (0-100, default 100) is the JPEG/WebP
 * quality, as OpenAI defines it; PNG is lossless and ignores it. The model paints opaque images, so
 * alpha is dropped.
 *
 * @example
 *   const webp = await encodeImage(image.rgba, { format: 'webp', compression: 80 });   // Buffer
 */
import sharp from 'sharp';
import type { RgbaImage } from '../engine/index.ts';

export type OutputFormat = 'png' | 'jpeg' | 'webp';

export async function encodeImage(image: RgbaImage, options: { format: OutputFormat; compression?: number }): Promise<Buffer> {
  const raw = { width: image.width, height: image.height, channels: 4 as const };
  const quality = Math.max(1, options.compression ?? 100); // sharp's quality starts at 1
  const pipeline = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw }).removeAlpha();
  const encoded = options.format === 'png' ? pipeline.png() : options.format === 'jpeg' ? pipeline.jpeg({ quality }) : pipeline.webp({ quality });
  return encoded.toBuffer();
}
