/**
 * PNG in and out, through sharp (Node only: imported lazily, so the engine still loads in a browser,
 * which passes pixels or codes instead of PNG bytes).
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
  const sharp = await sharpModule();
  const buffer = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  })
    .png()
    .toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Any image file sharp reads (PNG, JPEG, WebP...) -> straight RGBA at its own size. */
export async function decodeImageFile(bytes: Uint8Array): Promise<RgbaImage> {
  const sharp = await sharpModule();
  try {
    const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (cause) {
    throw new EngineError('bad-input', `cannot decode the image (${bytes.byteLength} bytes): ${(cause as Error).message}`, { cause });
  }
}
