// Opens the cluster meta store: PostgreSQL behind the very same Kysely implementation as SQLite.
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { KyselyMetaStore } from './kysely-meta-store.js';
import { META_MIGRATIONS } from './migrations.js';

// BIGINT and NUMERIC (sum(), count()) come back as text by default; usage counters stay far below
// 2^53, so this pool reads them as numbers. Scoped to the pool: no process-wide parser change.
const numeric = (v: string) => Number(v);
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return numeric;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export interface PostgresMetaOptions {
  /** Schema holding the tables (search_path); the database default (`public`) when absent. */
  schema?: string;
  /** Pool size per replica. */
  max?: number;
}

/** The shared Kysely store; migrate() creates the configured schema if missing and keeps Kysely's bookkeeping in it. */
class PostgresMetaStore extends KyselyMetaStore {
  constructor(private readonly pgDb: Kysely<any>, private readonly schema: string | undefined) {
    super(pgDb, 'postgres');
  }

  override async migrate(): Promise<void> {
    if (this.schema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(this.schema)}`.execute(this.pgDb);
    // Kysely looks for its bookkeeping tables in every schema unless told which one: a second
    // deployment (or test run) in another schema of the same database would be taken for ours.
    const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(this.pgDb);
    const migrator = new Migrator({
      db: this.pgDb,
      provider: { getMigrations: async () => META_MIGRATIONS },
      migrationTableSchema: rows[0].schema,
    });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  }
}

/** `postgres://user:pass@host:5432/db[?schema=name]` → the meta store (not yet migrated). */
export function openPostgresMetaStore(url: string, opts: PostgresMetaOptions = {}): KyselyMetaStore {
  const parsed = new URL(url);
  const schema = opts.schema ?? parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name "${schema}": use letters, digits and _ only`);
  }
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: opts.max ?? 10,
    types: types as pg.CustomTypesConfig,
    // The schema is fixed per connection, so every Kysely query (and the migrator) lands in it.
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  return new PostgresMetaStore(new Kysely<any>({ dialect: new PostgresDialect({ pool }) }), schema);
}
