// Table decider for distinct users: when a query's shape allows it, `unique_users` comes from the store's
// distinct-user rollups (Dialect.userRollups) instead of a distinct count over every event row.
import type { AggregateQuery } from '../../query/types.js';
import type { Binder } from './binder.js';

/**
 * SQL of a block `SELECT d0…, <uniq> AS m_unique_users` over a rollup, or null when the query needs the
 * raw events: filters (rollups carry no properties), an instant bound (hour series), or group keys the
 * rollups do not hold. `project` is the bound project placeholder.
 */
export function userRollupBlock(q: AggregateQuery, b: Binder, project: string): string | null {
  const d = b.d;
  const r = d.userRollups;
  if (!r || q.scope !== 'events' || q.filters.length > 0 || q.window.fromTs !== undefined) return null;
  const dates = (col: string) => {
    const w = [`project_id = ${project}`, `${col} >= ${b.date(q.window.from)}`];
    if (q.window.to !== undefined) w.push(`${col} <= ${b.date(q.window.to)}`);
    return w.join(' AND ');
  };
  const out = 'AS m_unique_users';
  const dims = q.dimensions.join(',');
  switch (dims) {
    case '':
      // Open-ended window: users whose last date is in it; bounded: distinct over the user-days.
      if (q.window.to === undefined) return `SELECT count(*) ${out} FROM ${r.byUser} WHERE ${dates('last_date')}`;
      return `SELECT ${d.uniq('user_key')} ${out} FROM ${r.byDay} WHERE ${dates('date')}`;
    case 'event':
      // last_date ≥ from holds exactly for the (event, user) pairs seen in an open-ended window.
      if (q.window.to !== undefined) return null;
      return `SELECT event AS d0, count(*) ${out} FROM ${r.byEvent} WHERE ${dates('last_date')} GROUP BY event`;
    case 'date': case 'bucket_day':
      return `SELECT date AS d0, count(*) ${out} FROM ${r.byDay} WHERE ${dates('date')} GROUP BY d0`;
    case 'bucket_week': case 'bucket_month': {
      const unit = dims === 'bucket_week' ? 'week' : 'month';
      return `SELECT ${d.timeBucket(unit, 'NULL', 'date')} AS d0, ${d.uniq('user_key')} ${out} FROM ${r.byDay} WHERE ${dates('date')} GROUP BY d0`;
    }
    case 'weekday,hour_of_day':
      return `SELECT ${d.weekday('date')} AS d0, ${d.hourOfDay('hour * 3600000')} AS d1, ${d.uniq('user_key')} ${out}
        FROM ${r.byHour} WHERE ${dates('date')} GROUP BY d0, d1`;
    default:
      return null;
  }
}
