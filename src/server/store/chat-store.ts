/**
 * Conversations, their ordered messages and images, in one SQLite file. Every write is one
 * transaction: a message lands with all its images or not at all.
 *
 * @example
 *   const store = ChatStore.open(dataPaths(flags.data));
 *   const { id } = store.createConversation();
 *   store.addMessage(id, 'user', { text: 'a red fox', params: { n: 1 } });
 *   store.getConversation(id).messages;   // [{ role: 'user', text: 'a red fox', images: [], ... }]
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ensureDataDir } from './data-dir.ts';
import { openDatabase } from './database.ts';
import { StoreError } from './errors.ts';
import type { ConversationRecord, ConversationWithMessages, ImageBytes, ImageRecord, MessageParams, MessageRecord, NewMessage, Role } from './records.ts';

const TITLE_MAX = 80;

type ConversationRow = { id: string; title: string; created_at: number; updated_at: number };
type MessageRow = { id: string; conversation_id: string; seq: number; role: Role; text: string; edit_of: string | null; params: string; created_at: number };
type ImageRow = Omit<ImageRecord, 'messageId' | 'chosen' | 'hasPng' | 'hasCodes'> & { message_id: string; chosen: number; has_png: number; has_codes: number };

const IMAGE_COLUMNS = 'id, message_id, kind, slot, candidate, chosen, width, height, score, png IS NOT NULL AS has_png, codes IS NOT NULL AS has_codes';

export class ChatStore {
  #last = 0;

  private constructor(readonly db: Database.Database) {}

  /** Opens (creating and migrating as needed) the database in a data folder. */
  static open(paths: { dir: string; db: string }): ChatStore {
    ensureDataDir(paths.dir);
    return new ChatStore(openDatabase(paths.db));
  }

  /** For tests: a private in-memory database. */
  static memory(): ChatStore {
    return new ChatStore(openDatabase(':memory:'));
  }

  close(): void {
    this.db.close();
  }

  listConversations(): ConversationRecord[] {
    const rows = this.db.prepare('SELECT * FROM conversations ORDER BY updated_at DESC, rowid DESC').all() as ConversationRow[];
    return rows.map(conversation);
  }

  createConversation(title = ''): ConversationRecord {
    const now = this.#now();
    const row: ConversationRow = { id: randomUUID(), title: cleanTitle(title), created_at: now, updated_at: now };
    this.db.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (@id, @title, @created_at, @updated_at)').run(row);
    return conversation(row);
  }

  /** The conversation without its messages. */
  conversation(id: string): ConversationRecord {
    return conversation(this.#conversationRow(id));
  }

  getConversation(id: string): ConversationWithMessages {
    return this.db.transaction(() => {
      const head = this.#conversationRow(id);
      const messages = this.db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq').all(id) as MessageRow[];
      const images = this.db
        .prepare(`SELECT ${IMAGE_COLUMNS} FROM images WHERE message_id IN (SELECT id FROM messages WHERE conversation_id = ?) ORDER BY slot, candidate`)
        .all(id) as ImageRow[];
      const byMessage = new Map<string, ImageRecord[]>();
      for (const row of images) byMessage.set(row.message_id, [...(byMessage.get(row.message_id) ?? []), image(row)]);
      return { ...conversation(head), messages: messages.map((m) => message(m, byMessage.get(m.id) ?? [])) };
    })();
  }

  renameConversation(id: string, title: string): ConversationRecord {
    const info = this.db.prepare('UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?').run(cleanTitle(title), this.#now(), id);
    if (info.changes === 0) throw notFound('conversation', id);
    return conversation(this.#conversationRow(id));
  }

  deleteConversation(id: string): void {
    if (this.db.prepare('DELETE FROM conversations WHERE id = ?').run(id).changes === 0) throw notFound('conversation', id);
  }

  /**
   * Appends a message (and its images) as the conversation's next one; an untitled conversation
   * takes its first user text as the title. `replace`: a message to delete in the same transaction
   * (regenerate swaps the old reply for the new one only once the new one is complete).
   */
  addMessage(conversationId: string, role: Role, input: NewMessage, replace?: string): MessageRecord {
    const id = this.db.transaction(() => {
      const head = this.#conversationRow(conversationId);
      if (replace !== undefined && this.db.prepare('DELETE FROM messages WHERE id = ? AND conversation_id = ?').run(replace, conversationId).changes === 0) {
        throw notFound('message', replace);
      }
      const now = this.#now();
      const { seq } = this.db.prepare('SELECT COALESCE(MAX(seq), -1) + 1 AS seq FROM messages WHERE conversation_id = ?').get(conversationId) as { seq: number };
      const messageId = randomUUID();
      this.db
        .prepare('INSERT INTO messages (id, conversation_id, seq, role, text, edit_of, params, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(messageId, conversationId, seq, role, input.text ?? '', input.editOf ?? null, JSON.stringify(input.params ?? {}), now);
      const insertImage = this.db.prepare(
        'INSERT INTO images (id, message_id, kind, slot, candidate, chosen, width, height, score, png, codes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const im of input.images ?? []) {
        insertImage.run(randomUUID(), messageId, im.kind, im.slot ?? 0, im.candidate ?? 0, im.chosen === false ? 0 : 1, im.width, im.height, im.score ?? null, im.png ? Buffer.from(im.png) : null, im.codes ? codesBlob(im.codes) : null, now);
      }
      const title = head.title === '' && role === 'user' ? cleanTitle(input.text ?? '') : head.title;
      this.db.prepare('UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?').run(title, now, conversationId);
      return messageId;
    })();
    return this.getMessage(id);
  }

  getMessage(id: string): MessageRecord {
    const row = this.db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as MessageRow | undefined;
    if (!row) throw notFound('message', id);
    const images = this.db.prepare(`SELECT ${IMAGE_COLUMNS} FROM images WHERE message_id = ? ORDER BY slot, candidate`).all(id) as ImageRow[];
    return message(row, images.map(image));
  }

  /** Makes this candidate the one its message continues with (the others in its slot step back). */
  chooseCandidate(imageId: string): MessageRecord {
    const messageId = this.db.transaction(() => {
      const row = this.db.prepare('SELECT message_id, slot, kind FROM images WHERE id = ?').get(imageId) as { message_id: string; slot: number; kind: string } | undefined;
      if (!row) throw notFound('image', imageId);
      if (row.kind !== 'generated') throw new StoreError('conflict', `image ${imageId} is not a generated candidate`);
      this.db.prepare("UPDATE images SET chosen = (id = ?) WHERE message_id = ? AND slot = ? AND kind = 'generated'").run(imageId, row.message_id, row.slot);
      return row.message_id;
    })();
    return this.getMessage(messageId);
  }

  /** An image's record and bytes, with the conversation it belongs to. */
  getImage(id: string): ImageBytes {
    const row = this.db
      .prepare(`SELECT ${IMAGE_COLUMNS}, png, codes, (SELECT conversation_id FROM messages WHERE messages.id = images.message_id) AS conversation_id FROM images WHERE id = ?`)
      .get(id) as (ImageRow & { png: Buffer | null; codes: Buffer | null; conversation_id: string }) | undefined;
    if (!row) throw notFound('image', id);
    return { record: image(row), png: row.png ? new Uint8Array(row.png) : null, codes: row.codes ? codesFromBlob(row.codes) : null, conversationId: row.conversation_id };
  }

  /** Milliseconds, strictly increasing within this process, so "most recent first" has no ties. */
  #now(): number {
    this.#last = Math.max(Date.now(), this.#last + 1);
    return this.#last;
  }

  #conversationRow(id: string): ConversationRow {
    const row = this.db.prepare('SELECT * FROM conversations WHERE id = ?').get(id) as ConversationRow | undefined;
    if (!row) throw notFound('conversation', id);
    return row;
  }
}

function notFound(what: string, id: string): StoreError {
  return new StoreError('not-found', `no ${what} ${id}`);
}

/** One line, trimmed, at most TITLE_MAX characters (cut at a word when it can be). */
export function cleanTitle(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= TITLE_MAX) return line;
  const cut = line.slice(0, TITLE_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > TITLE_MAX / 2 ? cut.slice(0, space) : cut}…`;
}

/** Little-endian whatever the host, so a database file moves between machines. */
export function codesBlob(codes: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(codes.length * 2);
  for (let i = 0; i < codes.length; i++) out.writeUInt16LE(codes[i], i * 2);
  return out;
}

export function codesFromBlob(blob: Uint8Array): Uint16Array {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  return Uint16Array.from({ length: blob.byteLength >> 1 }, (_, i) => view.getUint16(i * 2, true));
}

function conversation(row: ConversationRow): ConversationRecord {
  return { id: row.id, title: row.title, createdAt: row.created_at, updatedAt: row.updated_at };
}

function message(row: MessageRow, images: ImageRecord[]): MessageRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    role: row.role,
    text: row.text,
    editOf: row.edit_of,
    params: JSON.parse(row.params) as MessageParams,
    createdAt: row.created_at,
    images,
  };
}

function image(row: ImageRow): ImageRecord {
  return {
    id: row.id,
    messageId: row.message_id,
    kind: row.kind,
    slot: row.slot,
    candidate: row.candidate,
    chosen: row.chosen === 1,
    width: row.width,
    height: row.height,
    score: row.score,
    hasPng: row.has_png === 1,
    hasCodes: row.has_codes === 1,
  };
}
