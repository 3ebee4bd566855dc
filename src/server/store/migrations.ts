/**
 * Schema migrations, by version: MIGRATIONS[i] takes a database from user_version i to i + 1. Each
 * runs in its own transaction together with the version bump, so a crash leaves the schema at a
 * whole version. Append new migrations; never edit a shipped one.
 *
 * Images are BLOB rows rather than files in the data folder: one transaction then covers a message
 * and its images, so a kill -9 can leave neither an orphan file nor a row pointing at a missing one.
 */
import type Database from 'better-sqlite3';
import { StoreError } from './errors.ts';

export const MIGRATIONS: readonly string[] = [
  // 1: conversations, ordered messages, images (uploads, generated candidates, edit masks).
  `
  CREATE TABLE conversations (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,            -- ms since the epoch
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX conversations_by_update ON conversations (updated_at DESC);

  CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,       -- order within the conversation, from 0
    role            TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    text            TEXT NOT NULL DEFAULT '',
    edit_of         TEXT REFERENCES images (id) ON DELETE SET NULL,  -- a user turn editing this image
    params          TEXT NOT NULL DEFAULT '{}',                      -- JSON: n, reply, seed, mode
    created_at      INTEGER NOT NULL,
    UNIQUE (conversation_id, seq)
  );

  CREATE TABLE images (
    id         TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('upload', 'generated', 'mask')),
    slot       INTEGER NOT NULL DEFAULT 0,  -- which image of the message
    candidate  INTEGER NOT NULL DEFAULT 0,  -- best-of-N: the candidate's batch index within its slot
    chosen     INTEGER NOT NULL DEFAULT 1,  -- the candidate the conversation continues with
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    score      REAL,                        -- best-of-N score, when ranked
    png        BLOB,                        -- null when the engine had no VQ to decode pixels
    codes      BLOB,                        -- uint16 LE grid codes, for re-editing; null for uploads
    created_at INTEGER NOT NULL
  );
  CREATE INDEX images_by_message ON images (message_id, slot, candidate);
  `,
];

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the schema up to date; refuses a database written by a newer Tessera. */
export function migrate(db: Database.Database, migrations: readonly string[] = MIGRATIONS): number {
  const from = schemaVersion(db);
  if (from > migrations.length) throw new StoreError('too-new', `the database is at schema version ${from}; this Tessera knows up to ${migrations.length}`);
  for (let version = from; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return migrations.length;
}
