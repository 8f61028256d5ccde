// Sessions (§1.6) as one relation: either the store's maintained table (Dialect.sessionsTable) or the
// same columns derived from `events` at query time. Both must answer identically (conformance suite).
import { NON_INTERACTIVE_SQL } from '../../store/ports.js';
import type { Dialect } from './dialect.js';

/**
 * Columns of the sessions relation: project_id, session_id, user_id, user_key (Dialect.userKey of that user),
 * start_time, end_time, duration (ms), entry_page, exit_page, event_count, is_bounce (0|1),
 * date (UTC DATE of start_time).
 */
export const SESSION_COLUMNS = [
  'project_id', 'session_id', 'user_id', 'user_key', 'start_time', 'end_time', 'duration',
  'entry_page', 'exit_page', 'event_count', 'is_bounce', 'date',
] as const;

/** The page of an event: properties.path, else properties.url (their promoted columns). */
export const PAGE_SQL = 'coalesce(path, url)';

/**
 * Ingestion order of events with equal timestamps: ids are monotonic ULIDs, so a later-ingested
 * event has the larger id. Entry = earliest (ts, id); exit and user = latest.
 *
 * With `from` (a DATE expression) only the sessions whose `date` is on or after it, the same rows the
 * full relation filtered by `date >= from` holds: a session starts on or after `from` exactly when none
 * of its events is dated before it, so only events from `from` on are aggregated, minus the sessions
 * that also have an earlier event (looked up among the sessions seen since `from` only).
 */
export function derivedSessionsSql(d: Dialect, projectParam: string, from?: string): string {
  const order = ['ts', 'id'];
  const since = from === undefined ? '' : ` AND date >= ${from}
      AND session_id NOT IN (SELECT session_id FROM events WHERE project_id = ${projectParam} AND date < ${from}
        AND session_id IN (SELECT session_id FROM events WHERE project_id = ${projectParam} AND date >= ${from} AND session_id IS NOT NULL))`;
  return `(SELECT project_id, session_id,
      ${d.argMax('user_id', ['user_id IS NOT NULL', ...order])} AS user_id,
      ${d.argMax(d.userKey, ['user_id IS NOT NULL', ...order])} AS user_key,
      min(ts) AS start_time, max(ts) AS end_time, max(ts) - min(ts) AS duration,
      ${d.argMin(PAGE_SQL, order)} AS entry_page, ${d.argMax(PAGE_SQL, order)} AS exit_page,
      count(*) AS event_count,
      CASE WHEN sum(CASE WHEN event IN ${NON_INTERACTIVE_SQL} THEN 0 ELSE 1 END) = 0 THEN 1 ELSE 0 END AS is_bounce,
      ${d.dateOf('min(ts)')} AS date
    FROM events WHERE project_id = ${projectParam} AND session_id IS NOT NULL${since}
    GROUP BY project_id, session_id)`;
}

/**
 * The sessions relation of one project, aliased `s`-ready (a table name or a derived subquery). `from`:
 * the caller keeps only sessions with `date >= from`, so a derived relation may leave the others out
 * (see derivedSessionsSql); the caller must still filter.
 */
export function sessionsRelation(d: Dialect, projectParam: string, from?: string): string {
  return d.sessionsTable ?? d.sessionParts?.(projectParam, from) ?? derivedSessionsSql(d, projectParam, from);
}
