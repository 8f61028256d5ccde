// The embedded EventStore: one DuckDB file in the data folder, the wide events table (docs/ingestion.md#the-events-table).
import { DuckDBConnection, DuckDBInstance, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledSql, EventRow, EventStore, ExportFileFormat, JournalMark, SqlValue } from '../ports.js';
import { EVENT_COLUMNS } from '../ports.js';
import { DUCKDB_MIGRATIONS } from './migrations.js';
import { recluster, ROW_GROUP_ROWS, type ReclusterResult } from './layout.js';
import { keyOf, READS_ROLLUPS, Rollups } from './rollups.js';

export class DuckDbEventStore implements EventStore {
  readonly engine = 'duckdb' as const;
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly readers: DuckDBConnection[],
    /** Where a fold's batch is written for DuckDB's JSON reader (see foldSql). */
    private readonly foldFile: string,
  ) {
    this.rollups = new Rollups({
      run: async (sql, params = []) => {
        const prepared = await writer.prepare(sql);
        try {
          bindAll(prepared, params);
          await prepared.run();
        } finally {
          prepared.destroySync();
        }
      },
      row: async (sql) => (await writer.runAndReadAll(sql)).getRows()[0] ?? [],
      exclusive: (fn) => this.exclusive(fn),
    });
  }
  private nextReader = 0;
  /** Sessions and distinct-user rollups, folded in before reads (rollups.ts). */
  private readonly rollups: Rollups;

  /** Open (or create) the database file; `:memory:` for a throwaway store. */
  /**
   * `layoutMs`: how long writes must pause before the table's layout is checked and, if events arrived out of
   * time order, re-clustered by date (layout.ts); 0 = only when `recluster` is called.
   */
  static async open(path: string, opts: { readers?: number; threads?: number; memoryLimit?: string; rollupFoldMs?: number; layoutMs?: number } = {}): Promise<DuckDbEventStore> {
    // Checkpoint after 128 MB of WAL, not DuckDB's 16 MB: a checkpoint rewrites every row group a fold's MERGE updated
    // (sessions and users land all over their tables), so at 16 MB the commits of the rollup fold were 2/3 of its
    // cost and grew with the tables (bench/rollup-fold.ts, 1 M shuffled events: 43 → 19–24 µs per event; peak RSS
    // 585 → 482 MB). A crash replays at most that much WAL on open.
    const config: Record<string, string> = { checkpoint_threshold: '128MB' };
    if (opts.threads) config.threads = String(opts.threads);
    if (opts.memoryLimit) config.memory_limit = opts.memoryLimit;
    const instance = await DuckDBInstance.create(path, config);
    const writer = await instance.connect();
    const readers: DuckDBConnection[] = [];
    for (let i = 0; i < (opts.readers ?? 2); i++) readers.push(await instance.connect());
    const foldFile = path === ':memory:' || path === '' ? join(tmpdir(), `aa-fold-${randomUUID()}.json`) : `${path}.fold.json`;
    const store = new DuckDbEventStore(instance, writer, readers, foldFile);
    store.rollups.startBackground(opts.rollupFoldMs ?? 1000);
    store.startLayout(opts.layoutMs ?? 5000);
    return store;
  }

  private layoutTimer: NodeJS.Timeout | null = null;
  private layoutRun: Promise<ReclusterResult> | null = null;
  private closing = false;
  /** Identify and purge calls so far (the layout step's copy gives up when one ran meanwhile). */
  private rewrites = 0;

  /** Check the layout once writes have paused for `ms` (and the tail holds a row group's worth of rows). */
  private startLayout(ms: number): void {
    if (ms <= 0) return;
    this.layoutTimer = setInterval(() => {
      if (this.rollups.idleMs >= ms) this.recluster(ROW_GROUP_ROWS).catch(() => {});
    }, ms);
    this.layoutTimer.unref();
  }

  /**
   * Re-cluster by date the events written since the last check when they arrived out of time order
   * (layout.ts); `minRows`: leave a smaller tail for later. One run at a time; concurrent callers share it.
   */
  recluster(minRows = 0): Promise<ReclusterResult> {
    this.layoutRun ??= recluster({
      run: (sql, params = []) => this.writerRun(sql, params),
      rows: async (sql, params = []) => {
        const prepared = await this.writer.prepare(sql);
        try {
          bindAll(prepared, params);
          return (await prepared.runAndReadAll()).getRows();
        } finally {
          prepared.destroySync();
        }
      },
      exclusive: (fn) => this.exclusive(async () => {
        await this.rollups.fold();
        const row = (await this.writer.runAndReadAll("SELECT seq FROM rollup_state WHERE name = 'events'")).getRows()[0];
        return fn(Number(row?.[0] ?? 0));
      }),
      stopped: () => this.closing,
      rewrites: () => this.rewrites,
    }, minRows).finally(() => { this.layoutRun = null; });
    return this.layoutRun;
  }

  private async writerRun(sql: string, params: SqlValue[]): Promise<void> {
    const prepared = await this.writer.prepare(sql);
    try {
      bindAll(prepared, params);
      await prepared.run();
    } finally {
      prepared.destroySync();
    }
  }

  async migrate(): Promise<void> {
    await this.writer.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const done = await this.writer.runAndReadAll('SELECT version FROM schema_migrations');
    const applied = new Set(done.getRowObjectsJson().map((r) => Number(r.version)));
    let migrated = false;
    for (const m of DUCKDB_MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await this.writer.run('BEGIN TRANSACTION');
      try {
        for (const stmt of m.statements) await this.writer.run(stmt);
        await this.writer.run(`INSERT INTO schema_migrations VALUES (${m.version}, ${Date.now()})`);
        await this.writer.run('COMMIT');
      } catch (err) {
        await this.writer.run('ROLLBACK');
        throw err;
      }
      migrated = true;
    }
    // Never leave DDL to be replayed from the WAL: DuckDB 1.5 cannot replay some of it after a kill -9
    // (e.g. a column DEFAULT nextval(...) fails with "GetDefaultDatabase with no default database set",
    // and the database no longer opens). A checkpoint writes the schema into the database file.
    // Keys written by another DuckDB version may hash differently: re-key before anything reads them.
    await this.rollups.verifyKeys();
    if (migrated) await this.writer.run('CHECKPOINT');
  }

  async insert(rows: EventRow[]): Promise<void> {
    if (rows.length === 0) return;
    const json = columnsJson(rows);
    // Prepared once (planning costs more than a small batch); bind+run are chained so callers never interleave.
    await this.exclusive(async () => {
      this.insertStatement ??= await this.writer.prepare(INSERT_SQL);
      this.insertStatement.bindVarchar(1, json);
      await this.insertStatement.run();
    });
    this.rollups.markDirty();
  }

  /** The ingest journal's side: fold a batch and its journal mark in one transaction. */
  readonly journal = {
    fold: async (batch: Uint8Array, mark: JournalMark): Promise<void> => {
      // The JSON bytes go to DuckDB through a file: its JSON reader parses them on its own threads, 4× faster
      // than from_json over one bound text (foldSql). The file is scratch: the journal holds the batch.
      await this.exclusive(async () => {
        if (batch.length) await writeFile(this.foldFile, batch);
        await this.writer.run('BEGIN TRANSACTION');
        try {
          if (batch.length) {
            this.foldStatement ??= await this.writer.prepare(foldSql(this.foldFile));
            await this.foldStatement.run();
          }
          await this.writer.run('INSERT OR REPLACE INTO ingest_journal VALUES (1, $1, $2)', [mark.segment, mark.offset]);
          await this.writer.run('COMMIT');
        } catch (err) {
          await this.writer.run('ROLLBACK').catch(() => {});
          throw err;
        }
      });
      if (batch.length) this.rollups.markDirty();
    },
    mark: (): Promise<JournalMark | null> => this.exclusive(async () => {
      const row = (await this.writer.runAndReadAll('SELECT segment, "offset" FROM ingest_journal WHERE id = 1')).getRows()[0];
      return row ? { segment: Number(row[0]), offset: Number(row[1]) } : null;
    }),
    setReadBarrier: (fn: () => Promise<void>): void => {
      this.readBarrier = fn;
    },
  };

  private readBarrier: (() => Promise<void>) | null = null;
  private foldStatement: DuckDBPreparedStatement | null = null;

  /** Run `fn` alone on the writer connection, queued behind (and ahead of) inserts: no transaction interleaves. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.inserts.then(fn);
    this.inserts = run.then(() => {}, () => {});
    return run;
  }

  private inserts: Promise<void> = Promise.resolve();
  private insertStatement: DuckDBPreparedStatement | null = null;

  async query<T = Record<string, unknown>>(q: CompiledSql): Promise<T[]> {
    if (this.readBarrier) await this.readBarrier();
    if (READS_ROLLUPS.test(q.sql)) await this.rollups.ensureFresh();
    const conn = this.readers[this.nextReader++ % this.readers.length];
    const prepared = await conn.prepare(q.sql);
    bindAll(prepared, q.params);
    const reader = await prepared.runAndReadAll();
    return reader.getRowObjectsJS().map(normalizeRow) as T[];
  }

  async writeExport(q: CompiledSql, path: string, format: ExportFileFormat): Promise<void> {
    if (this.readBarrier) await this.readBarrier(); // acknowledged events are folded first, as for any read
    // Its own connection: COPY runs on DuckDB's threads while the shared readers keep answering.
    const conn = await this.instance.connect();
    try {
      const prepared = await conn.prepare(`COPY (${q.sql}) TO ${quoteText(path)} (${COPY_OPTIONS[format]})`);
      bindAll(prepared, q.params);
      await prepared.run();
    } finally {
      conn.closeSync();
    }
  }

  /**
   * An online backup: the database is attached beside this one and copied with COPY FROM DATABASE, which reads
   * one transaction's snapshot (MVCC), so inserts keep committing meanwhile and the copy holds exactly the
   * events committed before it began. Sequences come along at their current value, so events ingested after a
   * restore never reuse a folded sequence number.
   */
  async snapshot(path: string): Promise<void> {
    // Everything acknowledged so far is folded in first (journal → store), so the copy holds it.
    if (this.readBarrier) await this.readBarrier();
    const conn = await this.instance.connect();
    const alias = `snapshot_${process.pid}_${Date.now()}`;
    try {
      const source = String((await conn.runAndReadAll('SELECT current_database()')).getRows()[0][0]);
      await conn.run(`ATTACH ${quoteText(path)} AS ${alias}`);
      try {
        await conn.run(`COPY FROM DATABASE "${source.replace(/"/g, '""')}" TO ${alias}`);
      } finally {
        await conn.run(`DETACH ${alias}`);
      }
    } finally {
      conn.closeSync();
    }
  }

  async countEvents(projectIds: string[], date: string): Promise<Map<string, { total: number; today: number }>> {
    const out = new Map<string, { total: number; today: number }>();
    if (projectIds.length === 0) return out;
    const placeholders = projectIds.map((_, i) => `$${i + 2}`).join(', ');
    const rows = await this.query<{ project_id: string; total: number; today: number }>({
      sql: `SELECT project_id, count(*) AS total, count(*) FILTER (WHERE date = $1::DATE) AS today
            FROM events WHERE project_id IN (${placeholders}) GROUP BY project_id`,
      params: [date, ...projectIds],
    });
    for (const r of rows) out.set(r.project_id, { total: Number(r.total), today: Number(r.today) });
    return out;
  }

  async reassignUser(projectId: string, previousId: string, userId: string): Promise<void> {
    // Folded first, then events and rollups are rewritten in one transaction (rollups.ts).
    await this.exclusive(async () => {
      this.rewrites++;
      await this.rollups.fold();
      await this.rollups.renameUser(projectId, previousId, userId);
    });
  }

  async purgeBefore(projectIds: string[], date: string): Promise<void> {
    if (projectIds.length === 0) return;
    await this.exclusive(async () => {
      this.rewrites++;
      await this.rollups.fold();
      await this.rollups.purge(projectIds, date);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.layoutTimer) clearInterval(this.layoutTimer);
    await this.layoutRun?.catch(() => {});
    await this.rollups.stop();
    await this.inserts;
    this.insertStatement?.destroySync();
    this.insertStatement = null;
    this.foldStatement?.destroySync();
    this.foldStatement = null;
    for (const c of [this.writer, ...this.readers]) c.closeSync();
    this.instance.closeSync();
    await rm(this.foldFile, { force: true });
  }
}

/**
 * A batch as one JSON text of column arrays: the main thread only stringifies, while parsing, appending and
 * the commit run on a DuckDB worker thread (an appender's synchronous flush would block the event loop).
 */
function columnsJson(rows: EventRow[]): string {
  const columns: Record<string, unknown[]> = {};
  for (const col of EVENT_COLUMNS) columns[col] = rows.map((r) => r[col]);
  return JSON.stringify(columns);
}

/** The type a row's JSON value is read as: the two epoch-millisecond columns are numbers, everything else text. */
const jsonType = (column: string): string => (column === 'ts' || column === 'received_at' ? 'BIGINT' : 'VARCHAR');
const INSERT_SPEC = `{${EVENT_COLUMNS.map((c) => `"${c}":["${jsonType(c)}"]`).join(',')}}`;
const INSERT_SQL = `INSERT INTO events (${EVENT_COLUMNS.join(', ')}, user_key, session_key)
  SELECT *, ${keyOf('user_id')}, ${keyOf('session_id')} FROM (
    SELECT ${EVENT_COLUMNS.map((c) => (c === 'date' ? 'CAST(unnest(j.date) AS DATE) AS date' : `unnest(j.${c}) AS ${c}`)).join(', ')}
    FROM (SELECT from_json($1::VARCHAR, '${INSERT_SPEC}') AS j))`;

/** DuckDB's writers: JSON lines keep column order (a JSON-typed column is written as is); CSV quotes the empty string. */
const COPY_OPTIONS: Record<ExportFileFormat, string> = {
  ndjson: 'FORMAT json',
  csv: "FORMAT csv, HEADER false, QUOTE '\"', ESCAPE '\"'",
  parquet: 'FORMAT parquet, COMPRESSION zstd',
};

/** A string literal for the few statements that cannot bind (file paths the server chose itself). */
const quoteText = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/**
 * A fold: the batch file (one JSON array of rows) read by DuckDB's JSON reader with every column typed. At 20,000
 * tracker rows per fold it took 460 ms where from_json over the same text bound as one value took 2,000 ms (the
 * whole array becomes one list value first), on the same loaded VM (docs/ingestion.md#folding-into-duckdb-and-encoding-rows-issue-15-this-version).
 */
const foldSql = (file: string) => `INSERT INTO events (${EVENT_COLUMNS.join(', ')}, user_key, session_key)
  SELECT ${EVENT_COLUMNS.map((c) => (c === 'date' ? 'CAST(date AS DATE)' : c)).join(', ')}, ${keyOf('user_id')}, ${keyOf('session_id')}
  FROM read_json(${quoteText(file)}, format = 'array', columns = {${EVENT_COLUMNS.map((c) => `${c}: '${jsonType(c)}'`).join(', ')}})`;

type Bindable = { bindNull(i: number): void; bindVarchar(i: number, v: string): void; bindDouble(i: number, v: number): void; bindBigInt(i: number, v: bigint): void; bindBoolean(i: number, v: boolean): void };

/** Bind positional parameters ($1 …) with explicit types so DuckDB never guesses. */
function bindAll(prepared: Bindable, params: SqlValue[]): void {
  params.forEach((v, i) => {
    const idx = i + 1;
    if (v === null) prepared.bindNull(idx);
    else if (typeof v === 'string') prepared.bindVarchar(idx, v);
    else if (typeof v === 'boolean') prepared.bindBoolean(idx, v);
    else if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) prepared.bindBigInt(idx, BigInt(v));
    else prepared.bindDouble(idx, v);
  });
}

/** DuckDB hands back bigint, DATE and DECIMAL objects; reports want plain JSON values. */
function normalizeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = normalizeValue(v);
  return out;
}

function normalizeValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (Array.isArray(v)) return v.map(normalizeValue);
  if (v !== null && typeof v === 'object') {
    const s = String(v);
    const n = Number(s);
    return Number.isFinite(n) && s.trim() !== '' ? n : s;
  }
  return v;
}
