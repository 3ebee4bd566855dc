/**
 * Stored messages -> the engine's conversation. Earlier images go back in as their codes (uploads,
 * which have none, as PNG for the VQ to encode), so the model sees what it drew before and keeps
 * characters consistent across turns. Only each slot's chosen candidate is part of the thread; masks
 * are not.
 *
 * The model reads at most maxSeqLen tokens, so the oldest turns are left out until the rest, plus
 * room for the reply, fits. Text is counted as its UTF-8 bytes: a byte-level BPE never makes more
 * tokens than that, so the estimate errs on the side of fitting.
 */
import type { ChatMessage, ChatPart, ImageInput } from '../../engine/index.ts';
import { ApiError } from '../errors.ts';
import type { ChatStore, MessageRecord } from '../store/index.ts';
import type { ReplyKind } from './wire.ts';

export interface ContextShape {
  maxSeqLen: number;
  /** Codes per image. */
  imageTokens: number;
}

/** A stored image as the engine reads it: codes when kept, else the PNG. */
export function storedImage(store: ChatStore, id: string): ImageInput {
  const { codes, png } = store.getImage(id);
  if (codes) return { codes };
  if (png) return png;
  throw ApiError.invalid(`Image ${id} has neither pixels nor codes.`, 'imageId');
}

export function chatMessage(store: ChatStore, m: MessageRecord): ChatMessage | undefined {
  const parts: ChatPart[] = [];
  if (m.role === 'user') {
    if (m.editOf) parts.push({ image: storedImage(store, m.editOf) });
    for (const im of m.images) if (im.kind === 'upload') parts.push({ image: storedImage(store, im.id) });
    if (m.text) parts.push({ text: m.text });
  } else {
    if (m.text) parts.push({ text: m.text });
    for (const im of m.images) if (im.kind === 'generated' && im.chosen) parts.push({ image: storedImage(store, im.id) });
  }
  return parts.length ? { role: m.role, content: parts } : undefined;
}

/** Upper bound on a message's tokens: role and end-of-turn markers, text bytes, <boi> codes <eoi>. */
export function messageTokens(m: ChatMessage, imageTokens: number): number {
  const parts = typeof m.content === 'string' ? [{ text: m.content }] : m.content;
  return 2 + parts.reduce((sum, p) => sum + ('text' in p ? Buffer.byteLength(p.text) : imageTokens + 2), 0);
}

/** Tokens to keep free for the reply: a whole image, or a short text answer. */
export function replyRoom(reply: ReplyKind, imageTokens: number): number {
  return reply === 'text' ? 64 : imageTokens + 2;
}

/** The newest messages that fit (always the last one), starting at a user turn. */
export function fitContext(messages: ChatMessage[], shape: ContextShape, reply: ReplyKind): ChatMessage[] {
  let budget = shape.maxSeqLen - replyRoom(reply, shape.imageTokens) - 3; // <bos> <task> ... <assistant>
  let start = messages.length;
  while (start > 0) {
    const cost = messageTokens(messages[start - 1], shape.imageTokens);
    if (cost > budget && start < messages.length) break;
    budget -= cost;
    start--;
  }
  while (start < messages.length - 1 && messages[start].role !== 'user') start++;
  return messages.slice(start);
}

export function chatHistory(store: ChatStore, messages: readonly MessageRecord[], shape: ContextShape, reply: ReplyKind): ChatMessage[] {
  const thread = messages.map((m) => chatMessage(store, m)).filter((m): m is ChatMessage => m !== undefined);
  return fitContext(thread, shape, reply);
}
