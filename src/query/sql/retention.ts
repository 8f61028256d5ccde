// E15 retention as engine-neutral SQL: each user's first-seen (earliest session start, or first `event`),
// the cohort it falls in, and the later periods in which the user came back.
import type { CompiledSql } from '../../store/ports.js';
import { Binder } from './binder.js';
import type { Dialect } from './dialect.js';
import { sessionsRelation } from './sessions.js';

export interface RetentionSpec {
  projectId: string;
  /** First day of the oldest cohort (S). */
  start: string;
  /** Period length in days (L). */
  periodDays: number;
  /** Retention floor (§1.5): first-seen and returns only from retained data; null = everything. */
  floor: string | null;
  /** null = session-based; else the event whose first occurrence is first-seen. */
  firstEvent: string | null;
  /** null = a session starting in the period; else occurrences of this event. */
  returningEvent: string | null;
  maxUsers: number;
}

/**
 * Rows `{ci, pi, users}`: `ci` the cohort index, `pi` the period index (pi = ci gives the cohort size,
 * pi > ci the members active in period pi).
 */
export function compileRetention(d: Dialect, r: RetentionSpec): CompiledSql {
  const b = new Binder(d);
  const project = b.bind(r.projectId);
  const start = b.date(r.start);
  const floorDate = r.floor === null ? undefined : b.date(r.floor);
  const floor = floorDate === undefined ? '' : ` AND date >= ${floorDate}`;
  // Each read names the first session date it keeps, so a derived relation aggregates only those.
  const sessions = (from: string | undefined) => `${sessionsRelation(d, project, from)} AS s`;
  // Users are grouped by their key: the sessions relation's user_key and the events' Dialect.userKey are
  // the same value for the same user id. Ties at the cap go to the smaller key.
  const uk = d.userKey;
  const first = r.firstEvent === null
    ? `SELECT user_key AS u, min(start_time) AS ft FROM ${sessions(floorDate)} WHERE project_id = ${project} AND user_key IS NOT NULL${floor} GROUP BY user_key`
    : `SELECT ${uk} AS u, min(ts) AS ft FROM events WHERE project_id = ${project} AND event = ${b.bind(r.firstEvent)} AND ${uk} IS NOT NULL${floor} GROUP BY ${uk}`;
  const active = r.returningEvent === null
    ? `SELECT DISTINCT user_key AS u, date AS day FROM ${sessions(start)} WHERE project_id = ${project} AND date >= ${start} AND user_key IN (SELECT u FROM cohort)`
    : `SELECT DISTINCT ${uk} AS u, date AS day FROM events WHERE project_id = ${project} AND event = ${b.bind(r.returningEvent)} AND date >= ${start} AND ${uk} IN (SELECT u FROM cohort)`;
  const period = (day: string) => `CAST(floor(${d.daysBetween(start, day)} / ${b.bind(r.periodDays)}) AS INTEGER)`;
  if (r.firstEvent === null && r.returningEvent === null && d.sessionsTable === null) return sessionsOnce(d, b, r, sessions(floorDate), project, start, floor, period);
  const sql = `WITH f AS (${first}),
    cohort AS (SELECT u, ${period(d.dateOf('ft'))} AS ci FROM f WHERE ${d.dateOf('ft')} >= ${start} ORDER BY ft, u LIMIT ${b.bind(r.maxUsers)}),
    a AS (${active})
    SELECT ci, ci AS pi, count(*) AS users FROM cohort GROUP BY ci
    UNION ALL
    SELECT c.ci AS ci, p.pi AS pi, count(*) AS users
      FROM cohort c JOIN (SELECT DISTINCT u, ${period('day')} AS pi FROM a) p ON p.u = c.u
      WHERE p.pi > c.ci GROUP BY c.ci, p.pi`;
  return { sql, params: b.values };
}

/**
 * The session-based retention of compileRetention over sessions derived at query time, naming the derived
 * relation once: engines that inline a CTE at every reference (ClickHouse) would otherwise derive every
 * session four times. Per user and session date the earliest start; the user's first-seen is the least of
 * those (floor applied as above), the cap keeps the first `maxUsers` users by (first-seen, key), and each
 * kept user counts once in its cohort (pi = ci: the first-seen day itself) and once per later period with
 * a session. Days before `start` cannot follow a first-seen on or after it, so they never count.
 */
function sessionsOnce(
  d: Dialect, b: Binder, r: RetentionSpec, sessions: string, project: string, start: string, floor: string, period: (day: string) => string,
): CompiledSql {
  const days = `SELECT user_key AS u, date AS day, min(start_time) AS fs FROM ${sessions}
      WHERE project_id = ${project} AND user_key IS NOT NULL${floor} GROUP BY user_key, date`;
  const ci = period(d.dateOf('ft'));
  const pi = period('day');
  const sql = `WITH x AS (SELECT u, day, min(fs) OVER (PARTITION BY u) AS ft FROM (${days}) g),
    y AS (SELECT u, day, ft, dense_rank() OVER (ORDER BY ft, u) AS rk FROM x WHERE ${d.dateOf('ft')} >= ${start}),
    z AS (SELECT u, ${ci} AS ci, ${pi} AS pi FROM y WHERE rk <= ${b.bind(r.maxUsers)})
    SELECT ci, pi, ${d.uniq('u')} AS users FROM z WHERE pi >= ci GROUP BY ci, pi`;
  return { sql, params: b.values };
}
