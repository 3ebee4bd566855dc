/**
 * PNG out (through the image tokenizer's writer) and mask files in, both on sharp, which is Node
 * only: imported lazily, so the engine still loads in a browser, which passes pixels or codes.
 */
import type { RgbaImage } from './events.ts';
import { EngineError } from './errors.ts';

async function sharpModule() {
  try {
    return (await import('sharp')).default;
  } catch (cause) {
    throw new EngineError('unavailable', 'PNG support needs the sharp package (Node only); pass RGBA pixels or codes instead', { cause });
  }
}

export async function encodePng(image: RgbaImage): Promise<Uint8Array> {
  const { encodeImage } = await import('../tokenizers/image/image-io.ts');
  const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const png = await encodeImage({ width: image.width, height: image.height, channels: 4, data }, 'png');
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/**
 * Any image file sharp reads -> straight RGBA at its own size, alpha kept (edit masks live in the
 * alpha channel, which the tokenizer's readImage flattens away).
 */
export async function decodeImageFile(bytes: Uint8Array): Promise<RgbaImage> {
  const sharp = await sharpModule();
  try {
    const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (cause) {
    throw new EngineError('bad-input', `cannot decode the image (${bytes.byteLength} bytes): ${(cause as Error).message}`, { cause });
  }
}
