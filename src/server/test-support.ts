/**
 * Shared by the server's tests: the tiny engine as a ServedModel (ASCII tokenizer, block codec; see
 * src/engine/test-support.ts) and a server on an ephemeral loopback port.
 */
import { asciiTokenizer, tinyContext } from '../engine/test-support.ts';
import { Engine } from '../engine/index.ts';
import type { EngineContext } from '../engine/context.ts';
import type { AppExtras } from './app.ts';
import type { ServedModel, ServerOptions } from './options.ts';
import { type RunningServer, startServer } from './serve.ts';

export async function tinyModel(): Promise<{ model: ServedModel; ctx: EngineContext }> {
  const ctx = await tinyContext();
  const model = { id: 'tessera-tiny', engine: new Engine(ctx), imageSize: 128, countTokens: (text: string) => asciiTokenizer.encode(text).length };
  return { model, ctx };
}

export function startTestServer(options: ServerOptions, extras?: AppExtras): Promise<RunningServer> {
  return startServer(options, { port: 0, host: '127.0.0.1' }, extras);
}
