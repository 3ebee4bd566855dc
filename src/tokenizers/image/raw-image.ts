/**
 * Pixels as the tokenizer sees them: interleaved 8-bit RGB or RGBA, row-major, no padding.
 * Browser-safe (no I/O); `image-io.ts` reads and writes files.
 */
import { ImageTokenizerError } from './errors.ts';

export interface RawImage {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Uint8Array;
}

export function checkImage(image: RawImage, what = 'image'): void {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || (channels !== 3 && channels !== 4)) {
    throw new ImageTokenizerError(`${what}: expected a width x height x 3|4 image, got ${width}x${height}x${channels}`);
  }
  if (data.length !== width * height * channels) {
    throw new ImageTokenizerError(`${what}: ${data.length} bytes do not make a ${width}x${height}x${channels} image`);
  }
}

/**
 * Planar float32 RGB in [0, 1] (one image of an NCHW batch), written into `out` at `offset`.
 * Transparent pixels are composited onto white, as the world renders its scenes.
 */
export function toPlanarFloat(image: RawImage, out: Float32Array, offset = 0): void {
  const { width, height, channels, data } = image;
  const plane = width * height;
  for (let i = 0; i < plane; i++) {
    const p = i * channels;
    const a = channels === 4 ? data[p + 3] / 255 : 1;
    for (let c = 0; c < 3; c++) {
      const v = channels === 4 ? data[p + c] * a + 255 * (1 - a) : data[p + c];
      out[offset + c * plane + i] = v / 255;
    }
  }
}

/** One image of planar float32 RGB in [0, 1] -> opaque RGBA. */
export function fromPlanarFloat(planar: Float32Array, width: number, height: number, offset = 0): RawImage {
  const plane = width * height;
  const data = new Uint8Array(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const v = planar[offset + c * plane + i];
      data[i * 4 + c] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
    data[i * 4 + 3] = 255;
  }
  return { width, height, channels: 4, data };
}

/**
 * Peak signal-to-noise ratio in dB between two same-sized images, over RGB (alpha ignored; transparent
 * pixels count as composited onto white). Infinity for identical images.
 *
 * @example psnr(original, await tokenizer.decode(await tokenizer.encode(original)))  // ~28 dB
 */
export function psnr(a: RawImage, b: RawImage): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new ImageTokenizerError(`psnr: sizes differ (${a.width}x${a.height} vs ${b.width}x${b.height})`);
  }
  const n = a.width * a.height;
  const fa = new Float32Array(n * 3);
  const fb = new Float32Array(n * 3);
  toPlanarFloat(a, fa);
  toPlanarFloat(b, fb);
  let sum = 0;
  for (let i = 0; i < fa.length; i++) {
    const d = (fa[i] - fb[i]) * 255;
    sum += d * d;
  }
  const mse = sum / fa.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}
