/** What the store holds, as plain typed objects (rows mapped to camelCase; image bytes on demand). */

export type Role = 'user' | 'assistant';
export type ImageKind = 'upload' | 'generated' | 'mask';

/** How a turn was asked for and run: enough to run it again (regenerate). */
export interface MessageParams {
  /** Best-of-N candidates. */
  n?: number;
  /** What the reply may hold. */
  reply?: 'image' | 'text' | 'any';
  seed?: number;
  /** Which engine call produced an assistant turn. */
  mode?: 'chat' | 'generate' | 'edit';
}

export interface ConversationRecord {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
}

export interface ImageRecord {
  id: string;
  messageId: string;
  kind: ImageKind;
  slot: number;
  candidate: number;
  chosen: boolean;
  width: number;
  height: number;
  score: number | null;
  hasPng: boolean;
  hasCodes: boolean;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  seq: number;
  role: Role;
  text: string;
  editOf: string | null;
  params: MessageParams;
  createdAt: number;
  /** In slot, then candidate order. */
  images: ImageRecord[];
}

export interface ConversationWithMessages extends ConversationRecord {
  messages: MessageRecord[];
}

export interface NewImage {
  kind: ImageKind;
  slot?: number;
  candidate?: number;
  chosen?: boolean;
  width: number;
  height: number;
  score?: number | null;
  png?: Uint8Array | null;
  codes?: Uint16Array | null;
}

export interface NewMessage {
  text?: string;
  editOf?: string | null;
  params?: MessageParams;
  images?: NewImage[];
}

export interface ImageBytes {
  record: ImageRecord;
  png: Uint8Array | null;
  codes: Uint16Array | null;
  conversationId: string;
}
