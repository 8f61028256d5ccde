// Row counts of the files a backup is made of, read from the files themselves (read-only), so a manifest
// describes the copy and a restore can check it got what the manifest says.
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';

/** Events in a DuckDB event-store file. */
export async function duckdbEventCount(path: string): Promise<number> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY', threads: '1' });
  const conn = await instance.connect();
  try {
    return Number((await conn.runAndReadAll('SELECT count(*) FROM events')).getRows()[0][0]);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Rows per table of a SQLite meta-store file (its own bookkeeping tables left out). */
export function sqliteTableCounts(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t.replace(/"/g, '""')}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}
