import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { dataPaths, defaultDataDir, ensureDataDir } from './data-dir.ts';
import { openDatabase } from './database.ts';
import { StoreError } from './errors.ts';
import { MIGRATIONS, migrate, schemaVersion } from './migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-migrate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a new database opens in WAL mode at the latest schema version, with foreign keys on', () => {
  const db = openDatabase(join(dir, 'new.db'));
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('synchronous', { simple: true }), 2); // FULL
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  db.close();
});

test('migrations run in order from the stored version, each with its version bump', () => {
  const db = new Database(':memory:');
  const steps = ['CREATE TABLE a (x)', 'ALTER TABLE a ADD COLUMN y', 'CREATE TABLE c (z)'];
  assert.equal(migrate(db, steps.slice(0, 2)), 2);
  assert.equal(schemaVersion(db), 2);
  assert.equal(migrate(db, steps), 3, 'only the new step runs (re-running step 1 would throw)');
  assert.throws(() => migrate(db, ['CREATE TABLE a (x)', 'ALTER TABLE a ADD COLUMN y', 'CREATE TABLE d (', 'x']), /syntax|incomplete/i);
  assert.equal(schemaVersion(db), 3, 'a failing migration leaves the version where it was');
  db.close();
});

test('a database from a newer Tessera is refused, not damaged', () => {
  const path = join(dir, 'newer.db');
  const raw = new Database(path);
  raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  raw.close();
  assert.throws(() => openDatabase(path), (e: StoreError) => e.code === 'too-new');
});

test('data folder: XDG default, --data resolved absolute, bad paths refused', () => {
  assert.equal(defaultDataDir({}, '/home/u'), '/home/u/.local/share/tessera');
  assert.equal(defaultDataDir({ XDG_DATA_HOME: '/x' }, '/home/u'), '/x/tessera');
  assert.equal(defaultDataDir({ XDG_DATA_HOME: 'rel' }, '/home/u'), '/home/u/.local/share/tessera');
  assert.equal(dataPaths('/d/../e').db, '/e/tessera.db');
  assert.throws(() => dataPaths(''), (e: StoreError) => e.code === 'bad-path');
  const file = join(dir, 'file');
  writeFileSync(file, '');
  assert.throws(() => ensureDataDir(file), (e: StoreError) => e.code === 'bad-path');
  ensureDataDir(join(dir, 'deep', 'er'));
});
