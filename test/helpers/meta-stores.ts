// Every MetaStore implementation a meta-store suite runs on: SQLite in a temp folder and PostgreSQL in a fresh
// schema (skipped loudly without the service, an error under CI=true).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresMetaStore } from '../../src/store/meta/postgres.js';
import { openSqliteMetaStore } from '../../src/store/meta/sqlite.js';
import type { MetaStore } from '../../src/store/ports.js';
import { freshPgSchema, servicesOrSkip } from '../cluster/services.js';

export interface OpenedMetaStore {
  meta: MetaStore;
  cleanup(): Promise<void>;
}

export interface MetaStoreKind {
  name: 'sqlite' | 'postgres';
  open(): Promise<OpenedMetaStore>;
  /** The skip reason, or false. */
  skip: string | false;
}

export async function metaStoreKinds(): Promise<MetaStoreKind[]> {
  const pgSkip = await servicesOrSkip('postgres');
  return [
    {
      name: 'sqlite', skip: false,
      open: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'aa-meta-'));
        return { meta: openSqliteMetaStore(join(dir, 'meta.sqlite')), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
      },
    },
    {
      name: 'postgres', skip: pgSkip,
      open: async () => {
        const s = await freshPgSchema();
        return { meta: openPostgresMetaStore(s.url), cleanup: () => s.drop() };
      },
    },
  ];
}
