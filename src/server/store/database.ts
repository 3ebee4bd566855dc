/**
 * Opens the SQLite file with the settings every write relies on:
 *   WAL            readers never block the writer, and a commit is one append to the log
 *   synchronous    FULL: a committed transaction survives a kill -9 and a power cut alike
 *   foreign_keys   cascades delete a conversation's messages and images with it
 */
import Database from 'better-sqlite3';
import { migrate } from './migrations.ts';

export function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
