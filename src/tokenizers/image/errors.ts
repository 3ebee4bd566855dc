/**
 * The one error type of the image-tokenizer layer: an unreadable or corrupt image, codes of the wrong
 * shape or range, a missing or malformed model folder. Callers (the CLI) turn it into a message.
 *
 * @example
 * try {
 *   await readImage('cat.png');
 * } catch (error) {
 *   if (error instanceof ImageTokenizerError) console.error(error.message);
 * }
 */
export class ImageTokenizerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageTokenizerError';
  }
}
