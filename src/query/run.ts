// plan -> compile -> run -> shape for aggregate questions: the single path every aggregate read takes.
import type { EventStore } from '../store/ports.js';
import { compileAggregatePlan } from './sql/compile.js';
import type { Dialect } from './sql/dialect.js';
import { dialectFor } from './sql/dialects/index.js';
import { newestFirstSpans, planAggregate, planCapabilities, type DateSpan } from './plan.js';
import { compareLabels } from './shape.js';
import type { AggregateQuery, ResultRow } from './types.js';

/** Where a read runs: the event store, its dialect, and the account's retention (§1.5, applied by plan.ts readWindow). */
export interface ReadContext {
  store: EventStore;
  dialect: Dialect;
  retentionDays: number;
  /** Epoch ms taken as "now" for the whole request (windows, retention). */
  now: number;
}

export function readContext(store: EventStore, retentionDays: number, now = Date.now()): ReadContext {
  return { store, dialect: dialectFor(store), retentionDays, now };
}

/**
 * Run one aggregate query and shape its rows: dimension and metric names as keys, values printed per registry.
 * The query's window comes from readWindow (plan.ts), which already applied the account's retention.
 */
export async function runAggregate(ctx: ReadContext, q: AggregateQuery): Promise<ResultRow[]> {
  const compiled = compileAggregatePlan(planAggregate(q, planCapabilities(ctx.dialect)), ctx.dialect);
  const raw = await ctx.store.query<Record<string, unknown>>(compiled);
  const rows = raw.map((r) => {
    const out: ResultRow = {};
    compiled.dimensions.forEach((dim, i) => {
      const v = r[`d${i}`];
      out[dim.name] = v === null || v === undefined ? null : dim.type === 'int' ? Number(v) : String(v);
    });
    const parts: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (k.startsWith('m_')) parts[k.slice(2)] = v;
    for (const m of compiled.metrics) out[m.name] = m.value(parts);
    return out;
  });
  if (compiled.ordered) return rows;
  // An order key is a ratio (e.g. bounce_rate): sort the printed values, then the labels, here.
  rows.sort((a, b) => {
    for (const o of q.order) {
      const c = compareLabels(a[o.key], b[o.key]);
      if (c !== 0) return o.dir === 'asc' ? c : -c;
    }
    for (const dim of q.dimensions) {
      const c = compareLabels(a[dim], b[dim]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return q.limit === null ? rows : rows.slice(0, q.limit);
}

/**
 * Up to `limit` rows newest first over the window from `from`: `read(span, n)` returns at most n rows of one
 * span in the read's order, spans are read newest first (newestFirstSpans from `start`) until the page is full.
 */
export async function newestFirst<T>(from: string, start: string, limit: number, read: (span: DateSpan, n: number) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const span of newestFirstSpans(from, start)) {
    if (out.length >= limit) break;
    out.push(...(await read(span, limit - out.length)));
  }
  return out;
}
