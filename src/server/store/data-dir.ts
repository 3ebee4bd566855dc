/**
 * Where conversations live: one folder holding tessera.db (and its -wal/-shm files). The default
 * follows the XDG base directory spec; `--data DIR` overrides it. Nothing else is ever written
 * there, and no path in it is built from request input: images are rows, looked up by id.
 *
 * @example
 *   const { dir, db } = dataPaths(flags.data);   // ~/.local/share/tessera/tessera.db by default
 *   ensureDataDir(dir);
 */
import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { StoreError } from './errors.ts';

export const DB_FILE = 'tessera.db';

/** $XDG_DATA_HOME/tessera, else ~/.local/share/tessera (a relative XDG_DATA_HOME is ignored, per the spec). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'share'), 'tessera');
}

/** The data folder (absolute) and its database file. */
export function dataPaths(dir?: string): { dir: string; db: string } {
  if (dir !== undefined && (dir.trim() === '' || dir.includes('\0'))) throw new StoreError('bad-path', `bad data folder ${JSON.stringify(dir)}`);
  const abs = resolve(dir ?? defaultDataDir());
  return { dir: abs, db: join(abs, DB_FILE) };
}

/** Creates the folder (owner-only) if needed; fails clearly when the path is a file. */
export function ensureDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new StoreError('bad-path', `cannot create the data folder ${dir}: ${(cause as Error).message}`, { cause });
  }
  if (!statSync(dir).isDirectory()) throw new StoreError('bad-path', `${dir} is not a folder`);
}
