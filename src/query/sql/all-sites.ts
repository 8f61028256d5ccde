// The two statements of /account/all-sites: events per project and UTC day, and each project's last active day.
import type { CompiledSql } from '../../store/ports.js';
import { Binder } from './binder.js';
import type { Dialect } from './dialect.js';

const day = (d: Dialect, expr: string) => d.timeBucket('day', 'ts', expr);

/** Events per (project, UTC event date) for dates in [from, to]: rows {project_id, day, n}. */
export function compileDailyCounts(d: Dialect, q: { projectIds: string[]; from: string; to: string }): CompiledSql {
  const b = new Binder(d);
  const inList = q.projectIds.map((id) => b.bind(id)).join(', ');
  const sql = `SELECT project_id, ${day(d, 'date')} AS day, count(*) AS n FROM events
      WHERE project_id IN (${inList}) AND date >= ${b.date(q.from)} AND date <= ${b.date(q.to)}
      GROUP BY project_id, date`;
  return { sql, params: b.values };
}

/** Each project's last event date up to `to`, from `floor` on (null: no lower bound): rows {project_id, last_day}. */
export function compileLastActiveDays(d: Dialect, q: { projectIds: string[]; to: string; floor: string | null }): CompiledSql {
  const b = new Binder(d);
  const inList = q.projectIds.map((id) => b.bind(id)).join(', ');
  const lower = q.floor === null ? '' : ` AND date >= ${b.date(q.floor)}`;
  const sql = `SELECT project_id, ${day(d, 'max(date)')} AS last_day FROM events
      WHERE project_id IN (${inList}) AND date <= ${b.date(q.to)}${lower}
      GROUP BY project_id`;
  return { sql, params: b.values };
}
