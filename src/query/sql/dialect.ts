// What differs between SQL engines, and nothing else: the one compiler (compile.ts) writes every
// analytics statement itself and asks the engine's Dialect only for these hooks. A new engine is a
// new object implementing this interface, proven by the conformance suite (test/conformance/).
//
// Every hook returns SQL text built from the SQL fragments it is given; none of them ever sees a
// user-supplied value (values are bound parameters, property keys are validated before they arrive).

export type TimeUnit = 'hour' | 'day' | 'week' | 'month';

export interface Dialect {
  readonly engine: string;

  /** Placeholder of the bound parameter at 0-based `index` (DuckDB `$1`; ClickHouse `{p1:Type}` or a portable `$1`). */
  param(index: number): string;

  /** A bound 'YYYY-MM-DD' text parameter used as a DATE value (DuckDB `CAST($1 AS DATE)`, ClickHouse `toDate(…)`). */
  asDate(placeholder: string): string;

  /** Any scalar expression as text (for `contains` on non-text fields). */
  asText(expr: string): string;

  /**
   * Text of the top-level JSON key `key` of the JSON text column `column`: strings unquoted, other
   * values as their JSON text, NULL when the key is absent or JSON null. `key` matches ^[A-Za-z0-9_]{1,128}$.
   */
  jsonText(column: string, key: string): string;

  /**
   * A JSON text column as the engine's NDJSON export writer should emit it: as the JSON value it holds
   * (DuckDB casts to its JSON type), or the text unchanged when the adapter splices it in itself (ClickHouse).
   */
  rawJson(column: string): string;

  /** The JSON number at top-level `key` as a float; NULL when absent or not a JSON number. */
  jsonNumber(column: string, key: string): string;

  /**
   * Label of the UTC bucket holding the event (`ts` epoch-ms expression, `date` its UTC DATE):
   * hour 'YYYY-MM-DDTHH:00', day 'YYYY-MM-DD', week = the Monday 'YYYY-MM-DD', month 'YYYY-MM'.
   */
  timeBucket(unit: TimeUnit, ts: string, date: string): string;

  /** Day of week of a DATE expression, 0 = Sunday … 6 = Saturday. */
  weekday(date: string): string;

  /** UTC hour (0–23) of an epoch-ms expression. */
  hourOfDay(ts: string): string;

  /** UTC DATE of an epoch-ms expression. */
  dateOf(ts: string): string;

  /** Whole days from DATE `from` to DATE `to` (to − from), an integer. */
  daysBetween(from: string, to: string): string;

  /**
   * Aggregate: `value` of the row with the smallest (resp. largest) `orderBy` tuple, compared left to
   * right. Rows whose `value` is NULL take part (their NULL is returned when they win).
   */
  argMin(value: string, orderBy: string[]): string;
  argMax(value: string, orderBy: string[]): string;

  /** Aggregate: exact number of distinct non-NULL values of `expr`. */
  uniq(expr: string): string;

  /** `needle` occurs in `haystack`, ASCII letters compared case-insensitively, `%`/`_` literal. */
  containsIgnoreCase(haystack: string, needle: string): string;

  /** Equality where NULL equals NULL (joins on group keys that may be NULL). */
  nullSafeEq(a: string, b: string): string;

  /**
   * Columns that stand for a user and a session in distinct counts and grouping: `user_id` /
   * `session_id` themselves, or surrogate keys the store maintains next to them (one value per id,
   * NULL exactly when the id is NULL).
   */
  readonly userKey: string;
  readonly sessionKey: string;

  /**
   * A table of derived sessions the store keeps up to date (columns as in SESSION_COLUMNS of
   * sessions.ts), or null: the compiler then derives sessions from `events` at query time.
   */
  readonly sessionsTable: string | null;

  /**
   * Where the store keeps sessions as partial aggregates the engine merges at read time (ClickHouse: one row
   * per session and day, fed by a materialized view), the relation of SESSION_COLUMNS for the project
   * `projectParam` (a bound placeholder); with `from` (a DATE expression) it may leave out sessions starting
   * before it, as derivedSessionsSql does. Absent: sessionsTable, else sessions derived from `events`.
   */
  sessionParts?(projectParam: string, from?: string): string;

  /**
   * Distinct-user tables the store keeps exact, or null (distinct counts then scan `events`):
   * `byUser` one row per (project_id, user_key) with `last_date`, the last UTC date the user sent any
   * event; `byEvent` the same per (project_id, event, user_key); `byDay` one row per (project_id, date,
   * user_key); `byHour` one row per (project_id, hour = ts ÷ 3,600,000, user_key) with that hour's `date`.
   * `user_key` as in `userKey`. `unmerged`: a row may be present several times until the engine merges
   * its parts (ClickHouse), so users are counted with `uniq(user_key)`, never `count(*)`.
   */
  readonly userRollups: { byUser: string; byEvent: string; byDay: string; byHour: string; unmerged?: boolean } | null;

  /**
   * Property-values tables the store keeps exact, or null (a breakdown of a JSON key then reads `properties` of
   * every event). Only keys whose breakdown reads the JSON (store/ports.ts breakdownReadsJson); `value` is the text
   * jsonText gives, never NULL. `counts`: rows (project_id, date, event, key, value, n), `n` events whose top-level
   * property `key` has `value`; `eventUsers`: rows (project_id, date, event, key, value, user_key) of the users who
   * sent them; `users`: rows (project_id, date, key, value, user_key), the same across event names. `user_key` as
   * in `userKey`, never NULL. A tuple may be split over or repeated in several rows (partial folds), so events are
   * `sum(n)` and users distinct keys, never row counts. `usersLastSeen` (optional): rows (project_id, key, value,
   * user_key, last_date), exactly one per user and value with the last date the user sent it: the users of an
   * open-ended window without an event filter are a count of its rows with `last_date` in the window.
   */
  readonly propertyValues: { counts: string; eventUsers: string; users: string; usersLastSeen?: string } | null;

  /**
   * The engine evaluates a CTE anew at every reference (ClickHouse inlines them), so the compiler prefers
   * forms that name each CTE once where it has one (funnel steps). Absent = false.
   */
  readonly ctesInlined?: boolean;
}
