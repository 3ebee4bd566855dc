import type { ImageTokenizer } from '../../tokenizers/image/index.ts';
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
