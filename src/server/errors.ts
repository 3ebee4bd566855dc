/**
 * The server's one error class and its one handler: every failure, ours, the engine's, Hono's or an
 * unexpected throw, leaves as OpenAI's shape `{ error: { message, type, param, code } }` with its
 * status (and Retry-After on 429), so the official clients raise their matching error classes.
 *
 * @example
 *   throw ApiError.invalid("Invalid value for 'n': expected an integer from 1 to 10, got 11.", 'n');
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { EngineError } from '../engine/index.ts';

export interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static invalid(message: string, param: string | null = null, code: string | null = 'invalid_value'): ApiError {
    return new ApiError(400, message, 'invalid_request_error', param, code);
  }

  static unauthorized(message: string): ApiError {
    return new ApiError(401, message, 'invalid_request_error', null, 'invalid_api_key');
  }

  static notFound(message: string, code = 'not_found'): ApiError {
    return new ApiError(404, message, 'invalid_request_error', null, code);
  }

  static tooLarge(maxBytes: number): ApiError {
    return new ApiError(413, `The request body is larger than this server accepts (${(maxBytes / 1024 / 1024).toFixed(1)} MB). Send smaller images.`, 'invalid_request_error', null, 'request_too_large');
  }

  static busy(retryAfterSeconds: number): ApiError {
    const message = `The server is busy: every generation slot and queue place is taken. Retry after ${retryAfterSeconds} s.`;
    return new ApiError(429, message, 'requests', null, 'rate_limit_exceeded', { 'Retry-After': String(retryAfterSeconds) });
  }

  toJSON(): ApiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** The client went away: our abort, or Node's `aborted` (ECONNRESET) when the request body was cut off mid-upload. */
const isAbort = (error: unknown) => error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError' || (error as NodeJS.ErrnoException).code === 'ECONNRESET');

/** Any thrown value -> an ApiError; the only place that decides statuses for foreign errors. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof EngineError) {
    if (error.code === 'bad-input' || error.code === 'too-long') return ApiError.invalid(error.message, null, error.code === 'too-long' ? 'context_length_exceeded' : 'invalid_value');
    return new ApiError(500, `The model cannot serve this request: ${error.message}`, 'server_error', null, 'model_unavailable');
  }
  if (error instanceof HTTPException) {
    if (error.status === 413) return new ApiError(413, 'The request body is too large.', 'invalid_request_error', null, 'request_too_large');
    return new ApiError(error.status as ContentfulStatusCode, error.message || 'Bad request.', error.status < 500 ? 'invalid_request_error' : 'server_error');
  }
  // 499: nginx's "client closed request"; nobody is left to read it, but logs and tests see it.
  if (isAbort(error)) return new ApiError(499 as ContentfulStatusCode, 'The request was cancelled.', 'invalid_request_error', null, 'request_cancelled');
  return new ApiError(500, 'The server had an error while processing your request.', 'server_error');
}

/** toApiError, logging the unexpected: the client sees only a generic message, the operator the stack. */
export function reportError(error: unknown): ApiError {
  const api = toApiError(error);
  if (api.status >= 500 && !(error instanceof ApiError) && !(error instanceof EngineError)) console.error(error);
  return api;
}

/** Hono's onError handler. */
export function handleError(error: unknown, c: Context): Response {
  const api = reportError(error);
  return c.json(api.toJSON(), api.status, api.headers);
}
