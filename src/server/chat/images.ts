/**
 * Image bytes at the chat's edges: uploads and brush masks arrive as base64 and are normalized to
 * the model's size once (through the server's safe decoder) and stored as PNG; generated pixels are
 * stored as PNG too.
 */
import sharp from 'sharp';
import type { RgbaImage } from '../../engine/index.ts';
import { ApiError } from '../errors.ts';
import { readImageInput } from '../image-input.ts';

export interface StoredPng {
  png: Uint8Array;
  width: number;
  height: number;
}

const DATA_URL = /^data:image\/[a-z+.-]+;base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** base64 or a data: URL -> bytes; `param` names the field in the 400. */
export function decodeBase64(data: string, param: string): Uint8Array {
  const body = data.replace(DATA_URL, '').replace(/\s+/g, '');
  if (body.length === 0 || body.length % 4 === 1 || !BASE64.test(body)) throw ApiError.invalid(`Invalid value for '${param}': expected base64 image data or a data: URL.`, param);
  return new Uint8Array(Buffer.from(body, 'base64'));
}

export async function rgbaToPng(image: RgbaImage): Promise<Uint8Array> {
  const raw = { width: image.width, height: image.height, channels: 4 as const };
  const buffer = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw }).png().toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** An uploaded image or mask, checked and letterboxed to size x size, as PNG. */
export async function normalizeUpload(data: string, options: { kind: 'image' | 'mask'; param: string; size: number; maxPixels: number }): Promise<StoredPng> {
  const bytes = decodeBase64(data, options.param);
  const rgba = await readImageInput(bytes, { kind: options.kind, size: options.size, maxPixels: options.maxPixels, name: options.param });
  return { png: await rgbaToPng(rgba), width: rgba.width, height: rgba.height };
}
