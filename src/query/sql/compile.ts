// The one SQL generator for aggregate questions: an AggregatePlan in (query/plan.ts took every decision),
// one bound statement out. Every fixed endpoint and POST /query end up here; only the Dialect hooks differ
// per engine, and nothing here decides more than syntax.
//
// A statement is a set of blocks, each `SELECT d0…, m_<part>… GROUP BY d0…`, joined on the group keys:
//   r   the plan's base block (always; it defines the groups),
//   ur  unique_users from the rollup the plan chose (user-rollups.ts),
//   u   the plan's distinct block: distinct counts over the rows of the top-N groups only,
//   rs  the referenced_sessions block, over the whole sessions the group's rows reference (Q2),
//   dd  the deduplicated block: event_count under count_mode=session_then_user,
//   pv  the property_values block: `with:<key>` from the property-values rollup (property-rollups.ts).
// A plan whose property rollup has the `values` form is one statement over that rollup alone.
import type { DimensionDef } from '../registry/dimensions.js';
import type { MetricDef } from '../registry/metrics.js';
import { planAggregate, planCapabilities, type AggregatePlan } from '../plan.js';
import type { AggregateQuery } from '../types.js';
import type { CompiledSql } from '../../store/ports.js';
import { Binder } from './binder.js';
import type { Dialect } from './dialect.js';
import { fieldDef } from '../registry/fields.js';
import { compileFilters } from './filters.js';
import { sessionsRelation } from './sessions.js';
import { dimAlias, partAlias } from './aliases.js';
import { propertyRollupSql } from './property-rollups.js';
import { userRollupSql } from './user-rollups.js';

export interface CompiledAggregate extends CompiledSql {
  /** Dimension definitions in column order: row keys `d0`, `d1`, … */
  dimensions: DimensionDef[];
  /** Metric definitions; their parts come back as `m_<alias>` columns. */
  metrics: MetricDef[];
  /** Whether ORDER BY and LIMIT ran in SQL (false when an order key is a ratio: run.ts sorts). */
  ordered: boolean;
}

type Parts = Map<string, string>;


const addParts = (into: Parts, m: MetricDef, d: Dialect) => {
  for (const [alias, sql] of Object.entries(m.parts(d))) into.set(alias, sql);
};
/** A block's parts by alias, in selection order (metrics sharing an alias compute it once). */
const partsOf = (metrics: MetricDef[], d: Dialect): Parts => {
  const parts: Parts = new Map();
  for (const m of metrics) addParts(parts, m, d);
  return parts;
};
const selectParts = (parts: Parts) => [...parts].map(([alias, sql]) => `${sql} AS ${partAlias(alias)}`);
const groupBy = (refs: string[]) => (refs.length ? ` GROUP BY ${refs.join(', ')}` : '');
const partNames = (p: Parts) => [...p.keys()];

/**
 * Filters of a sessions-scope query: session fields compare the session's own columns; event fields
 * (event, country, properties.<key>, date, …) keep the sessions holding at least one matching event in the
 * window, as one semi-join over the events (e.g. /pages?filters=… "entry pages of sessions that saw /pricing").
 */
function sessionScopeFilters(q: AggregateQuery, b: Binder, project: string, fromDate: string): string[] {
  const own = q.filters.filter((f) => fieldDef(f.field)?.scope === 'sessions');
  const ofEvents = q.filters.filter((f) => fieldDef(f.field)?.scope !== 'sessions');
  const out = compileFilters(own, b);
  if (ofEvents.length > 0) {
    const ev = [`project_id = ${project}`, `date >= ${fromDate}`, 'session_id IS NOT NULL'];
    if (q.window.to !== undefined) ev.push(`date <= ${b.date(q.window.to)}`);
    ev.push(...compileFilters(ofEvents, b));
    out.push(`session_id IN (SELECT session_id FROM events WHERE ${ev.join(' AND ')})`);
  }
  return out;
}

/** Plan, then compile: for callers holding a bare query. */
export function compileAggregate(q: AggregateQuery, d: Dialect): CompiledAggregate {
  return compileAggregatePlan(planAggregate(q, planCapabilities(d)), d);
}

/** The SQL text of a plan; the statement's shape follows from the plan's blocks. */
export function compileAggregatePlan(p: AggregatePlan, d: Dialect): CompiledAggregate {
  const { query: q, dimensions: dims, metrics, ordered } = p;
  const b = new Binder(d);
  const project = b.bind(q.projectId);
  const dimRefs = dims.map((_, i) => dimAlias(i));
  const dimSelect = dims.map((x, i) => `${x.sql(d)} AS ${dimAlias(i)}`);

  /** `from`: the relation the dimensions are read from when several joined ones hold them (`r.`). */
  const orderBy = (from = ''): string => {
    const keys = q.order.map((o) => {
      const di = q.dimensions.indexOf(o.key);
      const ref = di >= 0 ? from + dimAlias(di) : partAlias(metrics.find((m) => m.name === o.key)!.orderPart!);
      return `${ref} ${o.dir.toUpperCase()} NULLS LAST`;
    });
    const tieBreak = dimRefs.filter((_, i) => !q.order.some((o) => o.key === q.dimensions[i])).map((r) => `${from}${r} ASC NULLS LAST`);
    const all = [...keys, ...tieBreak];
    return all.length ? ` ORDER BY ${all.join(', ')}` : '';
  };
  // Dimensions grouped by a raw value get their printed label last, over the groups only.
  const labelled = dims.some((x) => x.label);
  const finish = (sql: string, parts: string[], from = '') => {
    const inner = ordered ? `${sql}${orderBy(from)}${q.limit !== null ? ` LIMIT ${b.bind(q.limit)}` : ''}` : sql;
    if (!labelled) return inner;
    const outer = dims.map((x, i) => (x.label ? `${x.label(d, `q.${dimAlias(i)}`)} AS ${dimAlias(i)}` : `q.${dimAlias(i)} AS ${dimAlias(i)}`));
    return `SELECT ${[...outer, ...parts.map((a) => `q.${partAlias(a)} AS ${partAlias(a)}`)].join(', ')} FROM (${inner}) q${ordered ? orderBy() : ''}`;
  };

  if (p.propertyRollup !== null && p.propertyRollup.form !== 'with') {
    const topOrder = p.topN && p.propertyRollup.form === 'values' ? `${orderBy()} LIMIT ${b.bind(q.limit!)}` : null;
    const pv = propertyRollupSql(p.propertyRollup, q, p.blocks.property_values, b, project, topOrder, dims);
    return { sql: finish(pv.sql, pv.parts), params: b.values, dimensions: dims, metrics, ordered };
  }

  const fromDate = b.date(q.window.from);
  const where = [`project_id = ${project}`, `date >= ${fromDate}`];
  if (q.window.to !== undefined) where.push(`date <= ${b.date(q.window.to)}`);
  if (q.window.fromTs !== undefined) where.push(`ts >= ${b.bind(q.window.fromTs)}`);
  if (q.scope === 'sessions') where.push(...sessionScopeFilters(q, b, project, fromDate));
  else where.push(...compileFilters(q.filters, b));

  const base = partsOf(p.blocks.base, d);
  // A select list needs a column: with neither group keys nor base metrics, count the rows.
  if (base.size === 0 && dims.length === 0) base.set('rows', 'count(*)');
  if (q.scope === 'sessions') {
    const sql = `SELECT ${[...dimSelect, ...selectParts(base)].join(', ')} FROM ${sessionsRelation(d, project, fromDate)} AS s WHERE ${where.join(' AND ')}${groupBy(dimRefs)}`;
    return { sql: finish(sql, partNames(base)), params: b.values, dimensions: dims, metrics, ordered };
  }

  const distinct = partsOf(p.blocks.distinct, d);
  const referenced = partsOf(p.blocks.referenced_sessions, d);
  const dedup = partsOf(p.blocks.deduplicated, d);
  const blocks: { name: string; sql: string; parts: string[] }[] = [];
  if (p.userRollup !== null) blocks.push({ name: 'ur', sql: userRollupSql(p.userRollup, q.window, b, project), parts: ['unique_users'] });
  if (p.propertyRollup !== null) blocks.push({ name: 'pv', ...propertyRollupSql(p.propertyRollup, q, p.blocks.property_values, b, project) });

  const simple = blocks.length === 0 && distinct.size === 0 && referenced.size === 0 && dedup.size === 0;
  if (simple) {
    const sql = `SELECT ${[...dimSelect, ...selectParts(base)].join(', ')} FROM events WHERE ${where.join(' AND ')}${groupBy(dimRefs)}`;
    return { sql: finish(sql, partNames(base)), params: b.values, dimensions: dims, metrics, ordered };
  }

  const ctes: string[] = [];
  const rSelect = [...dimSelect, ...selectParts(base)].join(', ') || 'count(*) AS rows_n';
  ctes.push(`r AS (SELECT ${rSelect} FROM events WHERE ${where.join(' AND ')}${groupBy(dimRefs)}${p.topN ? `${orderBy()} LIMIT ${b.bind(q.limit!)}` : ''})`);
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
  // Ordered by r's columns, not the select aliases: ClickHouse reported the alias ambiguous once three
  // relations holding the same dimension names were joined (/query by date with session metrics).
  return { sql: finish(sql, [...partNames(base), ...blocks.flatMap((blk) => blk.parts)], 'r.'), params: b.values, dimensions: dims, metrics, ordered };
}
