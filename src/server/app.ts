/**
 * The Hono app: OpenAI-compatible images endpoints over one loaded engine, behind the request
 * signal, the optional API key and the body limit, with every error answered by one handler.
 * Other features add routes through `extraRoutes` (see README.md) and share the model and the queue.
 *
 * @example
 *   const app = createApp({ model: servedModel, apiKey: 'sk-local' }, { extraRoutes: (app, ctx) => chatRoutes(app, ctx) });
 *   serve({ fetch: app.fetch, port: 8787 });
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { except } from 'hono/combine';
import { requireApiKey } from './auth.ts';
import { WEB_PATHS } from '../web/assets.ts';
import { ApiError, handleError } from './errors.ts';
import { DEFAULT_LIMITS, type Limits, type ServedModel, type ServerOptions } from './options.ts';
import { GenerationQueue } from './queue.ts';
import { imageRoutes } from './routes/images.ts';
import { modelRoutes } from './routes/models.ts';

export type AppEnv = {
  Variables: {
    /** Aborts when the client disconnects. Read this, not c.req.raw.signal: the body limit replaces c.req.raw. */
    signal: AbortSignal;
  };
};

export type TesseraApp = Hono<AppEnv>;

/** What route modules share. */
export interface AppContext {
  /** The model, loaded on first use when the options gave a factory. */
  model(): Promise<ServedModel>;
  /** Every generation (images, chat) takes a slot here, so the server never overcommits the CPU. */
  queue: GenerationQueue;
  limits: Limits;
}

export interface AppExtras {
  /** Registers more routes after the built-in ones; they get the same middleware and error handler. */
  extraRoutes?: (app: TesseraApp, ctx: AppContext) => void;
}

function modelLoader(model: ServerOptions['model']): () => Promise<ServedModel> {
  if (typeof model !== 'function') return () => Promise.resolve(model);
  let loading: Promise<ServedModel> | undefined;
  return () => {
    loading ??= model().catch((cause: unknown) => {
      loading = undefined; // the next request tries again
      throw new ApiError(503, `The model failed to load: ${(cause as Error).message}`, 'server_error', null, 'model_unavailable');
    });
    return loading;
  };
}

export function createApp(options: ServerOptions, extras: AppExtras = {}): TesseraApp {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const ctx: AppContext = { model: modelLoader(options.model), queue: new GenerationQueue(limits.concurrency, limits.maxQueue), limits };
  const app: TesseraApp = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    c.set('signal', c.req.raw.signal); // read now: node-server only aborts signals that exist when the client leaves
    await next();
  });
  // The web UI's static files hold no data, so the page can load and then ask for the key.
  if (options.apiKey) app.use('*', except([...WEB_PATHS], requireApiKey(options.apiKey)));
  app.use('*', bodyLimit({ maxSize: limits.maxBodyBytes, onError: () => { throw ApiError.tooLarge(limits.maxBodyBytes); } }));

  app.get('/health', (c) => c.json({ status: 'ok', running: ctx.queue.running, waiting: ctx.queue.waiting }));
  modelRoutes(app, ctx);
  imageRoutes(app, ctx);
  extras.extraRoutes?.(app, ctx);

  app.notFound((c) => handleError(ApiError.notFound(`No route for ${c.req.method} ${c.req.path}.`), c));
  app.onError(handleError);
  return app;
}
