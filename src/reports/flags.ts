// Server-side anomaly flags: additive `flags` arrays on the responses they concern, with a next step.
import type { Static } from 'typebox';
import type { FlagObject } from '../schemas/common.js';

export type Flag = Static<typeof FlagObject>;

/** Project limit approaching: one slot left or >= 80% used (never for unlimited accounts). */
export function projectLimitFlags(count: number, limit: number): Flag[] {
  if (limit === -1 || limit <= 0) return [];
  if (count >= limit) {
    return [{ code: 'project_limit_reached', severity: 'critical', message: `All ${limit} project slots are used; the next POST /projects will fail with 403. Delete an unused project or upgrade the tier.` }];
  }
  if (limit - count <= 1 || count / limit >= 0.8) {
    return [{ code: 'project_limit_approaching', severity: 'warning', message: `${count} of ${limit} projects used; ${limit - count} slot(s) left before POST /projects fails with 403. Reuse an existing project or upgrade the tier.` }];
  }
  return [];
}

/** Bounce-rate spike: /insights `metrics.bounce_rate.change_pct` above +20. */
export function bounceRateSpikeFlags(insights: { metrics: { bounce_rate: { current: number; previous: number; change_pct: number | null } } }): Flag[] {
  const b = insights.metrics.bounce_rate;
  if (b.change_pct === null || b.change_pct <= 20) return [];
  return [{ code: 'bounce_rate_spike', severity: 'warning', message: `Bounce rate rose ${b.change_pct}% (${b.previous} → ${b.current}) versus the previous period: check for a tracking or UX regression (a broken page, a missing custom event) with GET /pages?type=entry and GET /sessions?is_bounce=1.` }];
}

/** Anonymous-only tracking: /stats has events but no event carries a user_id. */
export function anonymousTrackingFlags(stats: { totals: { unique_users: number; total_events: number } }): Flag[] {
  if (stats.totals.unique_users !== 0 || stats.totals.total_events <= 0) return [];
  return [{ code: 'anonymous_only_tracking', severity: 'warning', message: `${stats.totals.total_events} events but 0 unique users: no event carries a user_id, so user counts, retention and experiments stay empty. Send user_id with each event (tracker.js does this automatically; server-side calls must add it).` }];
}

export const EXPERIMENT_SILENCE_MS = 48 * 3_600_000;

/** Experiment without conversions: at least 48 h old and every variant at 0 conversions → likely a wrong goal_event. */
export function experimentConversionFlags(
  experiment: { name: string; goal_event: string; created_at: string; results: { variants: { conversions: number }[] } },
  now: number = Date.now(),
): Flag[] {
  const age = now - Date.parse(experiment.created_at);
  if (!(age >= EXPERIMENT_SILENCE_MS) || experiment.results.variants.some((v) => v.conversions > 0)) return [];
  const hours = Math.floor(age / 3_600_000);
  return [{ code: 'experiment_no_conversions', severity: 'warning', message: `Experiment '${experiment.name}' is ${hours} h old and no variant has a '${experiment.goal_event}' conversion: the goal_event is probably misnamed or never tracked. Compare it with the event names from GET /properties, then create a new experiment with the right goal_event.` }];
}

/** Retention cliff: fewer than 10% of users come back in the first period after their first visit. */
export function retentionCliffFlags(retention: { period: string; average_rates: number[] }): Flag[] {
  const rate = retention.average_rates[1];
  if (rate === undefined || rate >= 0.1) return [];
  return [{ code: 'retention_cliff', severity: 'critical', message: `Only ${Math.round(rate * 1000) / 10}% of users return in the ${retention.period} after their first visit (average_rates[1] = ${rate}): a critical retention problem. Look at the entry pages and the first-session funnel (GET /pages, POST /funnel) to find where new users leave.` }];
}

/** Stale heatmap: no events at all in the requested window. */
export function staleHeatmapFlags(heatmap: { heatmap: unknown[]; peak: unknown }): Flag[] {
  if (heatmap.heatmap.length > 0 && heatmap.peak !== null) return [];
  return [{ code: 'stale_heatmap', severity: 'info', message: 'No events in this window, so the heatmap is empty: widen `since` (e.g. since=30d) or check that the tracker is installed and events arrive (GET /events, GET /live).' }];
}
