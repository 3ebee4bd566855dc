/**
 * A request body as text, strictly UTF-8. JSON must be UTF-8 (RFC 8259), and the lenient decoder
 * behind `c.req.json()` turns invalid bytes into U+FFFD, so a corrupt prompt would be generated
 * from instead of refused. Shared by the images API and the chat API.
 *
 * @example
 *   const json = JSON.parse(await readUtf8(c));   // a 400 (code invalid_json) on bad bytes
 */
import type { Context } from 'hono';
import { ApiError } from './errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readUtf8(c: Context): Promise<string> {
  const bytes = await c.req.arrayBuffer();
  try {
    return utf8.decode(bytes);
  } catch {
    throw ApiError.invalid('The request body is not valid UTF-8. Send JSON encoded as UTF-8.', null, 'invalid_json');
  }
}
