// Opens the embedded meta store: one SQLite file (WAL mode) behind the shared Kysely implementation.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { KyselyMetaStore } from './kysely-meta-store.js';

export function openSqliteMetaStore(path: string): KyselyMetaStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // SQLite's online backup API: pages are copied in steps while writers keep going; the file is consistent.
  const snapshot = async (to: string): Promise<void> => void (await database.backup(to));
  return new KyselyMetaStore(new Kysely({ dialect: new SqliteDialect({ database }) }), 'sqlite', snapshot);
}
