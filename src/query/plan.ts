// Planning as small pure steps, each testable alone: the read window (the one place the retention floor
// is applied) and the default order of POST /query.
import { utcDay } from './time.js';
import type { OrderKey, Window } from './types.js';

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

/**
 * §E5 ordering: `order_by` when it names a result column among the orderable ones; otherwise by
 * `date` when grouped by date, else by the first metric. Direction `asc` only when asked for.
 */
export function queryOrder(orderBy: unknown, order: unknown, groupBy: string[], metrics: string[]): OrderKey[] {
  const dir = order === 'asc' ? 'asc' : 'desc';
  const orderable = ['event_count', 'unique_users', 'session_count', 'date', 'event'];
  const columns = [...groupBy, ...metrics];
  if (typeof orderBy === 'string' && orderable.includes(orderBy) && columns.includes(orderBy)) return [{ key: orderBy, dir }];
  return [{ key: groupBy.includes('date') ? 'date' : metrics[0], dir }];
}
