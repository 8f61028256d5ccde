// The ClickHouse answers to the Dialect hooks (cluster mode). Each hook returns exactly what the
// DuckDB hook returns for the same rows; test/conformance/clickhouse.test.ts holds them to that.
import type { Dialect, TimeUnit } from '../dialect.js';

/** Epoch-ms expression → DateTime64 in UTC (toInt64: the function wants an integer type). */
const utc = (ts: string) => `fromUnixTimestamp64Milli(toInt64(${ts}), 'UTC')`;

const BUCKET: Record<TimeUnit, (ts: string, date: string) => string> = {
  hour: (ts) => `formatDateTime(${utc(ts)}, '%Y-%m-%dT%H:00')`,
  day: (_ts, date) => `toString(toDate(${date}))`,
  week: (_ts, date) => `toString(toMonday(${date}))`, // ISO weeks start on Monday, like DuckDB's date_trunc('week')
  month: (_ts, date) => `formatDateTime(toDate(${date}), '%Y-%m')`,
};

export const clickhouseDialect: Dialect = {
  engine: 'clickhouse',
  // Portable `$n`: the ClickHouse EventStore binds each as `{pn:Type}` with the type of its value.
  param: (index) => `$${index + 1}`,
  asDate: (p) => `toDate(${p})`,
  asText: (expr) => `toString(${expr})`,
  // JSONType is 'Null' for an absent key and for JSON null; both are SQL NULL in DuckDB. Non-string
  // values come back as their JSON text, as json_extract_string does.
  jsonText: (column, key) => `if(JSONType(${column}, '${key}') = 'Null', NULL, JSONExtractString(${column}, '${key}'))`,
  jsonNumber: (column, key) =>
    `if(JSONType(${column}, '${key}') IN ('Int64', 'UInt64', 'Double'), JSONExtractFloat(${column}, '${key}'), NULL)`,
  timeBucket: (unit, ts, date) => BUCKET[unit](ts, date),
  // toDayOfWeek: Monday = 1 … Sunday = 7; % 7 makes Sunday 0 as in DuckDB's dayofweek.
  weekday: (date) => `toInt32(toDayOfWeek(${date}) % 7)`,
  hourOfDay: (ts) => `toInt32(intDiv(${ts}, 3600000) % 24)`,
  dateOf: (ts) => `toDate(${utc(ts)})`,
  daysBetween: (from, to) => `dateDiff('day', ${from}, ${to})`,
  // Aggregates skip rows whose argument is NULL; a one-element tuple is never NULL, so those rows
  // still compete and a NULL winner is returned, as the hook promises.
  argMin: (value, orderBy) => `argMin(tuple(${value}), tuple(${orderBy.join(', ')})).1`,
  argMax: (value, orderBy) => `argMax(tuple(${value}), tuple(${orderBy.join(', ')})).1`,
  uniq: (expr) => `uniqExact(${expr})`,
  // ASCII-only case folding and a literal needle, like the DuckDB translate()/strpos pair; toBool so a
  // selected result is true/false like DuckDB's BOOLEAN, not ClickHouse's 0/1 comparison result.
  containsIgnoreCase: (haystack, needle) => `toBool(positionCaseInsensitive(${haystack}, ${needle}) > 0)`,
  nullSafeEq: (a, b) => `${a} IS NOT DISTINCT FROM ${b}`,
  userKey: 'user_id',
  sessionKey: 'session_id',
  sessionsTable: null,
  userRollups: null,
};
