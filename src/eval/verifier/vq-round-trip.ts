import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageTokenizer } from '../../tokenizers/image/index.ts';
import type { ReferenceCodec } from './reference-bank.ts';
import type { Degradation } from './validation.ts';

/**
 * The VQ round trip as a Degradation: an image encoded to its 256 codes and decoded back, which is
 * what every generated image goes through. Read the results with `verifier.forImages('degraded')`.
 *
 * @example
 * const tokenizer = await ImageTokenizer.load();
 * await validateVerifier(await verifier.forImages('degraded'), { name: 'vq', degrade: vqRoundTrip(tokenizer) });
 */
export function vqRoundTrip(tokenizer: ImageTokenizer): Degradation {
  return async (image) => {
    const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length);
    const decoded = await tokenizer.decode(await tokenizer.encode({ width: image.width, height: image.height, channels: 4, data }));
    return { width: decoded.width, height: decoded.height, data: decoded.data };
  };
}

/**
 * The VQ in `dir` as the verifier's reference codec: its degraded bank is then drawn through this
 * round trip (built once per VQ, a few minutes; cached under a key hashed from the VQ's files).
 *
 * @example
 * const verifier = await Verifier.create({ images: 'degraded', codec: await vqReferenceCodec(tokenizer, 'models/vq') });
 */
export async function vqReferenceCodec(tokenizer: ImageTokenizer, dir: string): Promise<ReferenceCodec> {
  const hash = createHash('sha256');
  const { encoder, decoder } = tokenizer.config;
  for (const file of ['config.json', encoder.file, decoder.file]) hash.update(await readFile(join(dir, file)));
  return { key: `vq-${hash.digest('hex').slice(0, 16)}`, roundTrip: vqRoundTrip(tokenizer) };
}
