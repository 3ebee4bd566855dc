import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HTTPException } from 'hono/http-exception';
import { EngineError } from '../engine/index.ts';
import { ApiError, toApiError } from './errors.ts';

const shape = (error: unknown) => {
  const api = toApiError(error);
  return { status: api.status, ...api.toJSON().error };
};

test('every error becomes one ApiError in OpenAI shape', () => {
  assert.deepEqual(shape(ApiError.invalid("Invalid value for 'n'.", 'n')), { status: 400, message: "Invalid value for 'n'.", type: 'invalid_request_error', param: 'n', code: 'invalid_value' });
  assert.deepEqual(shape(new EngineError('bad-input', 'cell (20, 0) outside the 16x16 grid')), { status: 400, message: 'cell (20, 0) outside the 16x16 grid', type: 'invalid_request_error', param: null, code: 'invalid_value' });
  assert.equal(shape(new EngineError('too-long', 'too long')).code, 'context_length_exceeded');
  assert.deepEqual(shape(new EngineError('unavailable', 'no VQ')), { status: 500, message: 'The model cannot serve this request: no VQ', type: 'server_error', param: null, code: 'model_unavailable' });
  assert.equal(shape(new HTTPException(413)).status, 413);
  assert.equal(shape(new DOMException('gone', 'AbortError')).code, 'request_cancelled');
  // Foreign errors never leak their message.
  assert.deepEqual(shape(new TypeError('secret path /etc/x')), { status: 500, message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null });
});

test('429 carries Retry-After; 401 is invalid_api_key', () => {
  const busy = ApiError.busy(7);
  assert.deepEqual([busy.status, busy.headers, busy.code], [429, { 'Retry-After': '7' }, 'rate_limit_exceeded']);
  const auth = ApiError.unauthorized('no key');
  assert.deepEqual([auth.status, auth.code], [401, 'invalid_api_key']);
});
