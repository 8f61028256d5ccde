// The cluster EventStore: the wide events table (docs/ingestion.md#the-events-table) in ClickHouse, through @clickhouse/client
// (a ClickHouse server over HTTP in production, chdb in-process in tests and benchmarks).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { type ClickHouseClient, type ClickHouseSettings, TupleParam } from '@clickhouse/client';
import type { CompiledSql, EventRow, EventStore, ExportFileFormat, SqlValue } from '../ports.js';
import { EVENT_COLUMNS } from '../ports.js';
import { bookkeepingStatements, CLICKHOUSE_MIGRATIONS, type ClickHouseTarget, checkTarget } from './migrations.js';
import { paramName, rewriteDollarParams } from './params.js';
import { unwrapLastField } from './raw-json-lines.js';
import { PURGE_COLUMN, USER_TABLES } from './rollups.js';

const EXPORT_FORMATS: Record<ExportFileFormat, string> = { ndjson: 'JSONEachRow', csv: 'CSV', parquet: 'Parquet' };

export interface ClickHouseEventStoreOptions extends ClickHouseTarget {
  /** Settings for event inserts; see INSERT_SETTINGS. */
  insertSettings?: ClickHouseSettings;
  /** Close the client with the store (false when several stores share one client). */
  ownsClient?: boolean;
}

/**
 * Production insert settings. Every replica's group-commit writer already batches, but N replicas
 * flushing every few milliseconds still make many tiny inserts, and each plain insert becomes a
 * part on disk ("too many parts"). async_insert=1 lets the server coalesce them into one part;
 * wait_for_async_insert=1 makes the insert return only after that part is written, so the writer's
 * 202 still means "stored". wait_for_async_insert is never configurable: 0 would ack unstored data.
 */
export const INSERT_SETTINGS: ClickHouseSettings = { async_insert: 1, wait_for_async_insert: 1 };

/**
 * Read settings that make ClickHouse answer like DuckDB: standard-SQL NULLs from outer joins, column names
 * winning over same-named SELECT aliases in WHERE (as in standard SQL), and plain JSON numbers for 64-bit
 * integers and decimals. No FINAL: every table holds each fact once or idempotently (a retried batch is
 * dropped by its insert_deduplication_token, identify deletes the rows it supersedes, the rollups hold sets
 * and idempotent states — rollups.ts), so reads are exact on unmerged parts.
 */
export const READ_SETTINGS: ClickHouseSettings = {
  join_use_nulls: 1,
  prefer_column_name_to_alias: 1,
  output_format_json_quote_64bit_integers: 0,
  output_format_json_quote_decimals: 0,
};

export { paramName } from './params.js';

export class ClickHouseEventStore implements EventStore {
  readonly engine = 'clickhouse' as const;
  private readonly target: ClickHouseTarget;
  private readonly insertSettings: ClickHouseSettings;
  private readonly db: string;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly opts: ClickHouseEventStoreOptions,
  ) {
    this.target = checkTarget({ database: opts.database, cluster: opts.cluster });
    this.db = `\`${this.target.database}\``;
    this.insertSettings = { ...(opts.insertSettings ?? INSERT_SETTINGS), wait_for_async_insert: 1 };
  }

  /** The database and cluster this store writes to. */
  get where(): ClickHouseTarget {
    return this.target;
  }

  async migrate(): Promise<void> {
    for (const stmt of bookkeepingStatements(this.target)) await this.client.command({ query: stmt });
    const applied = new Set(
      (await this.rows<{ version: number }>(`SELECT version FROM ${this.db}.schema_migrations`, {})).map((r) => Number(r.version)),
    );
    for (const m of CLICKHOUSE_MIGRATIONS) {
      if (applied.has(m.version)) continue;
      // mutations_sync: a backfill (ALTER … UPDATE) is finished on every replica before the version is recorded.
      for (const stmt of m.statements(this.target)) await this.client.command({ query: stmt, clickhouse_settings: { mutations_sync: '2' } });
      await this.client.insert({
        table: `${this.db}.schema_migrations`,
        values: [{ version: m.version, applied_at: Date.now() }],
        format: 'JSONEachRow',
      });
    }
  }

  async insert(rows: EventRow[]): Promise<void> {
    // An event whose id is stored already (a request re-sent in another batch, a late retry of a batch that
    // identify has rewritten since) is left out: reads run without FINAL, so a second copy would count.
    const fresh = await this.withoutStored(rows);
    if (fresh.length === 0) return;
    // Resolves only after ClickHouse acknowledged the whole batch (see INSERT_SETTINGS).
    await this.client.insert({
      table: `${this.db}.events`,
      values: fresh.map((r) => {
        const out: Record<string, unknown> = {};
        for (const c of EVENT_COLUMNS) out[c] = r[c] ?? null;
        return out;
      }),
      columns: [...EVENT_COLUMNS],
      format: 'JSONEachRow',
      // The same rows inserted again while the first insert is still in flight (a retry after a lost
      // answer) are dropped by ClickHouse, in events and in every rollup its materialized views feed.
      clickhouse_settings: { ...this.insertSettings, insert_deduplication_token: batchToken(fresh) },
    });
  }

  /** `rows` minus those whose id is stored: a lookup by the full sorting key, so only their granules are read. */
  private async withoutStored(rows: EventRow[]): Promise<EventRow[]> {
    const stored = new Set<string>();
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      // A bound array of key tuples (measured 4 ms for 100 rows against 23 ms for arrays zipped in SQL).
      const found = await this.rows<{ id: string }>(
        `SELECT id FROM ${this.db}.events WHERE (project_id, date, event, id) IN {keys:Array(Tuple(String, Date, String, String))}`,
        { keys: chunk.map((r) => new TupleParam([r.project_id, r.date, r.event, r.id])) },
      );
      for (const f of found) stored.add(f.id);
    }
    return stored.size === 0 ? rows : rows.filter((r) => !stored.has(r.id));
  }

  /** Runs compiled SQL: `{pN:Type}` placeholders (the ClickHouse dialect) or portable SQL with `$N`. */
  async query<T = Record<string, unknown>>(q: CompiledSql): Promise<T[]> {
    const params: Record<string, SqlValue> = {};
    q.params.forEach((v, i) => (params[paramName(i)] = v));
    return this.rows<T>(rewriteDollarParams(q.sql, q.params), params);
  }

  async writeExport(q: CompiledSql, path: string, format: ExportFileFormat): Promise<void> {
    const params: Record<string, SqlValue> = {};
    q.params.forEach((v, i) => (params[paramName(i)] = v));
    const rs = await this.client.exec({
      query: `${rewriteDollarParams(q.sql, q.params)} FORMAT ${EXPORT_FORMATS[format]}`,
      query_params: params,
      // CSV: NULL as an empty field (strings are always quoted, so '' stays ""); Parquet: text as UTF-8 strings.
      clickhouse_settings: { ...READ_SETTINGS, format_csv_null_representation: '', output_format_parquet_string_as_string: 1 },
    });
    if (format === 'ndjson') await pipeline(rs.stream, unwrapLastField('properties'), createWriteStream(path));
    else await pipeline(rs.stream, createWriteStream(path));
  }

  async countEvents(projectIds: string[], date: string): Promise<Map<string, { total: number; today: number }>> {
    const out = new Map<string, { total: number; today: number }>();
    if (projectIds.length === 0) return out;
    const rows = await this.rows<{ project_id: string; total: number; today: number }>(
      `SELECT project_id, count() AS total, countIf(date = {date:Date}) AS today
       FROM ${this.db}.events WHERE project_id IN {ids:Array(String)} GROUP BY project_id`,
      { date, ids: projectIds },
    );
    for (const r of rows) out.set(r.project_id, { total: Number(r.total), today: Number(r.today) });
    return out;
  }

  /**
   * Identify without an UPDATE mutation: the anonymous id's rows are inserted again with the new user_id and
   * a higher `_version` (the materialized views add the new user to the rollups, and the newer version wins a
   * session's user), then the old rows and the old id's rollup rows are removed by lightweight DELETEs (rows
   * vanish from reads at once; the user_id bloom-filter index finds the parts). Costs what the visitor's own
   * events cost, not a rewrite of the table's parts.
   */
  async reassignUser(projectId: string, previousId: string, userId: string): Promise<void> {
    if (previousId === userId) return;
    const cols = EVENT_COLUMNS.map((c) => (c === 'user_id' ? 'toNullable({user:String})' : c)).join(', ');
    const params = { user: userId, version: versionNow(), project: projectId, previous: previousId };
    // No alias on the replaced column: a ClickHouse alias would shadow user_id in the WHERE clause. FINAL here
    // (a write, not a read) copies each event once even before its parts merged. A token of its own: without
    // one, ClickHouse derives the copy's token from the source parts and drops it as a retry of their insert.
    await this.client.command({
      query: `INSERT INTO ${this.db}.events (${EVENT_COLUMNS.join(', ')}, _version)
              SELECT ${cols}, {version:UInt64} FROM ${this.db}.events
              WHERE project_id = {project:String} AND user_id = {previous:String}`,
      query_params: params,
      clickhouse_settings: { final: 1, insert_deduplication_token: `identify:${projectId}:${params.version}` },
    });
    await this.client.command({
      query: `DELETE FROM ${this.db}.events WHERE project_id = {project:String} AND user_id = {previous:String}`,
      query_params: params,
    });
    for (const table of USER_TABLES) {
      await this.client.command({
        query: `DELETE FROM ${this.db}.${table} WHERE project_id = {project:String} AND user_key = {previous:String}`,
        query_params: params,
      });
    }
  }

  /**
   * Lightweight DELETEs: rows vanish from reads at once; parts are cleaned by later merges. A session keeps
   * its rollup rows of the days that remain, so it starts at its first remaining event.
   */
  async purgeBefore(projectIds: string[], date: string): Promise<void> {
    if (projectIds.length === 0) return;
    for (const [table, column] of [['events', 'date'], ...Object.entries(PURGE_COLUMN)]) {
      await this.client.command({
        query: `DELETE FROM ${this.db}.${table} WHERE ${column} < {date:Date} AND project_id IN {ids:Array(String)}`,
        query_params: { date, ids: projectIds },
      });
    }
  }

  async close(): Promise<void> {
    if (this.opts.ownsClient !== false) await this.client.close();
  }

  private async rows<T>(sql: string, params: Record<string, unknown>): Promise<T[]> {
    const rs = await this.client.query({ query: sql, query_params: params, format: 'JSONEachRow', clickhouse_settings: READ_SETTINGS });
    return rs.json<T>();
  }
}

/**
 * The deduplication token of a batch: its rows' (project_id, id) hashed. The project is part of it: an import
 * copies one project's events, ids and all, into another, and that batch is not a retry.
 */
function batchToken(rows: EventRow[]): string {
  const h = createHash('sha256');
  for (const r of rows) h.update(r.project_id).update('\0').update(r.id).update('\n');
  return h.digest('hex');
}

/** Versions grow with time and stay unique within a process (two identifies in one millisecond). */
let lastVersion = 0;
function versionNow(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
}
