/**
 * The web chat, mounted on the server app: the conversation store, the chat API (routes.ts) and the
 * web UI's files (src/web). Everything shares the app's model, queue, limits, API key and errors.
 *
 * @example
 *   const app = createApp(options, { extraRoutes: (app, ctx) => mountChat(app, ctx, { dataDir: flags.data }) });
 */
import type { AppContext, TesseraApp } from '../app.ts';
import { ChatStore, dataPaths } from '../store/index.ts';
import { webRoutes } from '../../web/assets.ts';
import { chatApiRoutes } from './routes.ts';
import { ChatTurns } from './turns.ts';

export interface ChatOptions {
  /** The data folder (default ~/.local/share/tessera); ignored when `store` is given. */
  dataDir?: string;
  /** An open store (tests); the caller closes it. */
  store?: ChatStore;
  /** Serve the web UI too (default true). */
  web?: boolean;
}

/** Registers the chat API and the web UI on `app`; returns the store (close it on shutdown). */
export function mountChat(app: TesseraApp, ctx: AppContext, options: ChatOptions = {}): ChatStore {
  const store = options.store ?? ChatStore.open(dataPaths(options.dataDir));
  chatApiRoutes(app, store, new ChatTurns(store, ctx));
  if (options.web ?? true) webRoutes(app);
  return store;
}

export type * from './wire.ts';
export { ChatTurns } from './turns.ts';
