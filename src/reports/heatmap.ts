// E13 GET /heatmap: events by UTC weekday × hour (non-empty cells only), with the peak and busiest day/hour.
import type { HeatmapResponse } from '../schemas/analytics-responses.js';
import type { ReportBody } from './body.js';
import { runAggregate, type ReadContext } from '../query/run.js';
import { sinceWindow } from './window.js';

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export type HeatCell = ReportBody<typeof HeatmapResponse>['heatmap'][number];

/** The index of the largest value; ties → the lowest index. */
function argmaxIndex(values: number[]): number {
  let best = 0;
  values.forEach((v, i) => { if (v > values[best]) best = i; });
  return best;
}

export async function heatmapReport(ctx: ReadContext, input: { projectId: string; project: string; since: unknown }): Promise<ReportBody<typeof HeatmapResponse>> {
  const { from } = sinceWindow(ctx, input.since);
  const rows = await runAggregate(ctx, {
    scope: 'events', projectId: input.projectId, window: { from }, filters: [], dimensions: ['weekday', 'hour_of_day'],
    metrics: ['event_count', 'unique_users'], countMode: 'raw', order: [{ key: 'weekday', dir: 'asc' }, { key: 'hour_of_day', dir: 'asc' }], limit: null,
  });
  const heatmap: HeatCell[] = rows.map((r) => ({
    day: Number(r.weekday), day_name: DAY_NAMES[Number(r.weekday)], hour: Number(r.hour_of_day), events: Number(r.event_count), users: Number(r.unique_users),
  }));
  if (heatmap.length === 0) return { project: input.project, heatmap, peak: null, busiest_day: null, busiest_hour: null };
  // Cells arrive in (day, hour) order, so the first maximum is the earliest: the contract's tie rule.
  const peak = heatmap[argmaxIndex(heatmap.map((c) => c.events))];
  const perDay = Array<number>(7).fill(0);
  const perHour = Array<number>(24).fill(0);
  for (const c of heatmap) { perDay[c.day] += c.events; perHour[c.hour] += c.events; }
  return { project: input.project, heatmap, peak: { ...peak }, busiest_day: DAY_NAMES[argmaxIndex(perDay)], busiest_hour: argmaxIndex(perHour) };
}
