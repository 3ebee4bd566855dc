/**
 * The VQ image tokenizer (src/tokenizers/image) as the engine's ImageCodec: the two speak nearly the
 * same language (RGBA pixels <-> 16x16 codes); this only bridges their image types.
 */
import type { ImageCodec, RgbaImage } from '../engine/index.ts';
import type { ImageTokenizer, RawImage } from '../tokenizers/image/index.ts';

const rgba = (image: RawImage): RgbaImage => ({ width: image.width, height: image.height, data: image.data });

export class VqCodec implements ImageCodec {
  constructor(readonly vq: ImageTokenizer) {}

  /** Expects the VQ's own size: the CLI and the server letterbox inputs first (src/server/image-input.ts). */
  encode(image: RgbaImage): Promise<Int32Array> {
    const data = image.data instanceof Uint8Array ? image.data : new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
    return this.vq.encode({ width: image.width, height: image.height, channels: 4, data });
  }

  async decode(codes: ArrayLike<number>): Promise<RgbaImage> {
    return rgba(await this.vq.decode(codes));
  }

  async decodePartial(codes: ArrayLike<number>, rows: number): Promise<RgbaImage> {
    return rgba(await this.vq.decodePartial(codes, rows));
  }
}
