/**
 * The one error type of the text-tokenizer layer: a corrupt tokenizer.json, an unreadable corpus,
 * an id outside the text vocabulary. Callers (the CLI) turn it into a user-facing message.
 *
 * @example
 * try {
 *   await TextTokenizer.load(path);
 * } catch (error) {
 *   if (error instanceof TextTokenizerError) console.error(error.message);
 * }
 */
export class TextTokenizerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TextTokenizerError';
  }
}
