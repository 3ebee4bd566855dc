/**
 * The chat API under /api, for the web UI (see wire.ts for the shapes):
 *
 *   GET    /api/conversations                      { data: ConversationSummary[] }, most recent first
 *   POST   /api/conversations                      { title? } -> 201 ConversationSummary
 *   GET    /api/conversations/:id                  ConversationView (messages and image metadata)
 *   PATCH  /api/conversations/:id                  { title } -> ConversationSummary
 *   DELETE /api/conversations/:id                  204
 *   POST   /api/conversations/:id/messages         { text?, images?, n?, reply?, seed? } -> SSE
 *   POST   /api/conversations/:id/edits            { imageId, instruction?, mask?, n?, seed? } -> SSE
 *   POST   /api/conversations/:id/regenerate       { n?, seed? } -> SSE (replaces the last reply)
 *   POST   /api/images/:id/choose                  best-of-N pick -> MessageView
 *   GET    /api/images/:id[?download=1]            the PNG
 *
 * They sit behind the app's middleware (API key, body limit, request signal) and its error handler.
 */
import type { Context } from 'hono';
import type { AppEnv, TesseraApp } from '../app.ts';
import { ApiError } from '../errors.ts';
import type { ChatStore } from '../store/index.ts';
import { translated } from './errors.ts';
import { createConversationBody, editBody, parseBody, regenerateBody, renameConversationBody, postMessageBody } from './schemas.ts';
import { streamTurn } from './stream.ts';
import type { ChatTurns } from './turns.ts';
import { conversationSummary, conversationView, messageView } from './views.ts';

type Handler = (c: Context<AppEnv>) => Response | Promise<Response>;

/** Store errors leave as the server's 404/409. */
const handle = (fn: Handler): Handler => (c) => translated(() => fn(c));

/** The route's :id (every route with one declares it). */
const id = (c: Context<AppEnv>): string => c.req.param('id') ?? '';

export function chatApiRoutes(app: TesseraApp, store: ChatStore, turns: ChatTurns): void {
  app.get('/api/conversations', handle((c) => c.json({ data: store.listConversations().map(conversationSummary) })));

  app.post('/api/conversations', handle(async (c) => {
    const { title } = await parseBody(c, createConversationBody);
    return c.json(conversationSummary(store.createConversation(title)), 201);
  }));

  app.get('/api/conversations/:id', handle((c) => c.json(conversationView(store.getConversation(id(c))))));

  app.patch('/api/conversations/:id', handle(async (c) => {
    const { title } = await parseBody(c, renameConversationBody);
    return c.json(conversationSummary(store.renameConversation(id(c), title)));
  }));

  app.delete('/api/conversations/:id', handle((c) => {
    store.deleteConversation(id(c));
    return c.body(null, 204);
  }));

  app.post('/api/conversations/:id/messages', handle(async (c) => {
    const body = await parseBody(c, postMessageBody);
    return streamTurn(c, await turns.post(id(c), body, c.get('signal')));
  }));

  app.post('/api/conversations/:id/edits', handle(async (c) => {
    const body = await parseBody(c, editBody);
    return streamTurn(c, await turns.edit(id(c), body, c.get('signal')));
  }));

  app.post('/api/conversations/:id/regenerate', handle(async (c) => {
    const body = await parseBody(c, regenerateBody);
    return streamTurn(c, await turns.regenerate(id(c), body, c.get('signal')));
  }));

  app.post('/api/images/:id/choose', handle((c) => c.json(messageView(store.chooseCandidate(id(c))))));

  app.get('/api/images/:id', handle((c) => {
    const { png } = store.getImage(id(c));
    if (!png) throw ApiError.notFound(`Image ${id(c)} has no pixels: the engine that made it had no VQ decoder.`, 'no_pixels');
    const headers: Record<string, string> = {
      'Content-Type': 'image/png',
      // An id always names the same bytes.
      'Cache-Control': 'private, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    };
    if (c.req.query('download') !== undefined) headers['Content-Disposition'] = `attachment; filename="tessera-${id(c).slice(0, 8)}.png"`;
    return c.body(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer, 200, headers);
  }));
}
