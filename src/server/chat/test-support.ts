/** Shared by the chat tests: the server app with the chat mounted on the tiny model and an in-memory store. */
import sharp from 'sharp';
import { createApp, type TesseraApp } from '../app.ts';
import type { ServedModel } from '../options.ts';
import { ChatStore } from '../store/index.ts';
import { tinyModel } from '../test-support.ts';
import { mountChat } from './index.ts';
import type { StreamEvent } from './wire.ts';

export async function chatApp(options: { model?: ServedModel; apiKey?: string } = {}): Promise<{ app: TesseraApp; store: ChatStore; model: ServedModel }> {
  const model = options.model ?? (await tinyModel()).model;
  const store = ChatStore.memory();
  const app = createApp({ model, ...(options.apiKey ? { apiKey: options.apiKey } : {}) }, { extraRoutes: (app, ctx) => mountChat(app, ctx, { store, web: false }) });
  return { app, store, model };
}

export function post(app: TesseraApp, path: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return Promise.resolve(app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' }, ...init }));
}

/** Splits an SSE body into its events (JSON data lines). */
export function parseEvents(text: string): StreamEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => JSON.parse(block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n')) as StreamEvent);
}

export async function events(res: Response): Promise<StreamEvent[]> {
  return parseEvents(await res.text());
}

/** A size x size PNG: one color, and alpha 0 where `clear(x, y)`. */
export async function pngBase64(size: number, rgb: [number, number, number], clear: (x: number, y: number) => boolean = () => false): Promise<string> {
  const data = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) data.set([...rgb, clear(x, y) ? 0 : 255], (y * size + x) * 4);
  }
  return (await sharp(data, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer()).toString('base64');
}
