// E14 funnels as engine-neutral statements: step 1 entries per entity, then one greedy join per step
// (earliest matching event in order and inside the window, never a row an earlier step used).
import { propertySql } from '../registry/fields.js';
import type { Filter } from '../types.js';
import type { CompiledSql } from '../../store/ports.js';
import { Binder } from './binder.js';
import type { Dialect } from './dialect.js';
import { compileFilters } from './filters.js';

export interface FunnelSpec {
  projectId: string;
  from: string;
  entity: 'user_id' | 'session_id';
  steps: { event: string; filters: Filter[] }[];
  windowMs: number;
  /** Property key segmenting entities by their step-1 event (`country` = the column), or null. */
  breakdown: string | null;
  maxEntities: number;
  /** Only step-1 events before this instant can be entries (see compileFunnelEntryDays); null = all. */
  entryBefore: number | null;
}

function stepCondition(f: FunnelSpec, i: number, b: Binder): string {
  return [`event = ${b.bind(f.steps[i].event)}`, ...compileFilters(f.steps[i].filters, b)].join(' AND ');
}

function base(f: FunnelSpec, b: Binder): string[] {
  return [`project_id = ${b.bind(f.projectId)}`, `date >= ${b.date(f.from)}`, `${f.entity} IS NOT NULL`];
}

/**
 * Step-1 events per UTC day (`day`, `n`), oldest first, counting rows without an entity id too. Entities are taken earliest entry first, so once the
 * days up to some D hold enough step-1 events for the entity cap, entries can be chosen among those days
 * alone — a prefix of the lookback instead of all of it (funnel report, `entryBefore`).
 */
export function compileFunnelEntryDays(d: Dialect, f: FunnelSpec): CompiledSql {
  const b = new Binder(d);
  // An upper bound (rows without an entity id count too): reading the id column here would cost more than
  // the prefix saves, and a prefix that falls short is detected by the caller.
  const where = [`project_id = ${b.bind(f.projectId)}`, `date >= ${b.date(f.from)}`, stepCondition(f, 0, b)];
  const sql = `SELECT ${d.timeBucket('day', 'NULL', 'g.date')} AS day, g.n AS n FROM (SELECT date, count(*) AS n FROM events
    WHERE ${where.join(' AND ')} GROUP BY date) g ORDER BY g.date`;
  return { sql, params: b.values };
}

/**
 * Rows: one per breakdown value `bv` (one row with bv NULL without breakdown): `u1`…`uN` entities reaching
 * each step, `dt1`…`dt(N-1)` summed times from step k to k+1 over entities that reached k+1.
 */
export function compileFunnel(d: Dialect, f: FunnelSpec): CompiledSql {
  const b = new Binder(d);
  const where = base(f, b);
  const order = ['ts', 'id'];
  const n = f.steps.length;
  // A step's own row can only be reused by a later step with the same event name: track row ids then.
  const repeats = f.steps.map((s, i) => f.steps.slice(i + 1).some((t) => t.event === s.event));
  const bv = f.breakdown === null ? 'NULL' : d.argMin(f.breakdown === 'country' ? 'country' : propertySql(d, f.breakdown), order);
  const entry = [...where, stepCondition(f, 0, b)];
  if (f.entryBefore !== null) entry.push(`ts < ${b.bind(f.entryBefore)}`);

  const ctes = [
    `s1 AS (SELECT ${f.entity} AS e, min(ts) AS t1, ${repeats[0] ? d.argMin('id', order) : 'NULL'} AS r1, ${bv} AS bv
      FROM events WHERE ${entry.join(' AND ')}
      GROUP BY ${f.entity} ORDER BY t1, e LIMIT ${b.bind(f.maxEntities)})`,
  ];
  const flags = f.steps.slice(1).map((_, k) => `CASE WHEN ${stepCondition(f, k + 1, b)} THEN 1 ELSE 0 END AS m${k + 2}`);
  const laterNames = [...new Set(f.steps.slice(1).map((s) => s.event))].map((e) => b.bind(e));
  // Later steps happen within the window after an entry, and entries precede entryBefore.
  const later = [...where, `event IN (${laterNames.join(', ')})`];
  if (f.entryBefore !== null) later.push(`ts < ${b.bind(f.entryBefore + f.windowMs)}`);
  ctes.push(`c AS (SELECT ${f.entity} AS e, ts, ${repeats.some(Boolean) ? 'id' : 'NULL AS id'}, ${flags.join(', ')}
      FROM events WHERE ${later.join(' AND ')} AND ${f.entity} IN (SELECT e FROM s1))`);

  const window = b.bind(f.windowMs);
  let cols = ['e', 't1', 'r1', 'bv'];
  for (let k = 2; k <= n; k++) {
    const prev = `s${k - 1}`;
    // Hash-joinable: the per-entity match is an inner join on `e` with filters, joined back by `e` alone.
    const unused = Array.from({ length: k - 1 }, (_, i) => i).filter((i) => f.steps[i].event === f.steps[k - 1].event)
      .map((i) => `c.id <> p.r${i + 1}`);
    const conditions = [`c.m${k} = 1`, `p.t${k - 1} IS NOT NULL`, `c.ts >= p.t${k - 1}`, `c.ts <= p.t1 + ${window}`, ...unused];
    if (d.ctesInlined) {
      // The same step as one outer join naming s(k−1) once (no entity is lost: every row of s(k−1) is a
      // group of its own); the form below names it twice, and inlined CTEs double per step.
      const prevCols = cols.map((col) => `p.${col}`);
      ctes.push(`s${k} AS (SELECT ${cols.map((col) => `p.${col} AS ${col}`).join(', ')}, min(c.ts) AS t${k},
          ${repeats[k - 1] ? d.argMin('c.id', ['c.ts', 'c.id']) : 'NULL'} AS r${k}
        FROM ${prev} p LEFT JOIN c ON c.e = p.e AND ${conditions.join(' AND ')} GROUP BY ${prevCols.join(', ')})`);
      cols = [...cols, `t${k}`, `r${k}`];
      continue;
    }
    ctes.push(`n${k} AS (SELECT p.e AS e, min(c.ts) AS t, ${repeats[k - 1] ? d.argMin('c.id', ['c.ts', 'c.id']) : 'NULL'} AS r
      FROM ${prev} p JOIN c ON c.e = p.e WHERE ${conditions.join(' AND ')} GROUP BY p.e)`);
    ctes.push(`s${k} AS (SELECT ${cols.map((col) => `${prev}.${col} AS ${col}`).join(', ')}, n${k}.t AS t${k}, n${k}.r AS r${k}
      FROM ${prev} LEFT JOIN n${k} ON n${k}.e = ${prev}.e)`);
    cols = [...cols, `t${k}`, `r${k}`];
  }
  const reached = Array.from({ length: n }, (_, i) => `count(t${i + 1}) AS u${i + 1}`);
  const times = Array.from({ length: n - 1 }, (_, i) => `sum(t${i + 2} - t${i + 1}) AS dt${i + 1}`);
  const sql = `WITH ${ctes.join(',\n')}
    SELECT bv, ${[...reached, ...times].join(', ')} FROM s${n} GROUP BY bv`;
  return { sql, params: b.values };
}
