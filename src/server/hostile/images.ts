/**
 * Image files an attacker or a broken client sends, built from real encoder output: truncated,
 * garbage behind a valid signature, headers that declare far more pixels than the bytes hold
 * (decompression bombs), formats the server does not take, and masks that cannot be masks.
 * Each is bad in one way only, so a 4xx shows that check works (see cases.ts).
 *
 * @example
 *   const samples = await imageSamples();
 *   pngDeclaring(30000, 30000);       // 70 bytes that claim 900 million pixels
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

export interface ImageSamples {
  png: Uint8Array;
  jpeg: Uint8Array;
  webp: Uint8Array;
  /** A PNG with alpha 0 in its top half: a valid mask. */
  mask: Uint8Array;
}

const bytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** Small valid images (a gradient, so encoders do real work) in every accepted format. */
export async function imageSamples(): Promise<ImageSamples> {
  const [w, h] = [48, 40];
  const rgba = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([(i * 7) % 256, (i * 3) % 256, 90, i < (w * h) / 2 ? 0 : 255], i * 4);
  const raw = { raw: { width: w, height: h, channels: 4 as const } };
  const opaque = () => sharp(rgba, raw).flatten({ background: '#fff' });
  return {
    png: bytes(await opaque().png().toBuffer()),
    jpeg: bytes(await opaque().jpeg().toBuffer()),
    webp: bytes(await opaque().webp().toBuffer()),
    mask: bytes(await sharp(rgba, raw).png().toBuffer()),
  };
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A well-formed PNG (valid CRCs) whose IHDR declares width x height RGB pixels while its IDAT holds
 * one compressed row: what a decoder would allocate is what the header says.
 */
export function pngDeclaring(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
  const row = Buffer.alloc(1 + Math.min(width, 1 << 16) * 3); // filter byte + pixels; a zlib bomb in miniature
  return bytes(Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(row)), pngChunk('IEND', new Uint8Array(0))]));
}

/** A real JPEG whose start-of-frame claims width x height (16-bit fields, so at most 65535 each). */
export function jpegDeclaring(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const out = Uint8Array.from(jpeg);
  for (let i = 2; i + 9 < out.length; i++) {
    if (out[i] === 0xff && (out[i + 1] === 0xc0 || out[i + 1] === 0xc2)) {
      out.set([height >> 8, height & 0xff, width >> 8, width & 0xff], i + 5);
      return out;
    }
  }
  throw new Error('no start-of-frame marker in the sample JPEG');
}

/** A real lossy WebP whose VP8 frame header claims width x height (14 bits each: at most 16383). */
export function webpDeclaring(webp: Uint8Array, width: number, height: number): Uint8Array {
  const out = Uint8Array.from(webp);
  const at = Buffer.from(out).indexOf(Buffer.from([0x9d, 0x01, 0x2a])); // the VP8 key-frame start code
  if (at < 0) throw new Error('no VP8 key frame in the sample WebP');
  out.set([width & 0xff, (width >> 8) & 0x3f, height & 0xff, (height >> 8) & 0x3f], at + 3);
  return out;
}

/** The first `keep` fraction of a file (0 < keep < 1), never the whole of it. */
export function truncated(file: Uint8Array, keep: number): Uint8Array {
  return file.subarray(0, Math.max(1, Math.min(file.length - 1, Math.floor(file.length * keep))));
}

/** A format's signature followed by noise. */
export function garbageAfter(signature: readonly number[], noise: Uint8Array): Uint8Array {
  return Uint8Array.from([...signature, ...noise]);
}

export const SIGNATURES = {
  png: [...PNG_SIGNATURE],
  jpeg: [0xff, 0xd8, 0xff, 0xe0],
  webp: [...Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1')],
  gif: [...Buffer.from('GIF89a', 'latin1')],
  tiff: [0x49, 0x49, 0x2a, 0x00],
  bmp: [0x42, 0x4d],
} as const;

/** Files of a format the server does not accept (it takes PNG, JPEG and WebP). */
export async function otherFormats(): Promise<Record<string, Uint8Array>> {
  const image = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } });
  return {
    gif: bytes(await image().gif().toBuffer()),
    tiff: bytes(await image().tiff().toBuffer()),
    svg: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"><rect width="9" height="9"/></svg>'),
    html: new TextEncoder().encode('<!doctype html><script>alert(1)</script>'),
  };
}
