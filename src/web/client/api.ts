/**
 * The chat API from the browser: JSON calls, turn streams (SSE over a POST), image bytes. The API
 * key, when set in Settings, goes with every call as a Bearer token.
 */
import type { ConversationSummary, ConversationView, EditBody, ErrorView, ImageView, MessageView, PostMessageBody, RegenerateBody, StreamEvent } from '../../server/chat/wire.ts';
import { apiKey } from './settings.ts';
import { parseSse, textChunks } from './sse.ts';

/** A refused call, with the server's error body. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: ErrorView,
  ) {
    super(error.message);
  }
}

function headers(json: boolean): HeadersInit {
  const key = apiKey();
  return { ...(json ? { 'Content-Type': 'application/json' } : {}), ...(key ? { Authorization: `Bearer ${key}` } : {}) };
}

async function failure(res: Response): Promise<ApiFailure> {
  const body = (await res.json().catch(() => undefined)) as { error?: ErrorView } | undefined;
  return new ApiFailure(res.status, body?.error ?? { message: `${res.status} ${res.statusText}`, type: 'http_error', param: null, code: null });
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, { method, headers: headers(body !== undefined), ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw await failure(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

async function* stream(path: string, body: unknown, signal: AbortSignal): AsyncGenerator<StreamEvent> {
  const res = await fetch(path, { method: 'POST', headers: headers(true), body: JSON.stringify(body), signal });
  if (!res.ok || !res.body) throw await failure(res);
  for await (const message of parseSse(textChunks(res.body))) yield JSON.parse(message.data) as StreamEvent;
}

const blobs = new Map<string, Promise<string>>();

/** An image's bytes, fetched with the API key, as a blob: URL (an image id never changes its bytes). */
function blobUrl(url: string): Promise<string> {
  let hit = blobs.get(url);
  if (!hit) {
    hit = fetch(url, { headers: headers(false) }).then(async (res) => {
      if (!res.ok) throw await failure(res);
      return URL.createObjectURL(await res.blob());
    });
    hit.catch(() => blobs.delete(url));
    blobs.set(url, hit);
  }
  return hit;
}

const c = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

export const api = {
  list: () => call<{ data: ConversationSummary[] }>('GET', '/api/conversations').then((r) => r.data),
  create: () => call<ConversationSummary>('POST', '/api/conversations', {}),
  get: (id: string) => call<ConversationView>('GET', c(id)),
  rename: (id: string, title: string) => call<ConversationSummary>('PATCH', c(id), { title }),
  remove: (id: string) => call<void>('DELETE', c(id)),
  post: (id: string, body: PostMessageBody, signal: AbortSignal) => stream(`${c(id)}/messages`, body, signal),
  edit: (id: string, body: EditBody, signal: AbortSignal) => stream(`${c(id)}/edits`, body, signal),
  regenerate: (id: string, body: RegenerateBody, signal: AbortSignal) => stream(`${c(id)}/regenerate`, body, signal),
  choose: (imageId: string) => call<MessageView>('POST', `/api/images/${encodeURIComponent(imageId)}/choose`),

  /** What an <img> can load: the URL itself, or a blob: URL when a key must be sent. */
  imageSrc(image: ImageView): Promise<string> | string {
    return apiKey() ? blobUrl(image.url!) : image.url!;
  },

  async download(image: ImageView): Promise<void> {
    const a = document.createElement('a');
    a.href = await blobUrl(image.url!);
    a.download = `tessera-${image.id.slice(0, 8)}.png`;
    a.click();
  },
};
