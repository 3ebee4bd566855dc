/**
 * The image tokenizer: images <-> 16x16 grids of VQ codes, through ONNX.
 * `image-io.ts` (sharp) is Node-only; the rest is browser-safe apart from `ImageTokenizer.load`.
 *
 * @example
 * import { ImageTokenizer, readImage, writeImage } from './tokenizers/image/index.ts';
 * const tokenizer = await ImageTokenizer.load();
 * const codes = await tokenizer.encode(await readImage('cat.png'));   // Int32Array(256)
 * await writeImage(await tokenizer.decode(codes), 'cat-vq.png');
 */
export { ImageTokenizerError } from './errors.ts';
export { DEFAULT_VQ_DIR, ImageTokenizer, type ImageTokenizerOptions, type ImageTokenizerSource } from './image-tokenizer.ts';
export { encodeImage, readImage, writeImage } from './image-io.ts';
export { checkImage, psnr, type RawImage } from './raw-image.ts';
export { type CodesFile, parseCodes, serializeCodes } from './codes-file.ts';
export { parseVqConfig, type VqConfig } from './vq-config.ts';
