import { DEFAULT_LIMITS } from '../../server/options.ts';
import { defineCommand, UserError } from '../command.ts';
import { MODEL_FLAGS } from '../engine-flags.ts';

export default defineCommand({
  name: 'serve',
  summary: 'OpenAI-compatible Images API server (/v1/images/generations, /v1/images/edits, /v1/models)',
  flags: {
    port: { type: 'number', short: 'p', description: 'port to listen on (0: any free port)', default: 8787 },
    host: { type: 'string', description: 'interface to listen on (0.0.0.0 for every one; set an API key then)', default: '127.0.0.1' },
    'api-key': { type: 'string', description: 'require Authorization: Bearer <key> on every request (default: $TESSERA_API_KEY, else none)' },
    concurrency: { type: 'number', description: 'generations running at once', default: DEFAULT_LIMITS.concurrency },
    'max-queue': { type: 'number', description: 'requests that may wait for a slot; more get 429', default: DEFAULT_LIMITS.maxQueue },
    data: { type: 'string', description: 'folder for the web chat\'s conversations (default: $XDG_DATA_HOME/tessera or ~/.local/share/tessera)' },
    ...MODEL_FLAGS,
  },
  async run({ positionals, flags }) {
    if (positionals.length) throw new UserError(`serve takes no arguments, got ${positionals.join(' ')}`);
    if (!Number.isInteger(flags.port) || flags.port < 0 || flags.port > 65535) throw new UserError(`--port must be 0-65535, got ${flags.port}`);
    if (!Number.isInteger(flags.concurrency) || flags.concurrency < 1) throw new UserError(`--concurrency must be a positive integer, got ${flags.concurrency}`);
    if (!Number.isInteger(flags['max-queue']) || flags['max-queue'] < 0) throw new UserError(`--max-queue must be a non-negative integer, got ${flags['max-queue']}`);
    const [{ loadModel }, { startServer }, { mountChat }] = await Promise.all([
      import('../load-model.ts'),
      import('../../server/serve.ts'),
      import('../../server/chat/index.ts'),
    ]);
    const apiKey = flags['api-key'] ?? process.env.TESSERA_API_KEY ?? undefined;
    const model = await loadModel(flags); // loaded up front, so a missing model fails here, not on the first request
    let server;
    let store: { close(): void } | undefined;
    try {
      server = await startServer(
        { model, ...(apiKey ? { apiKey } : {}), limits: { concurrency: flags.concurrency, maxQueue: flags['max-queue'] } },
        { port: flags.port, host: flags.host },
        { extraRoutes: (app, ctx) => void (store = mountChat(app, ctx, { dataDir: flags.data })) },
      );
    } catch (error) {
      store?.close();
      await model.close();
      throw new UserError(`cannot listen on ${flags.host}:${flags.port}: ${(error as Error).message}`);
    }
    console.log(`tessera serve: ${model.id} at ${server.url}/v1 (${apiKey ? 'API key required' : 'no API key'}); web chat at ${server.url}/`);
    const running = server;
    await new Promise<void>((resolve) => {
      const stop = () => {
        console.error('tessera serve: shutting down');
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await running.close();
    store?.close();
    await model.close();
  },
});
