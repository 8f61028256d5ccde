// E3 GET /stats: totals, a time series, the top 20 events and the session block — four presets of the
// query language, run side by side.
import type { StatsResponse } from '../schemas/analytics-responses.js';
import type { ReportBody } from './body.js';
import { runAggregate, type ReadContext } from '../query/run.js';
import { ratio } from '../query/shape.js';
import { utcDay } from '../query/time.js';
import type { AggregateQuery, Window } from '../query/types.js';
import { filtersParam } from './query.js';
import { sinceWindow } from './window.js';

export const STATS_GROUPS = ['hour', 'day', 'week', 'month'] as const;
export type StatsGroup = (typeof STATS_GROUPS)[number];

export interface StatsInput {
  projectId: string;
  project: string;
  since: unknown;
  groupBy: unknown;
  /** `filters` (beyond the contract): /query's filters as a JSON array; sessions then count those holding a matching event. */
  filters?: unknown;
}

export type StatsReport = ReportBody<typeof StatsResponse>;

/** Unknown `groupBy` values silently mean `day` (§E3). */
export const statsGroup = (v: unknown): StatsGroup => (STATS_GROUPS as readonly unknown[]).includes(v) ? (v as StatsGroup) : 'day';

export async function statsReport(ctx: ReadContext, input: StatsInput): Promise<StatsReport> {
  const { since, from } = sinceWindow(ctx, input.since);
  const groupBy = statsGroup(input.groupBy);
  const window: Window = { from };
  const filters = await filtersParam(ctx, input.projectId, input.filters, from);
  const base = { scope: 'events' as const, projectId: input.projectId, window, filters, countMode: 'raw' as const, limit: null };
  const totalsQ: AggregateQuery = { ...base, dimensions: [], metrics: ['event_count', 'unique_users'], order: [] };
  // groupBy=hour selects the series by exact instant; totals and top events keep whole dates (§1.5).
  const seriesWindow: Window = groupBy === 'hour' ? { from, fromTs: since.instant } : window;
  const seriesQ: AggregateQuery = { ...base, window: seriesWindow, dimensions: [`bucket_${groupBy}`], metrics: ['event_count', 'unique_users'], order: [{ key: `bucket_${groupBy}`, dir: 'asc' }] };
  const eventsQ: AggregateQuery = { ...base, dimensions: ['event'], metrics: ['event_count', 'unique_users'], order: [{ key: 'event_count', dir: 'desc' }], limit: 20 };
  const sessionsQ: AggregateQuery = { ...base, scope: 'sessions', dimensions: [], metrics: ['sessions', 'bounces', 'avg_duration', 'total_events', 'users'], order: [] };

  const [[totals], series, events, [s]] = await Promise.all([totalsQ, seriesQ, eventsQ, sessionsQ].map((q) => runAggregate(ctx, q)));
  const sessions = Number(s.sessions);
  return {
    project: input.project,
    period: { from, to: utcDay(ctx.now), groupBy },
    totals: { unique_users: Number(totals.unique_users), total_events: Number(totals.event_count) },
    timeSeries: series.map((r) => ({ bucket: String(r[`bucket_${groupBy}`]), unique_users: Number(r.unique_users), total_events: Number(r.event_count) })),
    events: events.map((r) => ({ event: String(r.event), count: Number(r.event_count), unique_users: Number(r.unique_users) })),
    sessions: {
      total_sessions: sessions,
      bounce_rate: ratio(Number(s.bounces), sessions, 3),
      avg_duration: Number(s.avg_duration),
      pages_per_session: ratio(Number(s.total_events), sessions, 1),
      sessions_per_user: sessions === 0 ? 0 : ratio(sessions, Math.max(1, Number(s.users)), 1),
    },
  };
}
