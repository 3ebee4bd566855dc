/**
 * Starts the app on a port with @hono/node-server. Port 0 picks a free one (tests); the resolved URL
 * comes back with a close function that stops accepting, ends open connections and waits.
 *
 * @example
 *   const server = await startServer({ model }, { port: 8787, host: '127.0.0.1' });
 *   console.log(server.url);        // http://127.0.0.1:8787
 *   await server.close();
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { type AppExtras, createApp } from './app.ts';
import type { ServerOptions } from './options.ts';

export interface Listen {
  port: number;
  host: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export function startServer(options: ServerOptions, listen: Listen, extras: AppExtras = {}): Promise<RunningServer> {
  const app = createApp(options, extras);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: listen.port, hostname: listen.host }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () => new Promise<void>((done, fail) => {
          server.close((error) => (error ? fail(error) : done()));
          if ('closeAllConnections' in server) server.closeAllConnections();
        }),
      });
    });
    server.once('error', reject);
  });
}
