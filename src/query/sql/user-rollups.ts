// The SQL of the distinct-user rollup block the planner chose (plan.ts userRollupFor): `unique_users` read from
// the store's distinct-user rollups (Dialect.userRollups) instead of a distinct count over every event row.
import type { UserRollup } from '../plan.js';
import type { Window } from '../types.js';
import type { Binder } from './binder.js';

/**
 * SQL of a block `SELECT d0…, <count> AS m_unique_users` over the rollup `form` names, for the window's
 * dates. `project` is the bound project placeholder; the dialect must have rollups.
 */
export function userRollupSql(form: UserRollup, window: Window, b: Binder, project: string): string {
  const d = b.d;
  const r = d.userRollups;
  if (!r) throw new Error(`the ${d.engine} dialect has no user rollups, yet the plan reads one`);
  const dates = (col: string) => {
    const w = [`project_id = ${project}`, `${col} >= ${b.date(window.from)}`];
    if (window.to !== undefined) w.push(`${col} <= ${b.date(window.to)}`);
    return w.join(' AND ');
  };
  const out = 'AS m_unique_users';
  // One row per user and key, or (unmerged) possibly several: then distinct keys, which is the same count.
  const users = r.unmerged ? d.uniq('user_key') : 'count(*)';
  switch (form) {
    case 'users_last_seen':
      return `SELECT ${users} ${out} FROM ${r.byUser} WHERE ${dates('last_date')}`;
    case 'user_days':
      return `SELECT ${d.uniq('user_key')} ${out} FROM ${r.byDay} WHERE ${dates('date')}`;
    case 'event_users_last_seen':
      // last_date ≥ from holds exactly for the (event, user) pairs seen in an open-ended window.
      return `SELECT event AS d0, ${users} ${out} FROM ${r.byEvent} WHERE ${dates('last_date')} GROUP BY event`;
    case 'day':
      return `SELECT date AS d0, ${users} ${out} FROM ${r.byDay} WHERE ${dates('date')} GROUP BY d0`;
    case 'week': case 'month':
      return `SELECT ${d.timeBucket(form, 'NULL', 'date')} AS d0, ${d.uniq('user_key')} ${out} FROM ${r.byDay} WHERE ${dates('date')} GROUP BY d0`;
    case 'weekday_hour':
      return `SELECT ${d.weekday('date')} AS d0, ${d.hourOfDay('hour * 3600000')} AS d1, ${d.uniq('user_key')} ${out}
        FROM ${r.byHour} WHERE ${dates('date')} GROUP BY d0, d1`;
    default: {
      const never: never = form;
      throw new Error(`unknown user rollup ${String(never)}`);
    }
  }
}
