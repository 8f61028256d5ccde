// The DuckDB answers to the Dialect hooks (embedded mode).
import type { Dialect, TimeUnit } from '../dialect.js';

const BUCKET_FORMAT: Record<Exclude<TimeUnit, 'week'>, string> = { hour: '%Y-%m-%dT%H:00', day: '%Y-%m-%d', month: '%Y-%m' };

export const duckdbDialect: Dialect = {
  engine: 'duckdb',
  param: (index) => `$${index + 1}`,
  asDate: (p) => `CAST(${p} AS DATE)`,
  asText: (expr) => `CAST(${expr} AS VARCHAR)`,
  jsonText: (column, key) => `json_extract_string(${column}, '$.${key}')`,
  rawJson: (column) => `CAST(${column} AS JSON)`,
  jsonNumber: (column, key) =>
    `CASE WHEN json_type(${column}, '$.${key}') IN ('BIGINT', 'UBIGINT', 'DOUBLE', 'HUGEINT') THEN TRY_CAST(json_extract_string(${column}, '$.${key}') AS DOUBLE) END`,
  timeBucket: (unit, ts, date) =>
    unit === 'week' ? `strftime(date_trunc('week', ${date}), '%Y-%m-%d')`
      : unit === 'hour' ? `strftime(epoch_ms(${ts}), '${BUCKET_FORMAT.hour}')`
        : `strftime(${date}, '${BUCKET_FORMAT[unit]}')`,
  weekday: (date) => `dayofweek(${date})`,
  hourOfDay: (ts) => `CAST((${ts} // 3600000) % 24 AS INTEGER)`,
  dateOf: (ts) => `CAST(epoch_ms(${ts}) AS DATE)`,
  daysBetween: (from, to) => `date_diff('day', ${from}, ${to})`,
  // arg_min/arg_max skip NULL values; the _null variants keep them, as the hook promises.
  argMin: (value, orderBy) => `arg_min_null(${value}, (${orderBy.join(', ')}))`,
  argMax: (value, orderBy) => `arg_max_null(${value}, (${orderBy.join(', ')}))`,
  uniq: (expr) => `count(DISTINCT ${expr})`,
  // translate() folds ASCII only (lower() would fold all of Unicode); strpos treats the needle literally.
  containsIgnoreCase: (haystack, needle) =>
    `strpos(translate(${haystack}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), translate(${needle}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')) > 0`,
  nullSafeEq: (a, b) => `${a} IS NOT DISTINCT FROM ${b}`,
  // 64-bit keys the DuckDB store writes with every event (store/duckdb/rollups.ts keyOf).
  userKey: 'user_key',
  sessionKey: 'session_key',
  // Kept by the DuckDB store (store/duckdb/rollups.ts), folded in before any read that names them.
  sessionsTable: 'rollup_sessions',
  userRollups: { byUser: 'rollup_users', byEvent: 'rollup_user_events', byDay: 'rollup_user_days', byHour: 'rollup_user_hours' },
  propertyValues: { counts: 'rollup_property_counts', eventUsers: 'rollup_property_event_users', users: 'rollup_property_users', usersLastSeen: 'rollup_property_last' },
};
