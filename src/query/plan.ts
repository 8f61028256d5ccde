// Planning as small pure steps, each testable alone: they complete or restrict a query before it is compiled.
import { utcDay } from './time.js';
import type { AggregateQuery, OrderKey, Window } from './types.js';

const DAY_MS = 86_400_000;

/** §1.5: the first date a read may see, today − retention_days; null when the account keeps everything. */
export function retentionFloor(retentionDays: number, now: number): string | null {
  return retentionDays < 0 ? null : utcDay(now - retentionDays * DAY_MS);
}

/** §1.5: the effective window start is max(from, today − retention_days). */
export function clampToRetention(window: Window, retentionDays: number, now: number): Window {
  const floor = retentionFloor(retentionDays, now);
  return floor !== null && window.from < floor ? { ...window, from: floor } : window;
}

/** The later of two YYYY-MM-DD dates. */
export const laterDate = (a: string, b: string): string => (a > b ? a : b);

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

/** Apply every planning step that holds for all queries (currently the retention clamp). */
export function plan(q: AggregateQuery, retentionDays: number, now: number): AggregateQuery {
  return { ...q, window: clampToRetention(q.window, retentionDays, now) };
}
