/**
 * The engine's one error type. `code` says what kind of failure it is, so the CLI and the server can
 * map it to an exit status or an HTTP status in one place. Cancellation is not an EngineError: an
 * aborted run rejects with the signal's reason (an AbortError DOMException by default), as fetch does.
 */
export type EngineErrorCode =
  /** A model file is absent. */
  | 'missing-file'
  /** A model file exists but cannot be read or does not match config.json. */
  | 'corrupt-file'
  /** A caller's argument is out of range or malformed. */
  | 'bad-input'
  /** Prompt plus new tokens exceed the model's maxSeqLen. */
  | 'too-long'
  /** The operation needs a part that this engine was loaded without (the VQ, the text tokenizer). */
  | 'unavailable';

export class EngineError extends Error {
  override name = 'EngineError';

  constructor(
    readonly code: EngineErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Throws a RangeError-like EngineError('bad-input') unless `ok`. */
export function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new EngineError('bad-input', message);
}

/** Throws EngineError('too-long') unless a prompt of `promptTokens` plus `newTokens` fits the model's `maxSeqLen`. */
export function checkRoom(promptTokens: number, newTokens: number, maxSeqLen: number): void {
  if (promptTokens + newTokens > maxSeqLen) throw new EngineError('too-long', `prompt of ${promptTokens} tokens + ${newTokens} new ones exceeds the model's ${maxSeqLen}`);
}
