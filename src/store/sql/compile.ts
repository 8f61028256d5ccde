// The one SQL generator for aggregate questions: an AggregateQuery in, one bound statement out. Every
// fixed endpoint and POST /query end up here; only the Dialect hooks differ per engine.
//
// A statement is a set of blocks, each `SELECT d0…, m_<part>… GROUP BY d0…`, joined on the group keys:
//   r   counts over the matching rows (always; it defines the groups),
//   u   exact distinct counts, when they are cheaper apart: from a rollup (user-rollups.ts) or, for a
//       top-N by count, only over the rows of the N winning groups,
//   rs  session metrics over the whole sessions the group's rows reference (Q2),
//   dd  event_count under count_mode=session_then_user.
import { dimensionDef, type DimensionDef } from '../../query/registry/dimensions.js';
import { DEDUPLICATED_EVENT_COUNT, metricDef, type MetricDef } from '../../query/registry/metrics.js';
import type { AggregateQuery } from '../../query/types.js';
import type { CompiledSql } from '../ports.js';
import { Binder } from './binder.js';
import type { Dialect } from './dialect.js';
import { compileFilters } from './filters.js';
import { sessionsRelation } from './sessions.js';
import { userRollupBlock } from './user-rollups.js';

export interface CompiledAggregate extends CompiledSql {
  /** Dimension definitions in column order: row keys `d0`, `d1`, … */
  dimensions: DimensionDef[];
  /** Metric definitions; their parts come back as `m_<alias>` columns. */
  metrics: MetricDef[];
  /** Whether ORDER BY and LIMIT ran in SQL (false when an order key is a ratio: run.ts sorts). */
  ordered: boolean;
}

type Parts = Map<string, string>;

const dimAlias = (i: number) => `d${i}`;
const partAlias = (name: string) => `m_${name}`;

/** Metric definitions of a query, resolved in its scope (count_mode swaps event_count's block). */
export function resolveMetrics(q: AggregateQuery): MetricDef[] {
  return q.metrics.map((name) => {
    if (q.scope === 'events' && name === 'event_count' && q.countMode === 'session_then_user') return DEDUPLICATED_EVENT_COUNT;
    const def = metricDef(q.scope, name);
    if (!def) throw new Error(`unknown ${q.scope} metric reached the compiler: ${name}`);
    return def;
  });
}

export function resolveDimensions(q: AggregateQuery): DimensionDef[] {
  return q.dimensions.map((name) => {
    const def = dimensionDef(name);
    if (!def || def.scope !== q.scope) throw new Error(`unknown ${q.scope} dimension reached the compiler: ${name}`);
    return def;
  });
}

/** Can SQL order by every key (dimensions and count-like metrics), so LIMIT can run there too? */
export function sqlCanOrder(q: AggregateQuery, metrics: MetricDef[]): boolean {
  return q.order.every((o) => q.dimensions.includes(o.key) || metrics.find((m) => m.name === o.key)?.orderPart !== undefined);
}

const addParts = (into: Parts, m: MetricDef, d: Dialect) => {
  for (const [alias, sql] of Object.entries(m.parts(d))) into.set(alias, sql);
};
const selectParts = (parts: Parts) => [...parts].map(([alias, sql]) => `${sql} AS ${partAlias(alias)}`);
const groupBy = (refs: string[]) => (refs.length ? ` GROUP BY ${refs.join(', ')}` : '');
const partNames = (p: Parts) => [...p.keys()];

export function compileAggregate(q: AggregateQuery, d: Dialect): CompiledAggregate {
  const dims = resolveDimensions(q);
  const metrics = resolveMetrics(q);
  const b = new Binder(d);
  const project = b.bind(q.projectId);
  const ordered = sqlCanOrder(q, metrics);
  const dimRefs = dims.map((_, i) => dimAlias(i));
  const dimSelect = dims.map((x, i) => `${x.sql(d)} AS ${dimAlias(i)}`);

  const fromDate = b.date(q.window.from);
  const where = [`project_id = ${project}`, `date >= ${fromDate}`];
  if (q.window.to !== undefined) where.push(`date <= ${b.date(q.window.to)}`);
  if (q.window.fromTs !== undefined) where.push(`ts >= ${b.bind(q.window.fromTs)}`);
  where.push(...compileFilters(q.filters, b));

  const orderBy = (): string => {
    const keys = q.order.map((o) => {
      const di = q.dimensions.indexOf(o.key);
      const ref = di >= 0 ? dimAlias(di) : partAlias(metrics.find((m) => m.name === o.key)!.orderPart!);
      return `${ref} ${o.dir.toUpperCase()} NULLS LAST`;
    });
    const tieBreak = dimRefs.filter((_, i) => !q.order.some((o) => o.key === q.dimensions[i])).map((r) => `${r} ASC NULLS LAST`);
    const all = [...keys, ...tieBreak];
    return all.length ? ` ORDER BY ${all.join(', ')}` : '';
  };
  // Dimensions grouped by a raw value get their printed label last, over the groups only.
  const labelled = dims.some((x) => x.label);
  const finish = (sql: string, parts: string[]) => {
    const inner = ordered ? `${sql}${orderBy()}${q.limit !== null ? ` LIMIT ${b.bind(q.limit)}` : ''}` : sql;
    if (!labelled) return inner;
    const outer = dims.map((x, i) => (x.label ? `${x.label(d, `q.${dimAlias(i)}`)} AS ${dimAlias(i)}` : `q.${dimAlias(i)} AS ${dimAlias(i)}`));
    return `SELECT ${[...outer, ...parts.map((a) => `q.${partAlias(a)} AS ${partAlias(a)}`)].join(', ')} FROM (${inner}) q${ordered ? orderBy() : ''}`;
  };

  const base: Parts = new Map();
  if (q.scope === 'sessions') {
    for (const m of metrics) addParts(base, m, d);
    if (base.size === 0 && dims.length === 0) base.set('rows', 'count(*)');
    const sql = `SELECT ${[...dimSelect, ...selectParts(base)].join(', ')} FROM ${sessionsRelation(d, project, fromDate)} AS s WHERE ${where.join(' AND ')}${groupBy(dimRefs)}`;
    return { sql: finish(sql, partNames(base)), params: b.values, dimensions: dims, metrics, ordered };
  }

  // Events: sort each metric's parts into its block.
  const distinct: Parts = new Map();
  const referenced: Parts = new Map();
  const dedup: Parts = new Map();
  for (const m of metrics) {
    if (m.block === 'referenced_sessions') addParts(referenced, m, d);
    else if (m.block === 'deduplicated') addParts(dedup, m, d);
    else if (m.distinct) addParts(distinct, m, d);
    else addParts(base, m, d);
  }
  const blocks: { name: string; sql: string; parts: string[] }[] = [];

  // Distinct users from a rollup when the shape allows it.
  const rollup = distinct.has('unique_users') ? userRollupBlock(q, b, project) : null;
  if (rollup) {
    blocks.push({ name: 'ur', sql: rollup, parts: ['unique_users'] });
    distinct.delete('unique_users');
  }
  // Top N by a count: distinct counts only over the rows of the groups that made the cut.
  const topN = distinct.size > 0 && dims.length === 1 && ordered && q.limit !== null
    && q.order.every((o) => q.dimensions.includes(o.key) || base.has(metrics.find((m) => m.name === o.key)?.orderPart ?? ''));
  if (!topN) {
    for (const [alias, sql] of distinct) base.set(alias, sql);
    distinct.clear();
  }
  if (base.size === 0 && dims.length === 0) base.set('rows', 'count(*)');

  const simple = blocks.length === 0 && distinct.size === 0 && referenced.size === 0 && dedup.size === 0;
  if (simple) {
    const sql = `SELECT ${[...dimSelect, ...selectParts(base)].join(', ')} FROM events WHERE ${where.join(' AND ')}${groupBy(dimRefs)}`;
    return { sql: finish(sql, partNames(base)), params: b.values, dimensions: dims, metrics, ordered };
  }

  const ctes: string[] = [];
  const rSelect = [...dimSelect, ...selectParts(base)].join(', ') || 'count(*) AS rows_n';
  ctes.push(`r AS (SELECT ${rSelect} FROM events WHERE ${where.join(' AND ')}${groupBy(dimRefs)}${topN ? `${orderBy()} LIMIT ${b.bind(q.limit!)}` : ''})`);
  if (distinct.size > 0) {
    // topN: the single group key restricted to the winners (a NULL winner is matched explicitly).
    const key = dims[0].sql(d);
    const inTop = `(${key} IN (SELECT d0 FROM r WHERE d0 IS NOT NULL) OR (${key} IS NULL AND EXISTS (SELECT 1 FROM r WHERE d0 IS NULL)))`;
    blocks.push({
      name: 'u',
      sql: `SELECT ${[...dimSelect, ...selectParts(distinct)].join(', ')} FROM events WHERE ${[...where, inTop].join(' AND ')}${groupBy(dimRefs)}`,
      parts: partNames(distinct),
    });
  }
  if (referenced.size > 0 || dedup.size > 0) {
    const keyCols = ['ts', 'date', 'user_id', 'session_id'];
    for (const k of [d.userKey, d.sessionKey]) if (!keyCols.includes(k)) keyCols.push(k);
    ctes.push(`m AS (SELECT ${[...dimSelect, ...keyCols].join(', ')} FROM events WHERE ${where.join(' AND ')})`);
  }
  if (referenced.size > 0) {
    const xDims = dimRefs.map((r) => `x.${r}`);
    blocks.push({
      name: 'rs',
      sql: `SELECT ${[...xDims, ...selectParts(referenced)].join(', ')}
        FROM (SELECT DISTINCT ${[...dimRefs, 'session_id'].join(', ')} FROM m WHERE session_id IS NOT NULL) x
        JOIN ${sessionsRelation(d, project)} AS s ON s.project_id = ${project} AND s.session_id = x.session_id${groupBy(xDims)}`,
      parts: partNames(referenced),
    });
  }
  if (dedup.size > 0) {
    // Per user: each (user, session) pair once, session-less rows once per user unless the user has a
    // session-backed row in the group; rows with neither id count one by one (§E5 session_then_user).
    const perUser = `CASE WHEN ${d.userKey} IS NULL THEN ${d.uniq(d.sessionKey)} + sum(CASE WHEN ${d.sessionKey} IS NULL THEN 1 ELSE 0 END)
      WHEN ${d.uniq(d.sessionKey)} > 0 THEN ${d.uniq(d.sessionKey)} ELSE 1 END`;
    blocks.push({
      name: 'dd',
      sql: `SELECT ${[...dimRefs, ...selectParts(dedup)].join(', ')}
        FROM (SELECT ${[...dimRefs, `${perUser} AS c`].join(', ')} FROM m${groupBy([...dimRefs, d.userKey])}) pu${groupBy(dimRefs)}`,
      parts: partNames(dedup),
    });
  }
  for (const blk of blocks) ctes.push(`${blk.name} AS (${blk.sql})`);

  const cols = [...dimRefs.map((r) => `r.${r} AS ${r}`), ...partNames(base).map((a) => `r.${partAlias(a)} AS ${partAlias(a)}`)];
  let from = 'r';
  for (const blk of blocks) {
    cols.push(...blk.parts.map((a) => `${blk.name}.${partAlias(a)} AS ${partAlias(a)}`));
    from += dimRefs.length
      ? ` LEFT JOIN ${blk.name} ON ${dimRefs.map((r) => d.nullSafeEq(`r.${r}`, `${blk.name}.${r}`)).join(' AND ')}`
      : ` CROSS JOIN ${blk.name}`;
  }
  const sql = `WITH ${ctes.join(',\n')}\nSELECT ${cols.join(', ')} FROM ${from}`;
  return { sql: finish(sql, [...partNames(base), ...blocks.flatMap((blk) => blk.parts)]), params: b.values, dimensions: dims, metrics, ordered };
}
