/**
 * Starts the app on a port: @hono/node-server's request listener on a node:http server. Port 0
 * picks a free one (tests); the resolved URL comes back with a close function that stops
 * accepting, ends open connections and waits. Requests that never reach the app (unparsable HTTP,
 * a path the adapter refuses) are answered in the API's error shape too.
 *
 * @example
 *   const server = await startServer({ model }, { port: 8787, host: '127.0.0.1' });
 *   console.log(server.url);        // http://127.0.0.1:8787
 *   await server.close();
 */
import { getRequestListener, RequestError } from '@hono/node-server';
import { createServer, maxHeaderSize, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type AppExtras, createApp } from './app.ts';
import { ApiError, reportError } from './errors.ts';
import type { ServerOptions } from './options.ts';

export interface Listen {
  port: number;
  host: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** A request the adapter cannot make a Request of (a backslash in the path, a bad Host) is a 400 in the API's shape. */
function adapterError(error: unknown): Response {
  const api = error instanceof RequestError ? ApiError.invalid(`Malformed request: ${error.message}.`, null, 'invalid_request') : reportError(error);
  return Response.json(api.toJSON(), { status: api.status, headers: api.headers });
}

/** HTTP that does not parse (or a head over Node's 16 KB) gets the API's error shape too, instead of a bare status line. */
function refuseUnparsable(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || socket.bytesWritten > 0) return void socket.destroy(); // Node's own rule: answer only if nothing was sent
  const [status, message]: [400 | 408 | 431, string] = error.code === 'HPE_HEADER_OVERFLOW'
    ? [431, `The request headers are larger than this server accepts (${maxHeaderSize / 1024} KB).`]
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'The request took too long to arrive.'] : [400, `The request is not valid HTTP (${error.code ?? error.message}).`];
  const body = JSON.stringify(new ApiError(status, message, 'invalid_request_error', null, status === 431 ? 'request_too_large' : 'invalid_request').toJSON());
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function startServer(options: ServerOptions, listen: Listen, extras: AppExtras = {}): Promise<RunningServer> {
  const app = createApp(options, extras);
  return new Promise((resolve, reject) => {
    const server = createServer(getRequestListener(app.fetch, { hostname: listen.host, errorHandler: adapterError }));
    server.on('clientError', refuseUnparsable);
    server.listen(listen.port, listen.host, () => {
      const info = server.address() as AddressInfo;
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () => new Promise<void>((done, fail) => {
          server.close((error) => (error ? fail(error) : done()));
          server.closeAllConnections();
        }),
      });
    });
    server.once('error', reject);
  });
}
