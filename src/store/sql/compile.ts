// The one SQL generator for aggregate questions: an AggregateQuery in, one bound statement out. Every
// fixed endpoint and POST /query end up here; only the Dialect hooks differ per engine.
import { dimensionDef, type DimensionDef } from '../../query/registry/dimensions.js';
import { DEDUPLICATED_EVENT_COUNT, metricDef, type MetricBlock, type MetricDef } from '../../query/registry/metrics.js';
import type { AggregateQuery } from '../../query/types.js';
import type { CompiledSql } from '../ports.js';
import { Binder } from './binder.js';
import type { Dialect } from './dialect.js';
import { compileFilters } from './filters.js';
import { sessionsRelation } from './sessions.js';

export interface CompiledAggregate extends CompiledSql {
  /** Dimension definitions in column order: row keys `d0`, `d1`, … */
  dimensions: DimensionDef[];
  /** Metric definitions; their parts come back as `m_<alias>` columns. */
  metrics: MetricDef[];
  /** Whether ORDER BY and LIMIT ran in SQL (false when an order key is a ratio: run.ts sorts). */
  ordered: boolean;
}

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

export function compileAggregate(q: AggregateQuery, d: Dialect): CompiledAggregate {
  const dims = resolveDimensions(q);
  const metrics = resolveMetrics(q);
  const b = new Binder(d);
  const project = b.bind(q.projectId);

  const blocks = new Map<MetricBlock, Map<string, string>>();
  for (const m of metrics) {
    const parts = blocks.get(m.block) ?? new Map<string, string>();
    for (const [alias, sql] of Object.entries(m.parts(d))) parts.set(alias, sql);
    blocks.set(m.block, parts);
  }
  const rowParts = blocks.get('rows') ?? new Map<string, string>();
  if (rowParts.size === 0 && dims.length === 0) rowParts.set('rows', 'count(*)');

  const where = [`project_id = ${project}`, `date >= ${b.date(q.window.from)}`];
  if (q.window.to !== undefined) where.push(`date <= ${b.date(q.window.to)}`);
  if (q.window.fromTs !== undefined) where.push(`ts >= ${b.bind(q.window.fromTs)}`);
  where.push(...compileFilters(q.filters, b));

  const dimSelect = dims.map((x, i) => `${x.sql(d)} AS ${dimAlias(i)}`);
  const dimRefs = dims.map((_, i) => dimAlias(i));
  const groupBy = (refs: string[]) => (refs.length ? ` GROUP BY ${refs.join(', ')}` : '');
  const select = (parts: Map<string, string>, prefix = '') => [...parts].map(([alias, sql]) => `${prefix}${sql} AS ${partAlias(alias)}`);

  let body: string;
  if (q.scope === 'sessions') {
    const from = `${sessionsRelation(d, project)} AS s`;
    body = `SELECT ${[...dimSelect, ...select(rowParts)].join(', ')} FROM ${from} WHERE ${where.join(' AND ')}${groupBy(dimRefs)}`;
  } else if (blocks.size <= 1 && !blocks.has('referenced_sessions') && !blocks.has('deduplicated')) {
    body = `SELECT ${[...dimSelect, ...select(rowParts)].join(', ')} FROM events WHERE ${where.join(' AND ')}${groupBy(dimRefs)}`;
  } else {
    body = eventsWithBlocks(d, project, where, dimSelect, dimRefs, rowParts, blocks);
  }

  const ordered = sqlCanOrder(q, metrics);
  let sql = body;
  if (ordered) {
    const keys = q.order.map((o) => {
      const di = q.dimensions.indexOf(o.key);
      const ref = di >= 0 ? dimAlias(di) : partAlias(metrics.find((m) => m.name === o.key)!.orderPart!);
      return `${ref} ${o.dir.toUpperCase()} NULLS LAST`;
    });
    const tieBreak = dimRefs.filter((_, i) => !q.order.some((o) => o.key === q.dimensions[i])).map((r) => `${r} ASC NULLS LAST`);
    const orderBy = [...keys, ...tieBreak];
    if (orderBy.length) sql += ` ORDER BY ${orderBy.join(', ')}`;
    if (q.limit !== null) sql += ` LIMIT ${b.bind(q.limit)}`;
  }
  return { sql, params: b.values, dimensions: dims, metrics, ordered };
}

/**
 * Event metrics from several blocks: the matching rows once (CTE `m`), then one aggregate per block
 * joined on the group keys (NULL-safe: a NULL country is a group like any other).
 */
function eventsWithBlocks(
  d: Dialect, project: string, where: string[], dimSelect: string[], dimRefs: string[],
  rowParts: Map<string, string>, blocks: Map<MetricBlock, Map<string, string>>,
): string {
  const keyCols = ['ts', 'date', 'user_id', 'session_id'];
  for (const k of [d.userKey, d.sessionKey]) if (!keyCols.includes(k)) keyCols.push(k);
  const groupBy = (refs: string[]) => (refs.length ? ` GROUP BY ${refs.join(', ')}` : '');
  const parts = (p: Map<string, string>) => [...p].map(([alias, sql]) => `${sql} AS ${partAlias(alias)}`);
  const ctes = [`m AS (SELECT ${[...dimSelect, ...keyCols].join(', ')} FROM events WHERE ${where.join(' AND ')})`];
  const groupSelect = (p: Map<string, string>) => [...dimRefs, ...parts(p)].join(', ') || 'count(*) AS rows_n';
  ctes.push(`r AS (SELECT ${groupSelect(rowParts)} FROM m${groupBy(dimRefs)})`);
  const joined: { name: string; parts: Map<string, string> }[] = [];

  const ref = blocks.get('referenced_sessions');
  if (ref) {
    const xDims = dimRefs.map((r) => `x.${r}`);
    ctes.push(`rs AS (SELECT ${[...xDims, ...parts(ref)].join(', ')}
      FROM (SELECT DISTINCT ${[...dimRefs, 'session_id'].join(', ')} FROM m WHERE session_id IS NOT NULL) x
      JOIN ${sessionsRelation(d, project)} AS s ON s.project_id = ${project} AND s.session_id = x.session_id${groupBy(xDims)})`);
    joined.push({ name: 'rs', parts: ref });
  }
  const dedup = blocks.get('deduplicated');
  if (dedup) {
    // Per user: each (user, session) pair once, session-less rows once per user unless the user has a
    // session-backed row in the group; rows with neither id count one by one (§E5 session_then_user).
    const perUser = `CASE WHEN ${d.userKey} IS NULL THEN ${d.uniq(d.sessionKey)} + sum(CASE WHEN ${d.sessionKey} IS NULL THEN 1 ELSE 0 END)
      WHEN ${d.uniq(d.sessionKey)} > 0 THEN ${d.uniq(d.sessionKey)} ELSE 1 END`;
    ctes.push(`dd AS (SELECT ${[...dimRefs, ...parts(dedup)].join(', ')}
      FROM (SELECT ${[...dimRefs, `${perUser} AS c`].join(', ')} FROM m${groupBy([...dimRefs, d.userKey])}) u${groupBy(dimRefs)})`);
    joined.push({ name: 'dd', parts: dedup });
  }

  const cols = [...dimRefs.map((r) => `r.${r} AS ${r}`), ...[...rowParts.keys()].map((a) => `r.${partAlias(a)} AS ${partAlias(a)}`)];
  let from = 'r';
  for (const j of joined) {
    cols.push(...[...j.parts.keys()].map((a) => `${j.name}.${partAlias(a)} AS ${partAlias(a)}`));
    from += dimRefs.length
      ? ` LEFT JOIN ${j.name} ON ${dimRefs.map((r) => d.nullSafeEq(`r.${r}`, `${j.name}.${r}`)).join(' AND ')}`
      : ` CROSS JOIN ${j.name}`;
  }
  return `WITH ${ctes.join(',\n')}\nSELECT ${cols.join(', ')} FROM ${from}`;
}
