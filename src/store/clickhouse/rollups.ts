// Read-side rollups of the ClickHouse store, maintained at insert time by materialized views on `events`:
// per-(session, day) partial sessions and distinct-user sets per user / event / day / hour (the tables the
// ClickHouse Dialect names in sessionParts and userRollups).
//
// Why: deriving sessions from raw events and reading with FINAL cost 0.5–1.8 s per report at 1 M events.
// The rollups hold one row per session-day or per (user, event | day | hour), and every value in them but
// one is idempotent — a set row, a min/max (of ts, or of a String keyed by (ts, id)) — so a row written twice
// (the identify copy of an event, a re-run backfill) changes no answer and reads are exact on unmerged parts,
// without FINAL. The one sum, a session-day's event count, counts each event once because the store stores
// it once (a stored id is never inserted again, a retried batch is dropped by its token) and identify's
// copies are not counted (`_version` > 0). Its one exposure: rows ingested while migration 3's backfill runs
// are counted by the view and by the backfill — run `migrate` before the replicas start ingesting.
//
// Sessions are kept per (project, date, session): a retention purge then drops whole rows (the remaining
// days of a session are exactly its remaining events), and a read for sessions starting on or after a date
// scans that date range (the ClickHouse Dialect's sessionParts merges the days of each session).
import { NON_INTERACTIVE_SQL } from '../ports.js';
import { type ClickHouseTarget, dedupSettings, mergeTree, onCluster } from './ddl.js';

interface Rollup {
  table: string;
  /** Column list, engine and keys (after `CREATE TABLE … (`). */
  columns: string;
  engine: (t: ClickHouseTarget) => string;
  keys: string;
  /** The SELECT over `events` (spelled `{events}`) that feeds the table; `{count}` counts its rows. */
  select: string;
}

/** 8 bytes whose byte order is the order of the Int64/UInt64 expression (big-endian; Int64 with the sign bit flipped). */
const int64Bytes = (e: string) => `reverse(reinterpretAsFixedString(bitXor(toInt64(${e}), -9223372036854775808)))`;
const uint64Bytes = (e: string) => `reverse(reinterpretAsFixedString(toUInt64(${e})))`;

/**
 * A session's first/last page and its user as plain Strings whose min/max is the wanted row: an order key
 * (ts bytes, the event id, a 0x00 byte ending the id — ids hold no 0x00, so a shorter id still sorts first)
 * and then the value, 0x00 for NULL or 0x01 and the text. min()/max() of Strings merge far faster than
 * argMin/argMax states over tuples (measured 3-4x on 200,000 sessions). The ClickHouse Dialect's sessionParts
 * decodes them. Page key: ts, id. User key: a 0x01 byte when the event has a user id (0x00 without, so any
 * event with one wins), ts, id, then `_version`, so the newest version of one event (identify) wins.
 */
const PAGE_KEY = `concat(${int64Bytes('ts')}, id, '\\x00', if(isNull(page), '\\x00', concat('\\x01', assumeNotNull(page))))`;
const USER_KEY = `concat(if(isNull(user_id), '\\x00', '\\x01'), ${int64Bytes('ts')}, id, '\\x00', ${uint64Bytes('_version')}, ifNull(user_id, ''))`;

export const ROLLUPS: Rollup[] = [
  {
    table: 'rollup_sessions',
    columns: `project_id String, date Date, session_id String,
      user_max SimpleAggregateFunction(max, String),
      start_ts SimpleAggregateFunction(min, Int64),
      end_ts SimpleAggregateFunction(max, Int64),
      entry_min SimpleAggregateFunction(min, String),
      exit_max SimpleAggregateFunction(max, String),
      events_n SimpleAggregateFunction(sum, UInt64),
      interactive_max SimpleAggregateFunction(max, UInt8)`,
    engine: (t) => mergeTree(t, 'Aggregating', 'rollup_sessions'),
    keys: 'PARTITION BY toYYYYMM(date) ORDER BY (project_id, date, session_id)',
    // The session id is renamed inside (sid): an alias equal to a column name would shadow it in WHERE.
    // {count}: the view counts original rows only (_version 0; identify's copies have a higher one), the
    // backfill every merged row. A plain sum merges 2x faster than a distinct count of event ids would.
    select: `SELECT project_id, date, sid AS session_id,
        max(${USER_KEY}) AS user_max,
        min(ts) AS start_ts, max(ts) AS end_ts,
        min(${PAGE_KEY}) AS entry_min,
        max(${PAGE_KEY}) AS exit_max,
        {count} AS events_n,
        max(toUInt8(event NOT IN ${NON_INTERACTIVE_SQL})) AS interactive_max
      FROM (SELECT project_id, date, assumeNotNull(session_id) AS sid, user_id, ts, id, _version, coalesce(path, url) AS page, event
        FROM {events} WHERE session_id IS NOT NULL)
      GROUP BY project_id, date, sid`,
  },
  {
    table: 'rollup_users',
    columns: 'project_id String, user_key String, last_date Date',
    engine: (t) => mergeTree(t, 'Replacing', 'rollup_users', 'last_date'),
    keys: 'ORDER BY (project_id, user_key)',
    select: `SELECT project_id, assumeNotNull(user_id) AS user_key, max(date) AS last_date
      FROM {events} WHERE user_id IS NOT NULL GROUP BY project_id, user_key`,
  },
  {
    table: 'rollup_user_events',
    columns: 'project_id String, event LowCardinality(String), user_key String, last_date Date, INDEX user_key_bf user_key TYPE bloom_filter GRANULARITY 4',
    engine: (t) => mergeTree(t, 'Replacing', 'rollup_user_events', 'last_date'),
    keys: 'ORDER BY (project_id, event, user_key)',
    select: `SELECT project_id, event, assumeNotNull(user_id) AS user_key, max(date) AS last_date
      FROM {events} WHERE user_id IS NOT NULL GROUP BY project_id, event, user_key`,
  },
  {
    table: 'rollup_user_days',
    columns: 'project_id String, date Date, user_key String, INDEX user_key_bf user_key TYPE bloom_filter GRANULARITY 4',
    engine: (t) => mergeTree(t, 'Replacing', 'rollup_user_days'),
    keys: 'PARTITION BY toYYYYMM(date) ORDER BY (project_id, date, user_key)',
    select: `SELECT project_id, date, assumeNotNull(user_id) AS user_key
      FROM {events} WHERE user_id IS NOT NULL GROUP BY project_id, date, user_key`,
  },
  {
    table: 'rollup_user_hours',
    columns: 'project_id String, hour Int64, date Date, user_key String, INDEX user_key_bf user_key TYPE bloom_filter GRANULARITY 4',
    engine: (t) => mergeTree(t, 'Replacing', 'rollup_user_hours'),
    // Reads filter by date (the heatmap's window), so date leads the key; hour follows it.
    keys: 'PARTITION BY toYYYYMM(date) ORDER BY (project_id, date, hour, user_key)',
    select: `SELECT project_id, intDiv(ts, 3600000) AS hour, date, assumeNotNull(user_id) AS user_key
      FROM {events} WHERE user_id IS NOT NULL GROUP BY project_id, hour, date, user_key`,
  },
];

/**
 * Distinct-user tables: identify deletes the old id's rows (the views add the new id's); `user_key` leads no
 * key but rollup_users', so the others carry a bloom-filter index on it for that lookup.
 */
export const USER_TABLES = ROLLUPS.filter((r) => r.table !== 'rollup_sessions').map((r) => r.table);

/** The column a retention purge compares with its date: day tables by `date`, last-seen tables by `last_date`. */
export const PURGE_COLUMN: Record<string, string> = Object.fromEntries(
  ROLLUPS.map((r) => [r.table, /\blast_date\b/.test(r.columns) ? 'last_date' : 'date']),
);

const qualified = (t: ClickHouseTarget, table: string) => `\`${t.database}\`.${table}`;

/** CREATE TABLE and CREATE MATERIALIZED VIEW for every rollup (idempotent). */
export function rollupStatements(t: ClickHouseTarget): string[] {
  return ROLLUPS.flatMap((r) => [
    `CREATE TABLE IF NOT EXISTS ${qualified(t, r.table)}${onCluster(t)} (${r.columns}) ENGINE = ${r.engine(t)} ${r.keys}${dedupSettings(t)}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${qualified(t, `${r.table}_mv`)}${onCluster(t)} TO ${qualified(t, r.table)}
      AS ${r.select.replace('{events}', qualified(t, 'events')).replace('{count}', 'countIf(_version = 0)')}`,
  ]);
}

/**
 * Fill the rollups from the events already stored (after the views exist, so nothing inserted meanwhile is
 * missed; the set rollups take a row twice without harm, the sessions' event count does not — see the
 * header). Reads the merged rows: superseded identify versions stay out.
 */
export function backfillStatements(t: ClickHouseTarget): string[] {
  return ROLLUPS.flatMap((r) => [
    // The sessions' event count is a sum: emptied first, so a re-run migration does not count twice.
    ...(r.table === 'rollup_sessions' ? [`TRUNCATE TABLE ${qualified(t, r.table)}${onCluster(t)}`] : []),
    `INSERT INTO ${qualified(t, r.table)} ${r.select.replace('{events}', `${qualified(t, 'events')} FINAL`).replace('{count}', 'count()')}`,
  ]);
}
