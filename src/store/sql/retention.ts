// E15 retention as engine-neutral SQL: each user's first-seen (earliest session start, or first `event`),
// the cohort it falls in, and the later periods in which the user came back.
import type { CompiledSql } from '../ports.js';
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
  const floor = r.floor === null ? '' : ` AND date >= ${b.date(r.floor)}`;
  const sessions = `${sessionsRelation(d, project)} AS s`;
  // Users are grouped by their key: the sessions relation's user_key and the events' Dialect.userKey are
  // the same value for the same user id. Ties at the cap go to the smaller key.
  const uk = d.userKey;
  const first = r.firstEvent === null
    ? `SELECT user_key AS u, min(start_time) AS ft FROM ${sessions} WHERE project_id = ${project} AND user_key IS NOT NULL${floor} GROUP BY user_key`
    : `SELECT ${uk} AS u, min(ts) AS ft FROM events WHERE project_id = ${project} AND event = ${b.bind(r.firstEvent)} AND ${uk} IS NOT NULL${floor} GROUP BY ${uk}`;
  const active = r.returningEvent === null
    ? `SELECT DISTINCT user_key AS u, date AS day FROM ${sessions} WHERE project_id = ${project} AND date >= ${start} AND user_key IN (SELECT u FROM cohort)`
    : `SELECT DISTINCT ${uk} AS u, date AS day FROM events WHERE project_id = ${project} AND event = ${b.bind(r.returningEvent)} AND date >= ${start} AND ${uk} IN (SELECT u FROM cohort)`;
  const period = (day: string) => `CAST(floor(${d.daysBetween(start, day)} / ${b.bind(r.periodDays)}) AS INTEGER)`;
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
