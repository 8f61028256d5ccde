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

/**
 * One String whose byte order (ClickHouse compares strings bytewise) is the order of the tuple `orderBy`,
 * for the order keys the compiler uses: `… IS NOT NULL` flags (one byte), epoch-ms `ts` columns (8 bytes
 * big-endian, sign bit flipped) and, last, an `id` text column (its bytes), which makes the key unique per
 * row. argMin/argMax over such a key keep a plain String per group instead of a Tuple, which ClickHouse
 * compares through its slow generic path (measured: a session's entry page 2× faster). null for any
 * other key, or one not ending in `id`: the tuple form then.
 */
function orderKey(orderBy: string[]): string | null {
  const parts: string[] = [];
  for (const [i, e] of orderBy.entries()) {
    if (/^[A-Za-z_.]+ IS NOT NULL$/.test(e)) parts.push(`char(toUInt8(${e}))`);
    else if (/^([A-Za-z_]+\.)?ts$/.test(e)) parts.push(`reverse(reinterpretAsFixedString(bitXor(toInt64(${e}), -9223372036854775808)))`);
    else if (i === orderBy.length - 1 && /^([A-Za-z_]+\.)?id$/.test(e)) parts.push(`toString(${e})`);
    else return null;
  }
  if (!/^([A-Za-z_]+\.)?id$/.test(orderBy[orderBy.length - 1] ?? '')) return null;
  return parts.length === 1 ? parts[0] : `concat(${parts.join(', ')})`;
}

/**
 * `value` of the row with the extreme order key. Aggregates skip rows whose argument is NULL, so NULL-ness
 * and the value are taken apart (the key is unique per row, so both come from the same row); with a key
 * orderKey cannot encode, a one-element tuple (never NULL) carries the value instead.
 */
function argExtreme(fn: 'argMin' | 'argMax', value: string, orderBy: string[]): string {
  const key = orderKey(orderBy);
  if (key === null) return `${fn}(tuple(${value}), tuple(${orderBy.join(', ')})).1`;
  return `if(${fn}(isNull(${value}), ${key}) = 1, NULL, ${fn}(assumeNotNull(${value}), ${key}))`;
}

/**
 * Sessions merged from the store's per-(session, day) rollup rows (store/clickhouse/rollups.ts): a session's
 * days, merged, are its events. With `from`: the session days from `from` on, minus the sessions that also
 * have a day before it (looked up among the sessions seen since `from` only), as derivedSessionsSql does.
 */
function sessionParts(project: string, from?: string): string {
  // Values after the order key (see PAGE_KEY/USER_KEY in store/clickhouse/rollups.ts): 0x00 = NULL, 0x01 + text.
  const page = (x: string) => `if(substring(${x}, position(${x}, '\\x00', 9) + 1, 1) = '\\x01', substring(${x}, position(${x}, '\\x00', 9) + 2), NULL)`;
  const user = (x: string) => `if(substring(${x}, 1, 1) = '\\x01', substring(${x}, position(${x}, '\\x00', 10) + 9), NULL)`;
  const since = from === undefined ? '' : ` AND date >= ${from}
      AND session_id NOT IN (SELECT session_id FROM rollup_sessions WHERE project_id = ${project} AND date < ${from}
        AND session_id IN (SELECT session_id FROM rollup_sessions WHERE project_id = ${project} AND date >= ${from}))`;
  return `(SELECT project_id, session_id, ${user('max(user_max)')} AS user_id, user_id AS user_key,
      min(start_ts) AS start_time, max(end_ts) AS end_time, max(end_ts) - min(start_ts) AS duration,
      ${page('min(entry_min)')} AS entry_page, ${page('max(exit_max)')} AS exit_page,
      sum(events_n) AS event_count, if(max(interactive_max) = 0, 1, 0) AS is_bounce,
      ${clickhouseDialect.dateOf('min(start_ts)')} AS date
    FROM rollup_sessions WHERE project_id = ${project}${since}
    GROUP BY project_id, session_id)`;
}

export const clickhouseDialect: Dialect = {
  engine: 'clickhouse',
  // Portable `$n`: the ClickHouse EventStore binds each as `{pn:Type}` with the type of its value.
  param: (index) => `$${index + 1}`,
  asDate: (p) => `toDate(${p})`,
  asText: (expr) => `toString(${expr})`,
  // NULL for an absent key, JSON null and unparsable text, as in DuckDB; strings unquoted, other values as
  // their JSON text, as json_extract_string does. One parse per row (JSONType + JSONExtractString, the
  // same answers, parsed twice: a property breakdown measured 40% slower).
  jsonText: (column, key) => `JSONExtract(${column}, '${key}', 'Nullable(String)')`,
  // JSONEachRow writes a String column as a string: the adapter turns the last field back into JSON (writeExport).
  rawJson: (column) => column,
  jsonNumber: (column, key) =>
    `if(JSONType(${column}, '${key}') IN ('Int64', 'UInt64', 'Double'), JSONExtractFloat(${column}, '${key}'), NULL)`,
  timeBucket: (unit, ts, date) => BUCKET[unit](ts, date),
  // toDayOfWeek: Monday = 1 … Sunday = 7; % 7 makes Sunday 0 as in DuckDB's dayofweek.
  weekday: (date) => `toInt32(toDayOfWeek(${date}) % 7)`,
  hourOfDay: (ts) => `toInt32(intDiv(${ts}, 3600000) % 24)`,
  dateOf: (ts) => `toDate(${utc(ts)})`,
  daysBetween: (from, to) => `dateDiff('day', ${from}, ${to})`,
  // NULL values compete and a NULL winner is returned, as the hook promises (see argExtreme).
  argMin: (value, orderBy) => argExtreme('argMin', value, orderBy),
  argMax: (value, orderBy) => argExtreme('argMax', value, orderBy),
  uniq: (expr) => `uniqExact(${expr})`,
  // ASCII-only case folding and a literal needle, like the DuckDB translate()/strpos pair; toBool so a
  // selected result is true/false like DuckDB's BOOLEAN, not ClickHouse's 0/1 comparison result.
  containsIgnoreCase: (haystack, needle) => `toBool(positionCaseInsensitive(${haystack}, ${needle}) > 0)`,
  nullSafeEq: (a, b) => `${a} IS NOT DISTINCT FROM ${b}`,
  userKey: 'user_id',
  sessionKey: 'session_id',
  sessionsTable: null,
  // Kept by materialized views (store/clickhouse/rollups.ts); rows repeat until their parts merge.
  sessionParts,
  userRollups: { byUser: 'rollup_users', byEvent: 'rollup_user_events', byDay: 'rollup_user_days', byHour: 'rollup_user_hours', unmerged: true },
  // No property-values rollup: a breakdown of a JSON key reads `properties` (one JSONExtract per row).
  propertyValues: null,
  ctesInlined: true,
};
