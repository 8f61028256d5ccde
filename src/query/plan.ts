// Planning as small pure steps, each testable alone with no engine (STYLE habits 4, 17): the read window
// (the one place the retention floor is applied), the default order, and every decision the aggregate SQL
// generator (query/sql/compile.ts) carries out without taking: rollup or scan, top-N first, which block
// computes each metric, whether SQL orders.
import type { Dialect } from './sql/dialect.js';
import { breakdownReadsJson } from '../store/ports.js';
import { dimensionDef, type DimensionDef } from './registry/dimensions.js';
import { DEDUPLICATED_EVENT_COUNT, metricDef, type MetricDef } from './registry/metrics.js';
import { addDays, utcDay } from './time.js';
import type { AggregateQuery, OrderKey, Window } from './types.js';

const DAY_MS = 86_400_000;

/** §1.5: the first date a read may see, today − retention_days; null when the account keeps everything. */
export function retentionFloor(retentionDays: number, now: number): string | null {
  return retentionDays < 0 ? null : utcDay(now - retentionDays * DAY_MS);
}

/** Step: a window whose start is raised to the floor (§1.5: effective start = max(from, floor)). */
export function clampToRetention(window: Window, floor: string | null): Window {
  return floor !== null && window.from < floor ? { ...window, from: floor } : window;
}

/** The account's retention as a read sees it; a ReadContext is one. */
export interface Retention {
  retentionDays: number;
  /** Epoch ms taken as "now" for the whole request. */
  now: number;
}

/** The floor of reads that bound something other than a window start (first-seen in /retention, last active). */
export const readFloor = (r: Retention): string | null => retentionFloor(r.retentionDays, r.now);

/**
 * The window planner: every read takes its window from here, so the retention floor is applied in this one
 * place and no report computes it. The requested window, its start raised to the floor.
 */
export const readWindow = (r: Retention, requested: Window): Window => clampToRetention(requested, readFloor(r));

/** A run of dates, newest-first reads' unit: `to` absent = no upper bound. */
export interface DateSpan {
  from: string;
  to?: string;
}

/**
 * Step of the newest-first reads (/events, the recent properties): the window [from, …) cut into spans read
 * newest first, each older than the one before — the first from `start` (the newest date worth reading, e.g.
 * today) on with no upper bound, then 1, 2, 4, … days back to `from`. A date is the UTC day of its timestamp,
 * so the rows of the spans, in order, are the window's rows in timestamp order: a read stops once its page is
 * full, and a page of the newest rows reads about a day's row groups, not the window's. At most ⌈log2(days)⌉ + 2
 * spans, so a filter matching nothing costs a few statements.
 */
export function newestFirstSpans(from: string, start: string): DateSpan[] {
  if (start <= from) return [{ from }];
  const spans: DateSpan[] = [{ from: start }];
  let to = addDays(start, -1);
  for (let width = 1; to >= from; width *= 2) {
    const lo = addDays(to, -(width - 1));
    spans.push({ from: lo < from ? from : lo, to });
    to = addDays(lo, -1);
  }
  return spans;
}

/** Columns `order_by` may name (when they are in the result), and the directions of `order`. */
export const QUERY_ORDER_BY = ['event_count', 'unique_users', 'session_count', 'date', 'event'] as const;
export const ORDER_DIRECTIONS = ['asc', 'desc'] as const;

/**
 * §E5 ordering: `order_by` when it names a result column among the orderable ones; otherwise by
 * `date` when grouped by date, else by the first metric. Direction `asc` only when asked for.
 */
export function queryOrder(orderBy: unknown, order: unknown, groupBy: string[], metrics: string[]): OrderKey[] {
  const dir = order === 'asc' ? 'asc' : 'desc';
  const columns = [...groupBy, ...metrics];
  if (typeof orderBy === 'string' && (QUERY_ORDER_BY as readonly string[]).includes(orderBy) && columns.includes(orderBy)) return [{ key: orderBy, dir }];
  return [{ key: groupBy.includes('date') ? 'date' : metrics[0], dir }];
}

// ---- The aggregate plan -------------------------------------------------------------------------------

/** What the engine offers the planner; read from the Dialect by planCapabilities. */
export interface PlanCapabilities {
  /** The store keeps exact distinct-user rollups (Dialect.userRollups). */
  userRollups: boolean;
  /** The store keeps the property-values rollup (Dialect.propertyValues). */
  propertyValues: boolean;
}

export const planCapabilities = (d: Dialect): PlanCapabilities => ({ userRollups: d.userRollups !== null, propertyValues: d.propertyValues !== null });

/**
 * The blocks a statement is made of, each `SELECT group keys, aggregates GROUP BY group keys`, joined on the keys:
 * - `base` (r): counts over the matching rows; always present, it defines the groups;
 * - `distinct` (u): exact distinct counts over only the rows of the top-N groups (empty unless `topN`);
 * - `referenced_sessions` (rs): session metrics over the whole sessions the group's rows reference (Q2);
 * - `deduplicated` (dd): event_count under count_mode=session_then_user (§E5).
 */
export interface MetricBlocks {
  base: MetricDef[];
  distinct: MetricDef[];
  referenced_sessions: MetricDef[];
  deduplicated: MetricDef[];
  /** Read from the property-values rollup (pv) the plan's propertyRollup names. */
  property_values: MetricDef[];
}

/**
 * Which distinct-user rollup (Dialect.userRollups) answers unique_users, by query shape:
 * - `users_last_seen`: no group key, open-ended window: users whose last date is in it (byUser);
 * - `user_days`: no group key, bounded window: distinct users over the user-days (byDay);
 * - `event_users_last_seen`: by event, open-ended window: (event, user) pairs last seen in it (byEvent);
 * - `day`, `week`, `month`: by date or a day/week/month bucket (byDay);
 * - `weekday_hour`: the weekday × hour grid (byHour).
 */
export type UserRollup = 'users_last_seen' | 'user_days' | 'event_users_last_seen' | 'day' | 'week' | 'month' | 'weekday_hour';

/**
 * A read of the property-values rollup (Dialect.propertyValues) for the JSON property `key`, by query shape:
 * - `values`: the whole statement — grouped by the key's value, event_count and unique_users (/breakdown's values);
 * - `with`: `with:<key>` alone, beside metrics counted over the events (/breakdown's totals);
 * - `filtered`: the whole statement — event_count and unique_users of the events whose `key` equals `value`, by
 *   nothing, date or event (/query with one `eq` filter on a JSON key).
 */
export interface PropertyRollup {
  form: 'values' | 'with' | 'filtered';
  key: string;
  /** `filtered`: the value the key must have (the query's `eq` filter; text or boolean, compared as its text). */
  value?: string | boolean;
}

export interface AggregatePlan {
  /** The query as asked; its window comes from readWindow. */
  query: AggregateQuery;
  capabilities: PlanCapabilities;
  /** Dimension definitions in group-key order. */
  dimensions: DimensionDef[];
  /** Metric definitions in query order (count_mode already applied). */
  metrics: MetricDef[];
  /** ORDER BY and LIMIT run in SQL; false when an order key is a ratio (run.ts sorts and cuts). */
  ordered: boolean;
  /** Where each metric is computed, in selection order. */
  blocks: MetricBlocks;
  /** unique_users read from this rollup instead of scanning the events; null = scanned. */
  userRollup: UserRollup | null;
  /** The base block orders and cuts to the top N groups first, and distinct counts see only their rows. */
  topN: boolean;
  /** The property-values rollup answering the property_values block; null = no such block. */
  propertyRollup: PropertyRollup | null;
}

/** Metric definitions of a query, resolved in its scope (count_mode swaps event_count's definition). */
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

/** The plan before any step: definitions resolved, every metric in the base block, no decision taken. */
export function startPlan(q: AggregateQuery, capabilities: PlanCapabilities): AggregatePlan {
  const metrics = resolveMetrics(q);
  return {
    query: q, capabilities, dimensions: resolveDimensions(q), metrics, ordered: false,
    blocks: { base: metrics, distinct: [], referenced_sessions: [], deduplicated: [], property_values: [] }, userRollup: null, topN: false,
    propertyRollup: null,
  };
}

/** Step: SQL orders (and limits) when every order key is a dimension or a metric with a part to order by. */
export function sqlOrders(p: AggregatePlan): AggregatePlan {
  const q = p.query;
  const ordered = q.order.every((o) => q.dimensions.includes(o.key) || p.metrics.find((m) => m.name === o.key)?.orderPart !== undefined);
  return { ...p, ordered };
}

/** Step: each metric to its block — sessions-scope metrics all count the sessions rows; event metrics per registry. */
export function assignBlocks(p: AggregatePlan): AggregatePlan {
  const blocks: MetricBlocks = { base: [], distinct: [], referenced_sessions: [], deduplicated: [], property_values: [] };
  for (const m of p.metrics) {
    if (p.query.scope === 'sessions') blocks.base.push(m);
    else if (m.block === 'referenced_sessions' || m.block === 'deduplicated') blocks[m.block].push(m);
    else if (m.distinct) blocks.distinct.push(m);
    else blocks.base.push(m);
  }
  return { ...p, blocks };
}

/** The rollup that can answer distinct users for this query's shape, or null when only the raw events can. */
export function userRollupFor(q: AggregateQuery, caps: PlanCapabilities): UserRollup | null {
  // Rollups carry no properties (filters), no instants (hour series) and only the group keys below.
  if (!caps.userRollups || q.scope !== 'events' || q.filters.length > 0 || q.window.fromTs !== undefined) return null;
  const open = q.window.to === undefined;
  switch (q.dimensions.join(',')) {
    case '': return open ? 'users_last_seen' : 'user_days';
    case 'event': return open ? 'event_users_last_seen' : null;
    case 'date': case 'bucket_day': return 'day';
    case 'bucket_week': return 'week';
    case 'bucket_month': return 'month';
    case 'weekday,hour_of_day': return 'weekday_hour';
    default: return null;
  }
}

/** Step: rollup or scan — a distinct user count leaves the distinct block when a rollup answers it. */
export function chooseUserRollup(p: AggregatePlan): AggregatePlan {
  const users = p.blocks.distinct.filter((m) => m.distinct === 'user');
  const userRollup = users.length > 0 ? userRollupFor(p.query, p.capabilities) : null;
  if (userRollup === null) return { ...p, userRollup };
  return { ...p, userRollup, blocks: { ...p.blocks, distinct: p.blocks.distinct.filter((m) => m.distinct !== 'user') } };
}

/** The key of `property:<key>` / `with:<key>` when its breakdown reads the properties JSON, else null. */
const jsonKey = (name: string, prefix: string): string | null => {
  const key = name.startsWith(prefix) ? name.slice(prefix.length) : null;
  return key !== null && breakdownReadsJson(key) ? key : null;
};

/**
 * The property-values rollup read that answers this query's shape, or null when only the raw events can.
 * The rollup has dates (no instants), one key's values per row and the event name, so the filters may only be
 * `set` on that key and one `event = X`; sessions and count_mode=session_then_user need the events' ids.
 */
export function propertyRollupFor(q: AggregateQuery, caps: PlanCapabilities): PropertyRollup | null {
  if (!caps.propertyValues || q.scope !== 'events' || q.countMode !== 'raw' || q.window.fromTs !== undefined) return null;
  const events = q.filters.filter((f) => f.op === 'eq' && f.field === 'event');
  const sets = q.filters.filter((f) => f.op === 'set');
  if (events.length > 1) return null;
  const answered = q.metrics.every((m) => m === 'event_count' || m === 'unique_users');
  // One `eq` on a JSON key: the rollup's rows of that value. A number compares numerically on the raw path, so
  // only text and booleans (compared as their text, as the rollup's values are).
  const eqs = q.filters.filter((f) => f.op === 'eq' && f.field.startsWith('properties.'));
  if (eqs.length === 1 && events.length + 1 === q.filters.length) {
    const [{ field, value }] = eqs;
    const key = jsonKey(field, 'properties.');
    const byRollupColumn = ['', 'date', 'bucket_day', 'event'].includes(q.dimensions.join(','));
    return key !== null && answered && byRollupColumn && (typeof value === 'string' || typeof value === 'boolean') ? { form: 'filtered', key, value } : null;
  }
  if (events.length + sets.length !== q.filters.length) return null;
  if (q.dimensions.length === 1) {
    const key = jsonKey(q.dimensions[0], 'property:');
    // The `set` filter is what leaves out the events without the key (the rollup holds no NULL value).
    return key !== null && answered && sets.length === 1 && sets[0].field === `properties.${key}` ? { form: 'values', key } : null;
  }
  if (q.dimensions.length > 0 || sets.length > 0) return null;
  const withs = q.metrics.filter((m) => m.startsWith('with:'));
  const key = withs.length === 1 ? jsonKey(withs[0], 'with:') : null;
  return key === null ? null : { form: 'with', key };
}

/**
 * Step: rollup or scan, for property values — `values` moves every metric to the property_values block (the
 * statement reads only the rollup; a top-N decision stands: distinct users over the winners' rows only), `with`
 * moves `with:<key>` there and leaves the rest to the events.
 */
export function choosePropertyRollup(p: AggregatePlan): AggregatePlan {
  const propertyRollup = propertyRollupFor(p.query, p.capabilities);
  if (propertyRollup === null) return { ...p, propertyRollup };
  const all = [...p.blocks.base, ...p.blocks.distinct];
  const moved = propertyRollup.form === 'with' ? all.filter((m) => m.name === `with:${propertyRollup.key}`) : all;
  const kept = (ms: MetricDef[]) => ms.filter((m) => !moved.includes(m));
  return { ...p, propertyRollup, blocks: { ...p.blocks, base: kept(p.blocks.base), distinct: kept(p.blocks.distinct), property_values: moved } };
}

/**
 * Step: top N first — for one group key, ordered in SQL by keys the base block holds, with a limit, the
 * costly distinct counts run only over the rows of the N winning groups. Otherwise they join the base block.
 */
export function restrictTopN(p: AggregatePlan): AggregatePlan {
  const q = p.query;
  const topN = p.blocks.distinct.length > 0 && p.dimensions.length === 1 && p.ordered && q.limit !== null
    && q.order.every((o) => q.dimensions.includes(o.key) || p.blocks.base.some((m) => m.name === o.key && m.orderPart !== undefined));
  if (topN) return { ...p, topN };
  return { ...p, topN, blocks: { ...p.blocks, base: [...p.blocks.base, ...p.blocks.distinct], distinct: [] } };
}

/** The aggregate planning steps, in order; each takes the plan the previous one returned. */
export const AGGREGATE_STEPS: readonly ((p: AggregatePlan) => AggregatePlan)[] = [sqlOrders, assignBlocks, chooseUserRollup, restrictTopN, choosePropertyRollup];

/** Plan an aggregate query: every step over the starting plan. */
export function planAggregate(q: AggregateQuery, capabilities: PlanCapabilities): AggregatePlan {
  return AGGREGATE_STEPS.reduce((p, step) => step(p), startPlan(q, capabilities));
}
