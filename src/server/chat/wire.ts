/**
 * The chat API's wire types: what the routes send and the web client reads. Defined once here; the
 * browser imports them type-only (`import type`), so nothing of the server ships to it.
 *
 * A posted turn answers with Server-Sent Events, one JSON `StreamEvent` per `data:` line, named by
 * its `type` in the `event:` line:
 *
 *   user      the user's message, committed           progress  decode steps so far
 *   text      reply text as it decodes                 partial   newly decoded pixel rows of one image
 *   image     one candidate finished (with its score)  done      the assistant's message, committed
 *   error     the run failed; nothing was committed for the reply
 */

export type Role = 'user' | 'assistant';
export type ReplyKind = 'image' | 'text' | 'any';

export interface ImageView {
  id: string;
  kind: 'upload' | 'generated' | 'mask';
  /** Which image of its message. */
  slot: number;
  /** Best-of-N: the candidate's number within its slot. */
  candidate: number;
  /** The candidate the conversation continues with. */
  chosen: boolean;
  width: number;
  height: number;
  /** Best-of-N score (mean log-probability of the prompt given the image; higher is better). */
  score: number | null;
  /** The PNG, or null when the engine produced codes only. */
  url: string | null;
}

export interface MessageParams {
  n?: number;
  reply?: ReplyKind;
  seed?: number;
  mode?: 'chat' | 'generate' | 'edit';
}

export interface MessageView {
  id: string;
  seq: number;
  role: Role;
  text: string;
  /** A user edit turn: the image it edits. */
  editOf: string | null;
  params: MessageParams;
  createdAt: number;
  images: ImageView[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
}

export interface ConversationView extends ConversationSummary {
  messages: MessageView[];
}

/** The server's error body (OpenAI's shape), in responses and in `error` events. */
export interface ErrorView {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export type StreamEvent =
  | { type: 'user'; message: MessageView }
  | { type: 'progress'; done: number; total: number }
  | { type: 'text'; text: string }
  | {
      type: 'partial';
      slot: number;
      candidate: number;
      /** Grid rows decoded so far, of `gridRows`. */
      rows: number;
      gridRows: number;
      width: number;
      height: number;
      /** The new pixel band: rows [y, y + bandHeight) as base64 RGBA; absent without a VQ. */
      y: number;
      bandHeight: number;
      rgba?: string;
    }
  | { type: 'image'; slot: number; candidate: number; score: number | null }
  | { type: 'done'; message: MessageView; conversation: ConversationSummary }
  | { type: 'error'; error: ErrorView };

/** Request bodies (see schemas.ts for limits). Images are base64 or data: URLs of PNG, JPEG or WebP. */
export interface PostMessageBody {
  text?: string;
  images?: string[];
  n?: number;
  reply?: ReplyKind;
  seed?: number;
}

export interface EditBody {
  imageId: string;
  instruction?: string;
  /** PNG whose alpha 0 marks the region to regenerate. */
  mask?: string;
  n?: number;
  seed?: number;
}

export interface RegenerateBody {
  n?: number;
  seed?: number;
}
