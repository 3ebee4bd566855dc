/**
 * The project's VQ (src/tokenizers/image) as the engine's ImageCodec. Image files are read the way
 * the VQ was trained (readImage letterboxes onto white); pixels of another size are letterboxed the
 * same way. Node-only parts (sharp) are imported when first needed.
 *
 * @example
 *   const codec = vqCodec(await ImageTokenizer.load('models/vq'));
 *   const codes = await codec.encode(pngBytes);
 */
import type { ImageTokenizer } from '../tokenizers/image/index.ts';
import type { RawImage } from '../tokenizers/image/raw-image.ts';
import type { RgbaImage } from './events.ts';
import type { ImageCodec } from './image-codec.ts';

const imageIo = () => import('../tokenizers/image/image-io.ts');

export function vqCodec(tokenizer: ImageTokenizer): ImageCodec {
  const size = tokenizer.imageSize;
  const raw = (image: RgbaImage): RawImage => ({ width: image.width, height: image.height, channels: 4, data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) });
  return {
    grid: tokenizer.grid,
    codebookSize: tokenizer.codebookSize,
    async encode(image) {
      const { encodeImage, readImage } = await imageIo();
      if (image instanceof Uint8Array) return tokenizer.encode(await readImage(image, size));
      if (image.width === size && image.height === size) return tokenizer.encode(raw(image));
      return tokenizer.encode(await readImage(await encodeImage(raw(image), 'png'), size));
    },
    decode: (codes) => tokenizer.decode(codes),
    decodeBatch: (codes) => tokenizer.decode(codes),
    decodePartial: (codes, rows) => tokenizer.decodePartial(codes, rows),
    decodePartialBatch: async (codes, rows) => (codes.length > 0 ? tokenizer.decodePartial(codes, rows) : []),
  };
}
