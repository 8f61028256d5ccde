// Row selections (not aggregates) the reports need: a page of event rows, recent events' properties, a page of sessions.
import type { PageKey } from '../page.js';
import type { Filter } from '../types.js';
import type { CompiledSql } from '../../store/ports.js';
import { Binder } from './binder.js';
import type { Dialect } from './dialect.js';
import { compileFilters } from './filters.js';
import { sessionsRelation } from './sessions.js';

/**
 * Event rows (§1.6: id, project_id, event, properties JSON text, user_id, session_id, timestamp, date text,
 * country) of one project dated `from` on (to `to` when given), matching every filter, in (timestamp, id) order — `desc` for the
 * newest first (E4), `asc` for a timeline (/journey) — at most `limit`. `after`: only rows after that
 * position in this order (keyset paging, see query/page.ts).
 */
export function compileEventRows(d: Dialect, q: { projectId: string; from: string; to?: string; filters: Filter[]; order: 'asc' | 'desc'; after?: PageKey; limit: number }): CompiledSql {
  const b = new Binder(d);
  const where = [`project_id = ${b.bind(q.projectId)}`, `date >= ${b.date(q.from)}`, ...compileFilters(q.filters, b)];
  if (q.to !== undefined) where.push(`date <= ${b.date(q.to)}`);
  const [dir, past] = q.order === 'asc' ? ['ASC', '>'] : ['DESC', '<'];
  if (q.after) where.push(`(ts ${past} ${b.bind(q.after.time)} OR (ts = ${b.bind(q.after.time)} AND id ${past} ${b.bind(q.after.id)}))`);
  const sql = `SELECT id, project_id, event, properties, user_id, session_id, ts AS timestamp, ${d.asText('date')} AS date, country
    FROM events WHERE ${where.join(' AND ')} ORDER BY ts ${dir}, id ${dir} LIMIT ${b.bind(q.limit)}`;
  return { sql, params: b.values };
}

/**
 * The `limit` most recent events of the window (timestamp desc, then id desc) whose properties are
 * present — non-empty objects only when `nonEmpty` — with their name and properties JSON text.
 */
export function compileRecentProperties(d: Dialect, q: { projectId: string; from: string; to?: string; limit: number; nonEmpty: boolean }): CompiledSql {
  const b = new Binder(d);
  const where = [`project_id = ${b.bind(q.projectId)}`, `date >= ${b.date(q.from)}`, 'properties IS NOT NULL'];
  if (q.to !== undefined) where.push(`date <= ${b.date(q.to)}`);
  if (q.nonEmpty) where.push(`properties <> '{}'`);
  const sql = `SELECT event, properties FROM events WHERE ${where.join(' AND ')} ORDER BY ts DESC, id DESC LIMIT ${b.bind(q.limit)}`;
  return { sql, params: b.values };
}

/**
 * Sessions whose date is in the window, newest start first (ties: session_id ascending), as §1.6 rows.
 * `after`: only sessions after that position in this order (keyset paging, see query/page.ts).
 */
export function compileSessionList(d: Dialect, q: { projectId: string; from: string; filters: Filter[]; after?: PageKey; limit: number }): CompiledSql {
  const b = new Binder(d);
  const project = b.bind(q.projectId);
  const from = b.date(q.from);
  const where = [`project_id = ${project}`, `date >= ${from}`, ...compileFilters(q.filters, b)];
  if (q.after) where.push(`(start_time < ${b.bind(q.after.time)} OR (start_time = ${b.bind(q.after.time)} AND session_id > ${b.bind(q.after.id)}))`);
  const sql = `SELECT session_id, user_id, project_id, start_time, end_time, duration, entry_page, exit_page, event_count, is_bounce,
      ${d.timeBucket('day', 'start_time', 'date')} AS date
    FROM ${sessionsRelation(d, project, from)} AS s WHERE ${where.join(' AND ')}
    ORDER BY start_time DESC, session_id ASC LIMIT ${b.bind(q.limit)}`;
  return { sql, params: b.values };
}
