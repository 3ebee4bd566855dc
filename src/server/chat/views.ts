/** Store records -> the wire views the client reads (wire.ts). */
import type { ConversationRecord, ConversationWithMessages, ImageRecord, MessageRecord } from '../store/index.ts';
import type { ConversationSummary, ConversationView, ImageView, MessageView } from './wire.ts';

export const imageUrl = (id: string) => `/api/images/${id}`;

export function imageView(im: ImageRecord): ImageView {
  return { id: im.id, kind: im.kind, slot: im.slot, candidate: im.candidate, chosen: im.chosen, width: im.width, height: im.height, score: im.score, url: im.hasPng ? imageUrl(im.id) : null };
}

export function messageView(m: MessageRecord): MessageView {
  return { id: m.id, seq: m.seq, role: m.role, text: m.text, editOf: m.editOf, params: m.params, createdAt: m.createdAt, images: m.images.map(imageView) };
}

export function conversationSummary(c: ConversationRecord): ConversationSummary {
  return { id: c.id, title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt };
}

export function conversationView(c: ConversationWithMessages): ConversationView {
  return { ...conversationSummary(c), messages: c.messages.map(messageView) };
}
