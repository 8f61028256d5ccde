// The SQL of the property-values rollup read the planner chose (plan.ts propertyRollupFor): a breakdown of a JSON
// property key from the store's property-values tables (Dialect.propertyValues) instead of parsing the
// properties JSON of every event in the window, three times (the `set` filter, the group key, `with:<key>`).
import type { PropertyRollup } from '../plan.js';
import type { DimensionDef } from '../registry/dimensions.js';
import type { MetricDef } from '../registry/metrics.js';
import type { AggregateQuery } from '../types.js';
import { dimAlias, partAlias } from './aliases.js';
import type { Binder } from './binder.js';
import { compileFilters, textOf } from './filters.js';

/** A metric with its part over the rollup's rows. */
type Part = { m: MetricDef; part: [alias: string, sql: string] };

/** A metric's part over the rollup's rows: each counts row stands for `n` events; users are distinct keys. */
function rollupPart(m: MetricDef, b: Binder): [alias: string, sql: string] {
  const [alias] = Object.keys(m.parts(b.d));
  if (m.distinct === 'user') return [alias, b.d.uniq('user_key')];
  if (m.name === 'event_count' || m.name.startsWith('with:')) return [alias, 'coalesce(sum(n), 0)'];
  throw new Error(`the property-values rollup cannot answer ${m.name}, yet the plan reads it there`);
}

/**
 * SQL of `SELECT [value AS d0,] m_<part>… [GROUP BY d0]` over the rollup for the query's window dates, the key
 * and the query's `event = X` filter (the `set` filter on the key holds for every rollup row); `project` is the
 * bound project placeholder. `values` groups by the key's value (`d0`), `with` is one row. Event counts read the
 * `counts` table; distinct users the users table (per event name when the query filters on one), joined on the
 * value. `topOrder` (the ORDER BY … LIMIT of the plan's top-N first): the event counts pick the winning values
 * first, and distinct users are counted over their rows only, as compile.ts does over the events.
 */
export function propertyRollupSql(r: PropertyRollup, q: AggregateQuery, metrics: MetricDef[], b: Binder, project: string, topOrder: string | null = null,
  dims: DimensionDef[] = []): { sql: string; parts: string[] } {
  const tables = b.d.propertyValues;
  if (!tables) throw new Error(`the ${b.d.engine} dialect has no property-values rollup, yet the plan reads one`);
  const events = q.filters.filter((f) => f.op === 'eq' && f.field === 'event');
  const where = [`project_id = ${project}`, `date >= ${b.date(q.window.from)}`];
  if (q.window.to !== undefined) where.push(`date <= ${b.date(q.window.to)}`);
  where.push(`key = ${b.bind(r.key)}`, ...compileFilters(events, b));
  const parts: Part[] = metrics.map((m) => ({ m, part: rollupPart(m, b) }));
  const select = (ps: Part[]) => ps.map(({ part: [alias, sql] }) => `, ${sql} AS ${partAlias(alias)}`).join('');
  const users = parts.filter(({ m }) => m.distinct === 'user');
  const counts = parts.filter(({ m }) => m.distinct !== 'user');
  const from = (table: string) => `FROM ${table} WHERE ${where.join(' AND ')}`;
  const aliases = parts.map(({ part: [alias] }) => alias);
  if (r.form === 'filtered') return { sql: filteredSql(r, dims, counts, users, select, from, b, events.length > 0), parts: aliases };
  if (r.form === 'with') return { sql: `SELECT ${select(parts).slice(2)} ${from(tables.counts)}`, parts: aliases };
  if (users.length === 0) return { sql: `SELECT value AS d0${select(parts)} ${from(tables.counts)} GROUP BY d0`, parts: aliases };
  // A rollup value is never NULL, so a plain IN finds the winners (and a join on the value finds its users).
  const winners = topOrder === null ? '' : ' AND value IN (SELECT d0 FROM top)';
  // An open-ended window over every event name: each user's last date per value decides, one row per user and value.
  const lastSeen = events.length === 0 && q.window.to === undefined ? tables.usersLastSeen : undefined;
  const usersFrom = lastSeen === undefined ? `${select(users)} ${from(events.length > 0 ? tables.eventUsers : tables.users)}`
    : `${users.map(({ part: [alias] }) => `, count(*) AS ${partAlias(alias)}`).join('')} FROM ${lastSeen}
      WHERE project_id = ${project} AND key = ${b.bind(r.key)} AND last_date >= ${b.date(q.window.from)}`;
  const sql = `WITH top AS (SELECT value AS d0${select(counts)} ${from(tables.counts)} GROUP BY d0${topOrder ?? ''}),
    users AS (SELECT value AS d0${usersFrom}${winners} GROUP BY d0)
    SELECT top.d0 AS d0, ${parts.map(({ m, part: [alias] }) => `${m.distinct === 'user' ? 'users' : 'top'}.${partAlias(alias)} AS ${partAlias(alias)}`).join(', ')}
    FROM top LEFT JOIN users ON users.d0 = top.d0`;
  return { sql, parts: aliases };
}

/**
 * The `filtered` form: the rows of one value of the key (`value = …` on the rollup), grouped by the plan's
 * dimensions, which are rollup columns (`date`, `event`, or none). Counts from `counts`, which also gives the groups
 * (a date whose events of that value have no user is a group with 0 users, as on the raw path); users from the users
 * table, per event name when the query filters on one or groups by it; joined on the group keys (no group: one row
 * each, a CROSS JOIN, so an empty window gives 0 and 0 as the raw path does).
 */
function filteredSql(r: PropertyRollup, dims: DimensionDef[], counts: Part[], users: Part[], select: (ps: Part[]) => string,
  from: (table: string) => string, b: Binder, onEvent: boolean): string {
  const tables = b.d.propertyValues!;
  const value = ` AND value = ${b.bind(textOf(r.value ?? null))}`;
  const refs = dims.map((_, i) => dimAlias(i));
  const keys = dims.map((x, i) => `${x.sql(b.d)} AS ${refs[i]}`);
  const grouped = (sql: string) => (refs.length ? `${sql} GROUP BY ${refs.join(', ')}` : sql);
  const head = (ps: Part[]) => `SELECT ${[...keys, select(ps).slice(2)].filter(Boolean).join(', ')}`;
  const usersTable = onEvent || dims.some((x) => x.name === 'event') ? tables.eventUsers : tables.users;
  const blocks = [
    ...(counts.length || refs.length ? [{ name: 'c', sql: grouped(`${head(counts)} ${from(tables.counts)}${value}`), ps: counts }] : []),
    ...(users.length ? [{ name: 'u', sql: grouped(`${head(users)} ${from(usersTable)}${value}`), ps: users }] : []),
  ];
  const [first, ...rest] = blocks;
  const join = (name: string) => (refs.length ? ` LEFT JOIN ${name} ON ${refs.map((k) => b.d.nullSafeEq(`${first.name}.${k}`, `${name}.${k}`)).join(' AND ')}` : ` CROSS JOIN ${name}`);
  const cols = [...refs.map((k) => `${first.name}.${k} AS ${k}`),
    ...blocks.flatMap((blk) => blk.ps.map(({ part: [alias] }) => `${blk.name}.${partAlias(alias)} AS ${partAlias(alias)}`))];
  return `WITH ${blocks.map((blk) => `${blk.name} AS (${blk.sql})`).join(', ')} SELECT ${cols.join(', ')} FROM ${first.name}${rest.map((blk) => join(blk.name)).join('')}`;
}
