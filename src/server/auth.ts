/**
 * The optional API key: with one configured, every request needs `Authorization: Bearer <key>`,
 * compared in constant time, or it gets 401 in OpenAI's shape.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function requireApiKey(apiKey: string): MiddlewareHandler {
  const expected = digest(apiKey);
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) throw ApiError.unauthorized("You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.");
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    // Hashing first makes both sides the same length, so timingSafeEqual applies to any input.
    if (!match || !timingSafeEqual(digest(match[1]), expected)) throw ApiError.unauthorized('Incorrect API key provided.');
    await next();
  };
}
