// E11 GET /insights: the current N days against the N days before (never overlapping), as DeltaMetrics.
import type { InsightsResponse } from '../schemas/analytics-responses.js';
import type { ReportBody } from './body.js';
import { COMPARISON_PERIODS, parseComparisonPeriod } from '../query/parse/period.js';
import { readWindow } from '../query/plan.js';
import { runAggregate, type ReadContext } from '../query/run.js';
import { delta } from '../query/shape.js';
import type { AggregateQuery, Window } from '../query/types.js';

export const INSIGHT_PERIODS = COMPARISON_PERIODS;

export type InsightsReport = ReportBody<typeof InsightsResponse>;

/** Trend from total_events.change_pct: null or > 10 → growing, < −10 → declining, else stable. */
export function trendOf(changePct: number | null): InsightsReport['trend'] {
  if (changePct === null || changePct > 10) return 'growing';
  return changePct < -10 ? 'declining' : 'stable';
}

export async function insightsReport(ctx: ReadContext, input: { projectId: string; project: string; period: unknown }): Promise<InsightsReport> {
  const p = parseComparisonPeriod(input.period, ctx.now);
  const current = { from: p.from, to: p.to };
  const previous = { from: p.previous_from, to: p.previous_to };
  // The periods print as asked; the reads see them from the retention floor on.
  const q = (scope: 'events' | 'sessions', period: Window): AggregateQuery => ({
    scope, projectId: input.projectId, window: readWindow(ctx, period), filters: [], dimensions: [], countMode: 'raw', order: [], limit: null,
    metrics: scope === 'events' ? ['event_count', 'unique_users'] : ['sessions', 'bounce_rate', 'avg_duration'],
  });
  const [[ec], [ep], [sc], [sp]] = await Promise.all([
    runAggregate(ctx, q('events', current)), runAggregate(ctx, q('events', previous)),
    runAggregate(ctx, q('sessions', current)), runAggregate(ctx, q('sessions', previous)),
  ]);
  const num = (v: unknown) => Number(v);
  const totalEvents = delta(num(ec.event_count), num(ep.event_count));
  return {
    project: input.project,
    current_period: current,
    previous_period: previous,
    metrics: {
      total_events: totalEvents,
      unique_users: delta(num(ec.unique_users), num(ep.unique_users)),
      total_sessions: delta(num(sc.sessions), num(sp.sessions)),
      bounce_rate: delta(num(sc.bounce_rate), num(sp.bounce_rate), 3),
      avg_duration: delta(num(sc.avg_duration), num(sp.avg_duration)),
    },
    trend: trendOf(totalEvents.change_pct),
  };
}
