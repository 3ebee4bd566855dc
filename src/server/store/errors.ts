/**
 * The store's one error type. `code` says what went wrong so the HTTP layer can map it to a status
 * in one place: 'not-found' -> 404, 'conflict' -> 409, 'too-new' and 'bad-path' are startup errors.
 */
export type StoreErrorCode = 'not-found' | 'conflict' | 'too-new' | 'bad-path';

export class StoreError extends Error {
  override name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
