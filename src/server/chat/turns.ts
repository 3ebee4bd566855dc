/**
 * A chat turn from request to stored reply. Everything that can be refused is checked before the
 * response starts (404, 400 for bad images, 409 when the conversation is busy, 429 from the queue),
 * then the user's message is committed, the reply streams, and the assistant's message is committed
 * before its `done` event. A cancelled run (client gone) commits nothing more; regenerate swaps the
 * old reply for the new one in the same transaction that stores the new one.
 */
import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import type { AppContext } from '../app.ts';
import { ApiError } from '../errors.ts';
import type { ServedModel } from '../options.ts';
import type { ChatStore, MessageRecord, NewImage } from '../store/index.ts';
import { busy } from './errors.ts';
import { chatHistory, storedImage } from './history.ts';
import { normalizeUpload } from './images.ts';
import { type ReplyPlan, runReply } from './reply.ts';
import type { editBody, postMessageBody, regenerateBody } from './schemas.ts';
import { conversationSummary, messageView } from './views.ts';
import type { ReplyKind, StreamEvent } from './wire.ts';

export type ChatAppContext = Pick<AppContext, 'model' | 'queue' | 'limits'>;

export interface Turn {
  /** The turn's events: `user` (new turns only), the reply's stream, then `done` once committed. */
  events(signal: AbortSignal): AsyncGenerator<StreamEvent>;
  /** Frees the conversation and the queue slot; idempotent. */
  release(): void;
}

interface Prepared {
  model: ServedModel;
  user?: MessageRecord;
  plan: ReplyPlan;
  replace?: string;
}

const newSeed = () => randomInt(2 ** 32);

export class ChatTurns {
  readonly #busy = new Set<string>();

  constructor(
    readonly store: ChatStore,
    readonly ctx: ChatAppContext,
  ) {}

  /** A user message (text and/or images) and the reply to it. */
  async post(conversationId: string, body: z.infer<typeof postMessageBody>, signal: AbortSignal): Promise<Turn> {
    this.store.conversation(conversationId);
    const model = await this.ctx.model();
    const uploads: NewImage[] = [];
    for (const [i, data] of body.images.entries()) {
      const image = await normalizeUpload(data, { kind: 'image', param: `images.${i}`, size: model.imageSize, maxPixels: this.ctx.limits.maxImagePixels });
      uploads.push({ kind: 'upload', slot: i, ...image });
    }
    return this.#start(conversationId, signal, () => {
      const user = this.store.addMessage(conversationId, 'user', { text: body.text, images: uploads, params: { n: body.n, reply: body.reply, ...(body.seed !== undefined ? { seed: body.seed } : {}) } });
      const { messages } = this.store.getConversation(conversationId);
      return { model, user, plan: this.#chatPlan(model, messages, body.n, body.reply, body.seed ?? newSeed()) };
    });
  }

  /** An edit of an image in the thread, by instruction and/or mask (alpha 0: the region to redo). */
  async edit(conversationId: string, body: z.infer<typeof editBody>, signal: AbortSignal): Promise<Turn> {
    this.store.conversation(conversationId);
    const source = this.store.getImage(body.imageId);
    if (source.conversationId !== conversationId || source.record.kind === 'mask') throw this.#noImage(body.imageId);
    const model = await this.ctx.model();
    const mask = body.mask === undefined ? undefined : await normalizeUpload(body.mask, { kind: 'mask', param: 'mask', size: model.imageSize, maxPixels: this.ctx.limits.maxImagePixels });
    return this.#start(conversationId, signal, () => {
      const seed = body.seed ?? newSeed();
      const user = this.store.addMessage(conversationId, 'user', {
        text: body.instruction,
        editOf: body.imageId,
        images: mask ? [{ kind: 'mask', ...mask }] : [],
        params: { n: body.n, reply: 'image', ...(body.seed !== undefined ? { seed: body.seed } : {}) },
      });
      return { model, user, plan: this.#editPlan(user, body.n, seed) };
    });
  }

  /** The last reply again (or the missing reply to a last user message), with a fresh seed. */
  async regenerate(conversationId: string, body: z.infer<typeof regenerateBody>, signal: AbortSignal): Promise<Turn> {
    this.store.conversation(conversationId);
    const model = await this.ctx.model();
    return this.#start(conversationId, signal, () => {
      const { messages } = this.store.getConversation(conversationId);
      const replace = messages.at(-1)?.role === 'assistant' ? messages.at(-1) : undefined;
      const thread = replace ? messages.slice(0, -1) : messages;
      const user = thread.at(-1);
      if (!user || user.role !== 'user') throw this.#nothingToRegenerate();
      const n = body.n ?? user.params.n ?? 1;
      const seed = body.seed ?? newSeed();
      const plan = user.editOf ? this.#editPlan(user, n, seed) : this.#chatPlan(model, thread, n, user.params.reply ?? 'image', seed);
      return { model, plan, ...(replace ? { replace: replace.id } : {}) };
    });
  }

  #chatPlan(model: ServedModel, thread: MessageRecord[], n: number, reply: ReplyKind, seed: number): ReplyPlan {
    const { config } = model.engine;
    const history = chatHistory(this.store, thread, { maxSeqLen: config.model.maxSeqLen, imageTokens: config.image.tokens }, n > 1 ? 'image' : reply);
    const only = history.length === 1 ? history[0].content : undefined;
    const textOnly = typeof only === 'string' ? only : only?.every((p) => 'text' in p) ? only.map((p) => ('text' in p ? p.text : '')).join('\n') : undefined;
    if (n > 1 && textOnly !== undefined) return { mode: 'generate', prompt: textOnly, n, seed };
    return { mode: 'chat', history, reply, n, seed };
  }

  #editPlan(user: MessageRecord, n: number, seed: number): ReplyPlan {
    if (!user.editOf) throw this.#noImage('(deleted)');
    const mask = user.images.find((im) => im.kind === 'mask');
    const maskPng = mask ? this.store.getImage(mask.id).png ?? undefined : undefined;
    return { mode: 'edit', image: storedImage(this.store, user.editOf), instruction: user.text, n, seed, ...(maskPng ? { mask: maskPng } : {}) };
  }

  /** Takes the conversation and a queue slot, prepares (commits the user turn), and hands back the stream. */
  async #start(conversationId: string, signal: AbortSignal, prepare: () => Prepared): Promise<Turn> {
    if (this.#busy.has(conversationId)) throw busy();
    this.#busy.add(conversationId);
    let releaseSlot: (() => void) | undefined;
    const release = () => {
      this.#busy.delete(conversationId);
      releaseSlot?.();
    };
    try {
      releaseSlot = await this.ctx.queue.acquire(signal);
      const prepared = prepare();
      return { release, events: (runSignal) => this.#events(conversationId, prepared, runSignal) };
    } catch (error) {
      release();
      throw error;
    }
  }

  async *#events(conversationId: string, { model, user, plan, replace }: Prepared, signal: AbortSignal): AsyncGenerator<StreamEvent> {
    if (user) yield { type: 'user', message: messageView(user) };
    const reply = yield* runReply(model.engine, plan, signal);
    signal.throwIfAborted();
    const saved = this.store.addMessage(conversationId, 'assistant', reply, replace);
    yield { type: 'done', message: messageView(saved), conversation: conversationSummary(this.store.conversation(conversationId)) };
  }

  #noImage(id: string): ApiError {
    return ApiError.notFound(`No image ${id} in this conversation.`);
  }

  #nothingToRegenerate(): ApiError {
    return new ApiError(409, 'There is no user message to reply to in this conversation.', 'invalid_request_error', null, 'nothing_to_regenerate');
  }
}
