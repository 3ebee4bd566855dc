/**
 * Conversation persistence for the web chat: SQLite (WAL, one transaction per write), migrated by
 * schema version, in a data folder (default ~/.local/share/tessera, or `--data DIR`).
 *
 * @example
 *   const store = ChatStore.open(dataPaths(flags.data));
 */
export { ChatStore, cleanTitle } from './chat-store.ts';
export { dataPaths, defaultDataDir, ensureDataDir, DB_FILE } from './data-dir.ts';
export { StoreError, type StoreErrorCode } from './errors.ts';
export { MIGRATIONS, migrate, schemaVersion } from './migrations.ts';
export type * from './records.ts';
