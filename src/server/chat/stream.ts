/**
 * A turn as Server-Sent Events: `event: <type>` and one JSON line per event. The run aborts when
 * the client goes away (the request's signal, or the response stream being cancelled), and the
 * turn's slot is released whatever happens. An error after the stream has begun is sent as an
 * `error` event in the server's error shape; nothing is sent once the client is gone.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../app.ts';
import { reportError } from '../errors.ts';
import { apiError } from './errors.ts';
import type { Turn } from './turns.ts';
import type { StreamEvent } from './wire.ts';

export function streamTurn(c: Context<AppEnv>, turn: Turn): Response {
  const signal = c.get('signal');
  c.header('X-Accel-Buffering', 'no'); // proxies must not hold rows back
  return streamSSE(c, async (stream) => {
    const gone = new AbortController();
    stream.onAbort(() => gone.abort(new DOMException('the client disconnected', 'AbortError')));
    const runSignal = AbortSignal.any([signal, gone.signal]);
    const send = (event: StreamEvent) => stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
    try {
      for await (const event of turn.events(runSignal)) await send(event);
    } catch (error) {
      if (!runSignal.aborted) await send({ type: 'error', error: reportError(apiError(error)).toJSON().error });
    } finally {
      turn.release();
    }
  });
}
