// E14 funnels as one engine-neutral statement: step 1 entries per entity, then one greedy join per step
// (earliest matching event in order and inside the window, never a row an earlier step used).
import type { Filter } from '../../query/types.js';
import type { CompiledSql } from '../ports.js';
import { Binder } from './binder.js';
import type { Dialect } from './dialect.js';
import { compileFilters } from './filters.js';
import { propertySql } from '../../query/registry/fields.js';

export interface FunnelSpec {
  projectId: string;
  from: string;
  entity: 'user_id' | 'session_id';
  steps: { event: string; filters: Filter[] }[];
  windowMs: number;
  /** Property key segmenting entities by their step-1 event (`country` = the column), or null. */
  breakdown: string | null;
  maxEntities: number;
}

/**
 * Rows: one per breakdown value `bv` (one row with bv NULL without breakdown): `u1`…`uN` entities reaching
 * each step, `dt1`…`dt(N-1)` summed times from step k to k+1 over entities that reached k+1.
 */
export function compileFunnel(d: Dialect, f: FunnelSpec): CompiledSql {
  const b = new Binder(d);
  const base = [`project_id = ${b.bind(f.projectId)}`, `date >= ${b.date(f.from)}`, `${f.entity} IS NOT NULL`];
  const stepCond = (i: number) => [`event = ${b.bind(f.steps[i].event)}`, ...compileFilters(f.steps[i].filters, b)].join(' AND ');
  const order = ['ts', 'id'];
  const bv = f.breakdown === null ? 'NULL' : d.argMin(f.breakdown === 'country' ? 'country' : propertySql(d, f.breakdown), order);
  const n = f.steps.length;

  const ctes = [
    `s1 AS (SELECT ${f.entity} AS e, min(ts) AS t1, ${d.argMin('id', order)} AS r1, ${bv} AS bv
      FROM events WHERE ${[...base, stepCond(0)].join(' AND ')}
      GROUP BY ${f.entity} ORDER BY t1, e LIMIT ${b.bind(f.maxEntities)})`,
  ];
  const flags = f.steps.slice(1).map((_, k) => `CASE WHEN ${stepCond(k + 1)} THEN 1 ELSE 0 END AS m${k + 2}`);
  const laterNames = [...new Set(f.steps.slice(1).map((s) => s.event))].map((e) => b.bind(e));
  ctes.push(`c AS (SELECT ${f.entity} AS e, ts, id, ${flags.join(', ')}
      FROM events WHERE ${base.join(' AND ')} AND event IN (${laterNames.join(', ')}) AND ${f.entity} IN (SELECT e FROM s1))`);

  const window = b.bind(f.windowMs);
  let prevCols = ['e', 't1', 'r1', 'bv'];
  for (let k = 2; k <= n; k++) {
    const prev = `s${k - 1}`;
    const used = Array.from({ length: k - 1 }, (_, i) => `${prev}.r${i + 1}`);
    const carried = prevCols.map((col) => `${prev}.${col}`);
    ctes.push(`s${k} AS (SELECT ${carried.map((col, i) => `${col} AS ${prevCols[i]}`).join(', ')},
        min(c.ts) AS t${k}, ${d.argMin('c.id', ['c.ts', 'c.id'])} AS r${k}
      FROM ${prev} LEFT JOIN c ON c.e = ${prev}.e AND c.m${k} = 1 AND ${prev}.t${k - 1} IS NOT NULL
        AND c.ts >= ${prev}.t${k - 1} AND c.ts <= ${prev}.t1 + ${window} AND c.id NOT IN (${used.join(', ')})
      GROUP BY ${carried.join(', ')})`);
    prevCols = [...prevCols, `t${k}`, `r${k}`];
  }
  const reached = Array.from({ length: n }, (_, i) => `count(t${i + 1}) AS u${i + 1}`);
  const times = Array.from({ length: n - 1 }, (_, i) => `sum(t${i + 2} - t${i + 1}) AS dt${i + 1}`);
  const sql = `WITH ${ctes.join(',\n')}
    SELECT bv, ${[...reached, ...times].join(', ')} FROM s${n} GROUP BY bv`;
  return { sql, params: b.values };
}
