// Read-side rollups of the DuckDB store, kept exact by folding new events in before any read sees them:
// per-session aggregates (the `sessions` view of §1.6), distinct-user sets per event / day / hour, and the
// values of the properties JSON's keys per date, event and user (a /breakdown of a JSON key).
//
// Why: at 10 M events a 7-day window holds ~3 M rows, and exact distinct counts or per-session grouping
// over them cost 100–300 ms of CPU each on DuckDB. The rollups hold one row per session or per
// (user, event | day | hour), so the same answers cost a few milliseconds.
//
// How: every event gets a sequence number (`seq`, a column default); `rollup_state` remembers the last
// folded one. A fold merges the unfolded tail into the rollups (MERGE, a hash join: migration 9). Folds run on the store's
// single writer connection, so they are serialised with every insert/update/delete: a fold sees a
// committed prefix of `seq` and never races a write. Writes mark the store dirty; a read that names a
// rollup folds first (so ingestion and GET /events never pay for it), and an idle store folds in the
// background.
import { BREAKDOWN_COLUMN_KEYS, NON_INTERACTIVE_SQL, PROPERTY_KEY, type SqlValue } from '../ports.js';

/** The sessions relation (sessions.ts SESSION_COLUMNS) over session_rollup (migrations 2 and 9). */
const SESSIONS_VIEW = `CREATE OR REPLACE VIEW rollup_sessions AS SELECT project_id, session_id, user_id, user_key, start_time, end_time,
    end_time - start_time AS duration, entry_page, exit_page, event_count,
    CASE WHEN interactive_count = 0 THEN 1 ELSE 0 END AS is_bounce, date FROM session_rollup`;

/** Tables and view the rollups add (migration 2); the events table gains `seq`. */
export const ROLLUP_SCHEMA = [
  'CREATE SEQUENCE IF NOT EXISTS event_seq START 1',
  "ALTER TABLE events ADD COLUMN IF NOT EXISTS seq BIGINT DEFAULT nextval('event_seq')",
  // Users are keyed by events.user_key (migration 3). *_ord columns hold the seq of the event that set the value: ties on ts go to the later-ingested one.
  `CREATE TABLE IF NOT EXISTS session_rollup (
    project_id VARCHAR NOT NULL, session_id VARCHAR NOT NULL,
    user_id VARCHAR, user_key UBIGINT, user_ts BIGINT, user_ord BIGINT,
    start_time BIGINT NOT NULL, start_ord BIGINT NOT NULL, entry_page VARCHAR,
    end_time BIGINT NOT NULL, end_ord BIGINT NOT NULL, exit_page VARCHAR,
    event_count BIGINT NOT NULL, interactive_count BIGINT NOT NULL, date DATE NOT NULL,
    PRIMARY KEY (project_id, session_id))`,
  SESSIONS_VIEW,
  `CREATE TABLE IF NOT EXISTS rollup_user_events (project_id VARCHAR NOT NULL, event VARCHAR NOT NULL, user_key UBIGINT NOT NULL,
    last_date DATE NOT NULL, PRIMARY KEY (project_id, event, user_key))`,
  `CREATE TABLE IF NOT EXISTS rollup_user_days (project_id VARCHAR NOT NULL, date DATE NOT NULL, user_key UBIGINT NOT NULL,
    PRIMARY KEY (project_id, date, user_key))`,
  `CREATE TABLE IF NOT EXISTS rollup_user_hours (project_id VARCHAR NOT NULL, hour BIGINT NOT NULL, date DATE NOT NULL, user_key UBIGINT NOT NULL,
    PRIMARY KEY (project_id, hour, user_key))`,
  'CREATE TABLE IF NOT EXISTS rollup_state (name VARCHAR PRIMARY KEY, seq BIGINT NOT NULL)',
  "INSERT INTO rollup_state VALUES ('events', 0) ON CONFLICT DO NOTHING",
];

/**
 * The 64-bit key of a user or session id (NULL for NULL). DuckDB's hash() is fast but not promised stable
 * across DuckDB versions, so `verifyKeys` re-keys everything when the probe value changes.
 */
export const keyOf = (expr: string) => `CASE WHEN ${expr} IS NULL THEN NULL ELSE hash(${expr}) END`;
const KEY_PROBE = "CAST(hash('agent-analytics key probe') % 9223372036854775807 AS BIGINT)";

/** Migration 3: keys stored on events (distinct counts and grouping read 8 bytes, not the id text). */
export const KEY_SCHEMA = [
  'ALTER TABLE events ADD COLUMN IF NOT EXISTS user_key UBIGINT',
  'ALTER TABLE events ADD COLUMN IF NOT EXISTS session_key UBIGINT',
  `UPDATE events SET user_key = ${keyOf('user_id')}, session_key = ${keyOf('session_id')}`,
  // Rollups built with the previous (md5) keys are refolded from scratch by the next read.
  ...['session_rollup', 'rollup_user_events', 'rollup_user_days', 'rollup_user_hours'].map((t) => `DELETE FROM ${t}`),
  "UPDATE rollup_state SET seq = 0 WHERE name = 'events'",
  `INSERT INTO rollup_state VALUES ('key_probe', ${KEY_PROBE}) ON CONFLICT DO UPDATE SET seq = excluded.seq`,
];

/** The rollup tables of migration 4 (REFOLD_ALL is part of applied migrations 4 and 5: never extend it). */
const ROLLUP_TABLES_V4 = ['session_rollup', 'rollup_user_events', 'rollup_user_days', 'rollup_user_hours', 'rollup_users'];

/** The property-values tables (migration 8). */
const PROPERTY_TABLES = ['rollup_property_counts', 'rollup_property_event_users', 'rollup_property_users'];

/** Users per property value with their last date (migration 10). */
const PROPERTY_LAST = 'rollup_property_last';

/** Every rollup table, refolded from scratch when the keys change. */
const ROLLUP_TABLES = [...ROLLUP_TABLES_V4, ...PROPERTY_TABLES, PROPERTY_LAST];

/** Empty every rollup of migration 4; the next read refolds them from all events. */
export const REFOLD_ALL = [...ROLLUP_TABLES_V4.map((t) => `DELETE FROM ${t}`), "UPDATE rollup_state SET seq = 0 WHERE name = 'events'"];

/** Migration 4: one row per user with the last date seen (distinct users of an open window = a count). */
export const USERS_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS rollup_users (project_id VARCHAR NOT NULL, user_key UBIGINT NOT NULL, last_date DATE NOT NULL,
    PRIMARY KEY (project_id, user_key))`,
  ...REFOLD_ALL,
];

/** The keys the property-values rollups keep (ports.ts breakdownReadsJson: a valid key, not column-backed, not `country`). */
const KEPT_KEY = `regexp_matches(key, '${PROPERTY_KEY.source}') AND key NOT IN (${BREAKDOWN_COLUMN_KEYS.map((k) => `'${k}'`).join(', ')})`;

/**
 * The property-values rows of the events matching `where`: each kept top-level key of `properties` with its value
 * as text, the way the raw read extracts it (dialects/duckdb.ts jsonText: `json_extract_string(properties,
 * '$.<key>')`, the same function on the same path, so numbers, booleans, "" and nested JSON group alike), JSON
 * null and absent left out as the raw read's `IS NOT NULL` does; per (project, date, event, key, value, user_key)
 * with the event count. A key repeated in one object counts once (the path reads its first value). Properties
 * that are not valid JSON contribute nothing (try): one bad row must not stop every later fold.
 *
 * `keys`: the kept keys of these events (propertyKeysSql), spliced as literals (they match PROPERTY_KEY): every
 * row's JSON is then parsed once for all of them, half the fold's cost of a parse per key and row (measured at
 * 1 M events: 8.1 s → 1.0 + 3.1 s). null, or more keys than KEYS_PER_PASS (one row per key and event before the
 * NULLs go): a parse per key found in the row.
 */
function propertyValueRows(where: string, keys: string[] | null): string {
  const source = `FROM events WHERE ${where} AND properties IS NOT NULL`;
  const pairs = keys !== null && keys.length <= KEYS_PER_PASS
    ? `SELECT project_id, date, event, user_key, unnest([${keys.map((k) => `'${k}'`).join(', ')}]) AS key,
        unnest(try(json_extract_string(properties, [${keys.map((k) => `'$.${k}'`).join(', ')}]))) AS value ${source}`
    : `SELECT project_id, date, event, user_key, key, json_extract_string(properties, '$.' || key) AS value
      FROM (SELECT project_id, date, event, user_key, properties, unnest(list_distinct(try(json_keys(properties)))) AS key ${source})
      WHERE ${KEPT_KEY}`;
  return `SELECT project_id, date, event, key, value, user_key, count(*) AS n FROM (${pairs}) WHERE value IS NOT NULL GROUP BY ALL`;
}

/** Keys extracted in one parse per row; a tail with more (dynamic keys) takes a parse per key found instead. */
const KEYS_PER_PASS = 32;

/** The kept keys of the events matching `where`, comma-separated in one text (NULL when none). */
export const propertyKeysSql = (where: string) => `SELECT string_agg(DISTINCT key, ',' ORDER BY key)
  FROM (SELECT unnest(try(json_keys(properties))) AS key FROM events WHERE ${where} AND properties IS NOT NULL) WHERE ${KEPT_KEY}`;

/**
 * Fold the events matching `where` into the property-values tables (`keys` as in propertyValueRows; [] = nothing
 * to fold): the JSON is read once, into a temp table. Users go to their own tables, once per (…, user): events
 * without a user count events, never users, so they are in the counts only (a user table needs no NULL).
 * `more`: statements that also read `fold_properties` (tables of later migrations).
 */
const foldPropertyValues = (where: string, keys: string[] | null, more: string[] = []) => (keys?.length === 0 ? [] : [
  `CREATE OR REPLACE TEMP TABLE fold_properties AS ${propertyValueRows(where, keys)}`,
  'INSERT INTO rollup_property_counts SELECT project_id, date, event, key, value, sum(n) FROM fold_properties GROUP BY ALL',
  // Already one row per (…, event, key, value, user): the temp table is grouped by it.
  'INSERT INTO rollup_property_event_users SELECT project_id, date, event, key, value, user_key FROM fold_properties WHERE user_key IS NOT NULL',
  'INSERT INTO rollup_property_users SELECT DISTINCT project_id, date, key, value, user_key FROM fold_properties WHERE user_key IS NOT NULL',
  ...more,
  'DROP TABLE fold_properties',
]);

/**
 * Migration 8: the property values of the JSON keys, built from the events the other rollups hold (seq up to the
 * folded one; the fold adds the rest). A /breakdown of a JSON key read every event's properties text three times
 * (p95 4.2 s at 1 M events). `rollup_property_counts`: per (project_id, date, event, key, value) the number of
 * events `n` (the top values, `with:<key>`); `rollup_property_event_users`: the users of each (…, event, key,
 * value) (distinct users under an `event = X` filter); `rollup_property_users`: the same without the event, a
 * user's day once per value however many event names it sent (distinct users otherwise).
 *
 * Partial rows, no primary key: each fold appends its tail's rows, so a tuple may have one row per fold that saw
 * it. Reads sum `n` and count distinct user keys, which partial rows leave exact, and identify rewrites the key in
 * place. Merging on a primary key instead (upserts into an ART index over seven columns) made the fold of 1 M
 * events 4× slower (11 → 46 s; 100 k appended: 0.8 → 3.6–6.6 s) and the file 2× larger, for rows that hardly
 * merge when users are many and values vary per event (3.8 M rows for 4.1 M key-values; bench/breakdown-json.ts).
 */
export const PROPERTY_VALUES_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS rollup_property_counts (project_id VARCHAR NOT NULL, date DATE NOT NULL, event VARCHAR NOT NULL,
    key VARCHAR NOT NULL, value VARCHAR NOT NULL, n BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS rollup_property_event_users (project_id VARCHAR NOT NULL, date DATE NOT NULL, event VARCHAR NOT NULL,
    key VARCHAR NOT NULL, value VARCHAR NOT NULL, user_key UBIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS rollup_property_users (project_id VARCHAR NOT NULL, date DATE NOT NULL,
    key VARCHAR NOT NULL, value VARCHAR NOT NULL, user_key UBIGINT NOT NULL)`,
  // Idempotent: an install that reruns this migration rebuilds the tables rather than adding to them.
  ...PROPERTY_TABLES.map((t) => `DELETE FROM ${t}`),
  ...foldPropertyValues("seq <= (SELECT seq FROM rollup_state WHERE name = 'events')", null),
];

/** Statements that read a rollup name one of these tables or views; only they need a fold first. */
export const READS_ROLLUPS = /\b(rollup_\w+|session_rollup)\b/;

/** (ts, seq) as one comparable value: cheaper for arg_min/arg_max than a struct. */
const ORDER = '(CAST(ts AS HUGEINT) * 18446744073709551616 + seq)';

/** Aggregates of a set of events per session, named and ordered as session_rollup's columns (`src` has `page`, `user_key`, `session_key`). */
const sessionAggregate = (src: string, where = '') => `SELECT project_id, session_id, session_key,
    arg_max(user_id, ${ORDER}) AS user_id, arg_max(user_key, ${ORDER}) AS user_key,
    max(CASE WHEN user_id IS NOT NULL THEN ts END) AS user_ts, arg_max(CASE WHEN user_id IS NOT NULL THEN seq END, ${ORDER}) AS user_ord,
    min(ts) AS start_time, arg_min(seq, ${ORDER}) AS start_ord, arg_min_null(page, ${ORDER}) AS entry_page,
    max(ts) AS end_time, arg_max(seq, ${ORDER}) AS end_ord, arg_max_null(page, ${ORDER}) AS exit_page,
    count(*) AS event_count, sum(CASE WHEN event IN ${NON_INTERACTIVE_SQL} THEN 0 ELSE 1 END) AS interactive_count,
    CAST(epoch_ms(min(ts)) AS DATE) AS date
  FROM ${src} WHERE session_id IS NOT NULL ${where} GROUP BY project_id, session_key, session_id`;

/** The columns a fold needs from events. */
const TAIL_COLUMNS = 'project_id, seq, ts, date, event, user_id, user_key, session_id, session_key, coalesce(path, url) AS page';

/**
 * `MERGE INTO table` the rows of `source` (one per `key`, the table's columns by name): a key not in the table is
 * inserted, one that is takes `whenMatched` (`AND <cond> THEN UPDATE SET …`, over `r` the row and `f` the new one)
 * or is left alone. DuckDB runs it as a hash join of the new rows against the table, no index: an `INSERT … ON
 * CONFLICT` into a primary key (the ART index these tables had until migration 9) cost ≈ 125 µs per folded event
 * once the tables held millions of rows (docs/performance.md, loading 10 M events over HTTP).
 */
const mergeRows = (table: string, key: string[], source: string, whenMatched = '') => `MERGE INTO ${table} r USING (${source}) f
  ON ${key.map((k) => `r.${k} = f.${k}`).join(' AND ')}${whenMatched ? ` WHEN MATCHED ${whenMatched}` : ''} WHEN NOT MATCHED THEN INSERT BY NAME`;

const later = (a: string, b: string) => `(f.${a}, f.${b}) > (r.${a}, r.${b})`;
const earlier = (a: string, b: string) => `(f.${a}, f.${b}) < (r.${a}, r.${b})`;
const newUser = 'f.user_ts IS NOT NULL AND (r.user_ts IS NULL OR (f.user_ts, f.user_ord) > (r.user_ts, r.user_ord))';

/** Merge partial session aggregates into session_rollup (entry: earliest (ts, seq); exit and user: latest). */
const MERGE_SESSIONS = `THEN UPDATE SET
  user_id = CASE WHEN ${newUser} THEN f.user_id ELSE r.user_id END,
  user_key = CASE WHEN ${newUser} THEN f.user_key ELSE r.user_key END,
  user_ord = CASE WHEN ${newUser} THEN f.user_ord ELSE r.user_ord END,
  user_ts = CASE WHEN ${newUser} THEN f.user_ts ELSE r.user_ts END,
  entry_page = CASE WHEN ${earlier('start_time', 'start_ord')} THEN f.entry_page ELSE r.entry_page END,
  start_ord = CASE WHEN ${earlier('start_time', 'start_ord')} THEN f.start_ord ELSE r.start_ord END,
  start_time = least(r.start_time, f.start_time),
  exit_page = CASE WHEN ${later('end_time', 'end_ord')} THEN f.exit_page ELSE r.exit_page END,
  end_ord = CASE WHEN ${later('end_time', 'end_ord')} THEN f.end_ord ELSE r.end_ord END,
  end_time = greatest(r.end_time, f.end_time),
  event_count = r.event_count + f.event_count,
  interactive_count = r.interactive_count + f.interactive_count,
  date = CAST(epoch_ms(least(r.start_time, f.start_time)) AS DATE)`;

/** A user's last date: the later one wins. */
const LATER_DATE = 'AND f.last_date > r.last_date THEN UPDATE SET last_date = f.last_date';

/**
 * Migration 9: the rollups without primary keys (folds MERGE by a hash join instead, mergeRows), and session rows
 * with the session's 64-bit key to join on. Rows are copied as they are; DuckDB cannot drop a constraint in place.
 */
export const UNINDEXED_SCHEMA = [
  'DROP VIEW IF EXISTS rollup_sessions',
  `CREATE TABLE session_rollup_v9 (
    project_id VARCHAR NOT NULL, session_id VARCHAR NOT NULL, session_key UBIGINT NOT NULL,
    user_id VARCHAR, user_key UBIGINT, user_ts BIGINT, user_ord BIGINT,
    start_time BIGINT NOT NULL, start_ord BIGINT NOT NULL, entry_page VARCHAR,
    end_time BIGINT NOT NULL, end_ord BIGINT NOT NULL, exit_page VARCHAR,
    event_count BIGINT NOT NULL, interactive_count BIGINT NOT NULL, date DATE NOT NULL)`,
  // Idempotent (a rerun finds session_key already there): every column but the key, then the key computed.
  `INSERT INTO session_rollup_v9 BY NAME SELECT COLUMNS(c -> c <> 'session_key'), ${keyOf('session_id')} AS session_key FROM session_rollup`,
  `CREATE TABLE rollup_user_events_v9 (project_id VARCHAR NOT NULL, event VARCHAR NOT NULL, user_key UBIGINT NOT NULL, last_date DATE NOT NULL)`,
  `CREATE TABLE rollup_users_v9 (project_id VARCHAR NOT NULL, user_key UBIGINT NOT NULL, last_date DATE NOT NULL)`,
  `CREATE TABLE rollup_user_days_v9 (project_id VARCHAR NOT NULL, date DATE NOT NULL, user_key UBIGINT NOT NULL)`,
  `CREATE TABLE rollup_user_hours_v9 (project_id VARCHAR NOT NULL, hour BIGINT NOT NULL, date DATE NOT NULL, user_key UBIGINT NOT NULL)`,
  ...ROLLUP_TABLES_V4.filter((t) => t !== 'session_rollup').map((t) => `INSERT INTO ${t}_v9 BY NAME SELECT * FROM ${t}`),
  ...ROLLUP_TABLES_V4.flatMap((t) => [`DROP TABLE ${t}`, `ALTER TABLE ${t}_v9 RENAME TO ${t}`]),
  SESSIONS_VIEW,
];

/**
 * Migration 10: per (project, key, value, user) the last date the user sent the value, one row each (merged by the
 * fold, LATER_DATE), built from the property users. The users of a value over an open-ended window (`since=30d`)
 * are then a count of rows with last_date in it, where the per-date users needed a distinct count over every
 * (date, value, user) of the window: 286 ms p95 for 30 days at 10 M events (bench/breakdown-json.ts).
 */
export const PROPERTY_LAST_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${PROPERTY_LAST} (project_id VARCHAR NOT NULL, key VARCHAR NOT NULL, value VARCHAR NOT NULL,
    user_key UBIGINT NOT NULL, last_date DATE NOT NULL)`,
  `DELETE FROM ${PROPERTY_LAST}`,
  `INSERT INTO ${PROPERTY_LAST} SELECT project_id, key, value, user_key, max(date) FROM rollup_property_users GROUP BY ALL`,
];

/** The events a fold of lo < seq <= hi takes. */
export const foldRange = (lo: number, hi: number) => `seq > ${lo} AND seq <= ${hi}`;

/**
 * Fold the events with lo < seq <= hi into every rollup (statements run in one transaction); `keys`: their kept
 * property keys (propertyKeysSql).
 */
export function foldStatements(lo: number, hi: number, keys: string[]): string[] {
  const range = foldRange(lo, hi);
  return [
    `CREATE OR REPLACE TEMP TABLE fold_tail AS SELECT ${TAIL_COLUMNS} FROM events WHERE ${range}`,
    mergeRows('session_rollup', ['project_id', 'session_key'], sessionAggregate('fold_tail'), MERGE_SESSIONS),
    mergeRows('rollup_user_events', ['project_id', 'event', 'user_key'], `SELECT project_id, event, user_key, max(date) AS last_date
       FROM fold_tail WHERE user_key IS NOT NULL GROUP BY ALL`, LATER_DATE),
    mergeRows('rollup_users', ['project_id', 'user_key'], `SELECT project_id, user_key, max(date) AS last_date
       FROM fold_tail WHERE user_key IS NOT NULL GROUP BY ALL`, LATER_DATE),
    mergeRows('rollup_user_days', ['project_id', 'date', 'user_key'], 'SELECT DISTINCT project_id, date, user_key FROM fold_tail WHERE user_key IS NOT NULL'),
    mergeRows('rollup_user_hours', ['project_id', 'hour', 'user_key'], `SELECT project_id, ts // 3600000 AS hour, any_value(date) AS date, user_key
       FROM fold_tail WHERE user_key IS NOT NULL GROUP BY project_id, hour, user_key`),
    // From events, not fold_tail: only these rollups read the properties text, so the tail copy stays narrow.
    ...foldPropertyValues(range, keys, [mergeRows(PROPERTY_LAST, ['project_id', 'key', 'value', 'user_key'],
      'SELECT project_id, key, value, user_key, max(date) AS last_date FROM fold_properties WHERE user_key IS NOT NULL GROUP BY ALL', LATER_DATE)]),
    `UPDATE rollup_state SET seq = ${hi} WHERE name = 'events'`,
    'DROP TABLE fold_tail',
  ];
}

/** One statement with its bound values ($1 …). */
export type Statement = [sql: string, params?: SqlValue[]];

/** How the rollups reach the writer connection: run a statement, read one row. */
export interface WriterAccess {
  run(sql: string, params?: SqlValue[]): Promise<void>;
  row(sql: string): Promise<unknown[]>;
  /** Run `fn` alone on the writer connection: no other statement (an insert) interleaves with it. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/** Events (by seq) folded per rollup transaction at most. */
const FOLD_CHUNK = 200_000;

export class Rollups {
  /** Starts dirty: events may have been written before this process (or before migration 2). */
  private writes = 1;
  private folded = 0;
  private lastWrite = 0;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly writer: WriterAccess) {}

  /**
   * Fold in the background once writes have paused for `ms`, so a later read rarely waits for one; a
   * steady stream of writes is never slowed by folds nobody reads yet (0 = fold only on read).
   */
  startBackground(ms: number): void {
    if (ms <= 0) return;
    this.timer = setInterval(() => {
      if (this.folded < this.writes && Date.now() - this.lastWrite >= ms) this.foldOnce().catch(() => {});
    }, ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }

  /** Milliseconds since the last write (the layout step runs on an idle store). */
  get idleMs(): number {
    return Date.now() - this.lastWrite;
  }

  /** Called after every committed write (insert, identify, purge). */
  markDirty(): void {
    this.writes++;
    this.lastWrite = Date.now();
  }

  /** Resolve once every write that completed before this call is folded in. */
  async ensureFresh(): Promise<void> {
    const target = this.writes;
    while (this.folded < target) await this.foldOnce();
  }

  /** One fold of everything committed so far (shared by concurrent callers). */
  foldOnce(): Promise<void> {
    if (!this.running) {
      const generation = this.writes;
      this.running = this.writer.exclusive(() => this.fold())
        .then(() => { this.folded = Math.max(this.folded, generation); })
        .finally(() => { this.running = null; });
    }
    return this.running;
  }

  /** After migrations: if this DuckDB hashes differently from the one that keyed the data, re-key and refold. */
  async verifyKeys(): Promise<void> {
    // Compared in SQL: the probe is a 63-bit BIGINT, which a JS number rounds to a multiple of 1024, so
    // probes differing in their low bits once compared equal and the events kept the foreign keys.
    const [same] = await this.writer.row(`SELECT coalesce((SELECT seq FROM rollup_state WHERE name = 'key_probe') = ${KEY_PROBE}, false)`);
    if (same === true) return;
    await this.transaction([
      [`UPDATE events SET user_key = ${keyOf('user_id')}, session_key = ${keyOf('session_id')}`],
      ...ROLLUP_TABLES.map((t): Statement => [`DELETE FROM ${t}`]),
      ["UPDATE rollup_state SET seq = 0 WHERE name = 'events'"],
      [`INSERT INTO rollup_state VALUES ('key_probe', ${KEY_PROBE}) ON CONFLICT DO UPDATE SET seq = excluded.seq`],
    ]);
    this.markDirty();
  }

  /**
   * Fold now; the caller already holds the writer (identify and purge fold before they rewrite). A long tail (a
   * bulk import, a restart after a busy day) is folded FOLD_CHUNK events per transaction, so the fold's working
   * memory stays bounded: folding 1 M bulk-inserted events raised peak RSS by 159 MB in one pass and by 27 MB in
   * chunks, at 3.0 s against 4.7 s (one run each, load 2–3). An export beside an unchunked fold of that size once
   * grew by 427 MB and failed test/portability/export-memory.test.ts.
   */
  async fold(): Promise<void> {
    const state = await this.writer.row("SELECT (SELECT seq FROM rollup_state WHERE name = 'events'), (SELECT coalesce(max(seq), 0) FROM events)");
    const [lo, hi] = state.map((v) => Number(v));
    for (let from = lo; from < hi; from += FOLD_CHUNK) await this.foldSeq(from, Math.min(hi, from + FOLD_CHUNK));
  }

  /** Fold the events with lo < seq <= hi in one transaction. */
  private async foldSeq(lo: number, hi: number): Promise<void> {
    const [found] = await this.writer.row(propertyKeysSql(foldRange(lo, hi)));
    const keys = typeof found === 'string' ? found.split(',') : [];
    // They are spliced into the fold's SQL: the SQL filter let only PROPERTY_KEY through; checked again here.
    if (!keys.every((k) => PROPERTY_KEY.test(k))) throw new Error(`a property key failed PROPERTY_KEY: ${JSON.stringify(keys)}`);
    await this.transaction(foldStatements(lo, hi, keys).map((sql): Statement => [sql]));
  }

  /**
   * Identify (the caller holds the writer and has folded): rewrite the events of `previousId` and move the
   * user's rollup rows to the new key, in one transaction.
   */
  async renameUser(projectId: string, previousId: string, userId: string): Promise<void> {
    const keys = keyOf('$2');
    const oldKey = keyOf('$3');
    const args: SqlValue[] = [projectId, userId, previousId];
    // Each user table: the old key's rows merged under the new key (a later last_date wins), then dropped.
    const moves: Statement[] = ([
      ['rollup_user_events', ['project_id', 'event'], 'last_date'],
      ['rollup_users', ['project_id'], 'last_date'],
      ['rollup_user_days', ['project_id', 'date'], ''],
      ['rollup_user_hours', ['project_id', 'hour'], 'date'],
      [PROPERTY_LAST, ['project_id', 'key', 'value'], 'last_date'],
    ] as const).flatMap(([table, key, rest]): Statement[] => [
      [mergeRows(table, [...key, 'user_key'], `SELECT ${key.join(', ')}, ${keys} AS user_key${rest ? `, ${rest}` : ''}
         FROM ${table} WHERE project_id = $1 AND user_key = ${oldKey}`, rest === 'last_date' ? LATER_DATE : ''), args],
      [`DELETE FROM ${table} WHERE project_id = $1 AND user_key = ${keyOf('$2')}`, [projectId, previousId]],
    ]);
    await this.transaction([
      [`UPDATE events SET user_id = $2, user_key = ${keys} WHERE project_id = $1 AND user_id = $3`, args],
      [`UPDATE session_rollup SET user_id = $2, user_key = ${keys} WHERE project_id = $1 AND user_id = $3`, args],
      ...moves,
      // Partial rows (no key to merge on): the old key's rows simply take the new key.
      ...(['rollup_property_event_users', 'rollup_property_users'] as const).map((table): Statement =>
        [`UPDATE ${table} SET user_key = ${keys} WHERE project_id = $1 AND user_key = ${oldKey}`, args]),
    ]);
  }

  /**
   * Retention purge (the caller holds the writer and has folded): delete the events dated before `date`,
   * drop expired rollup rows and rebuild the sessions that lost events, in one transaction.
   */
  async purge(projectIds: string[], date: string): Promise<void> {
    const ids = projectIds.map((_, i) => `$${i + 2}`).join(', ');
    const args: SqlValue[] = [date, ...projectIds];
    const d = 'CAST($1 AS DATE)';
    await this.transaction([
      [`CREATE OR REPLACE TEMP TABLE purged_sessions AS SELECT project_id, session_id FROM session_rollup WHERE project_id IN (${ids}) AND date < ${d}`, args],
      [`DELETE FROM events WHERE project_id IN (${ids}) AND date < ${d}`, args],
      [`DELETE FROM session_rollup WHERE project_id IN (${ids}) AND date < ${d}`, args],
      [`INSERT INTO session_rollup ${sessionAggregate(`(SELECT ${TAIL_COLUMNS} FROM events e
         SEMI JOIN purged_sessions p ON p.project_id = e.project_id AND p.session_id = e.session_id)`)}`],
      ['DROP TABLE purged_sessions'],
      [`DELETE FROM rollup_user_events WHERE project_id IN (${ids}) AND last_date < ${d}`, args],
      [`DELETE FROM rollup_users WHERE project_id IN (${ids}) AND last_date < ${d}`, args],
      [`DELETE FROM ${PROPERTY_LAST} WHERE project_id IN (${ids}) AND last_date < ${d}`, args],
      [`DELETE FROM rollup_user_days WHERE project_id IN (${ids}) AND date < ${d}`, args],
      [`DELETE FROM rollup_user_hours WHERE project_id IN (${ids}) AND date < ${d}`, args],
      ...PROPERTY_TABLES.map((t): Statement => [`DELETE FROM ${t} WHERE project_id IN (${ids}) AND date < ${d}`, args]),
    ]);
  }

  private async transaction(statements: Statement[]): Promise<void> {
    await this.writer.run('BEGIN TRANSACTION');
    try {
      for (const [sql, params] of statements) await this.writer.run(sql, params);
      await this.writer.run('COMMIT');
    } catch (err) {
      await this.writer.run('ROLLBACK');
      throw err;
    }
  }
}
