/**
 * The store's errors in the server's shape. The server has one error class (ApiError) and one
 * handler; this is the only place that decides what a StoreError means over HTTP.
 */
import { ApiError } from '../errors.ts';
import { StoreError } from '../store/index.ts';

export function apiError(error: unknown): unknown {
  if (!(error instanceof StoreError)) return error;
  if (error.code === 'not-found') return ApiError.notFound(`${error.message[0].toUpperCase()}${error.message.slice(1)}.`);
  if (error.code === 'conflict') return new ApiError(409, `${error.message}.`, 'invalid_request_error', null, 'conflict');
  return new ApiError(500, `The chat store failed: ${error.message}`, 'server_error');
}

export function busy(): ApiError {
  return new ApiError(409, 'This conversation is already writing a reply: wait for it, or stop it first.', 'invalid_request_error', null, 'conversation_busy');
}

/** Runs `fn`, rethrowing store errors as ApiErrors. */
export async function translated<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw apiError(error);
  }
}
