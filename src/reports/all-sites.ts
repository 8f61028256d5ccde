// GET /account/all-sites (Appendix A, beyond the seed): every project of the account at once — events in
// the current N days against the N days before, a zero-filled daily series and the top projects.
//
// The counts come from the event store (events by event date, as every other read counts them), in one
// grouped statement over the account's project ids for the 2N days, plus one for each project's last
// active date. usage_daily is not used: it counts by receive date and is written behind the 202, so it
// would put backfilled or late events on the wrong day (docs/all-sites.md).
import type { AllSitesResponse } from '../schemas/all-sites.js';
import type { ReportBody } from './body.js';
import { parseStrictLimit } from '../query/parse/limit.js';
import { COMPARISON_PERIODS, parseComparisonPeriod, periodDays } from '../query/parse/period.js';
import { readFloor, readWindow } from '../query/plan.js';
import type { ReadContext } from '../query/run.js';
import { compileDailyCounts, compileLastActiveDays } from '../query/sql/all-sites.js';
import { compareLabels, delta, percent } from '../query/shape.js';
import type { Project } from '../store/ports.js';
import { addDays } from './window.js';

export const ALL_SITES_PERIODS = COMPARISON_PERIODS;
export const ALL_SITES_LIMIT = { min: 1, max: 50, fallback: 10 } as const;

export type AllSitesReport = ReportBody<typeof AllSitesResponse>;

/** Events per project and UTC event date in [from, to], and each project's last event date up to `to`
 *  from `floor` on (null floor: no lower bound). */
async function countByProjectDay(ctx: ReadContext, ids: string[], from: string, to: string, floor: string | null) {
  return Promise.all([
    ctx.store.query<{ project_id: string; day: string; n: number | string }>(compileDailyCounts(ctx.dialect, { projectIds: ids, from, to })),
    ctx.store.query<{ project_id: string; last_day: string }>(compileLastActiveDays(ctx.dialect, { projectIds: ids, to, floor })),
  ]);
}

/**
 * The report for `projects` (the caller's non-deleted projects: tenant scope is decided by the caller).
 * Both periods are clamped to the account's retention (§1.5) as /insights is: days before the floor
 * count 0, and a last active date is never older than the floor.
 */
export async function allSitesReport(ctx: ReadContext, input: { projects: Project[]; period: unknown; limit: unknown }): Promise<AllSitesReport> {
  const period = parseComparisonPeriod(input.period, ctx.now);
  const limit = parseStrictLimit(input.limit, ALL_SITES_LIMIT);
  const days = periodDays(period);
  const { from, to, previous_from: previousFrom } = period;

  const queryFrom = readWindow(ctx, { from: previousFrom, to }).from;

  const ids = input.projects.map((p) => p.id);
  const perProject = new Map<string, { current: number; previous: number; daily: Map<string, number> }>(ids.map((id) => [id, { current: 0, previous: 0, daily: new Map() }]));
  const perDay = new Map<string, number>();
  const lastActive = new Map<string, string>();

  if (ids.length > 0 && queryFrom <= to) {
    const [daily, last] = await countByProjectDay(ctx, ids, queryFrom, to, readFloor(ctx));
    for (const r of daily) {
      const n = Number(r.n);
      const slot = perProject.get(r.project_id);
      if (!slot) continue; // the statement is scoped to `ids`; never trust a stray row
      const date = String(r.day);
      if (date >= from) {
        slot.current += n;
        slot.daily.set(date, (slot.daily.get(date) ?? 0) + n);
        perDay.set(date, (perDay.get(date) ?? 0) + n);
      } else {
        slot.previous += n;
      }
    }
    for (const r of last) if (r.last_day !== null && perProject.has(r.project_id)) lastActive.set(r.project_id, String(r.last_day));
  }

  let current = 0;
  let previous = 0;
  for (const v of perProject.values()) {
    current += v.current;
    previous += v.previous;
  }

  const dates = Array.from({ length: days }, (_, i) => addDays(from, i));
  const time_series: AllSitesReport['time_series'] = dates.map((date) => ({ date, events: perDay.get(date) ?? 0 }));

  // Most events first; ties by name, then id (names are unique per account, ids settle the rest).
  const ranked = input.projects
    .map((p) => {
      const slot = perProject.get(p.id)!;
      return { p, events: slot.current, slot };
    })
    .sort((a, b) => b.events - a.events || compareLabels(a.p.name, b.p.name) || compareLabels(a.p.id, b.p.id));
  const projects = ranked.slice(0, limit).map(({ p, events, slot }) => ({
    id: p.id,
    name: p.name,
    events,
    share_pct: percent(events, current),
    last_active_date: lastActive.get(p.id) ?? null,
    previous_events: slot.previous,
    change_pct: delta(events, slot.previous).change_pct,
    daily_events: dates.map((date) => slot.daily.get(date) ?? 0),
  }));

  return {
    scope: 'account',
    period,
    summary: {
      total_projects: input.projects.length,
      active_projects: ranked.filter((r) => r.events > 0).length,
      total_events: delta(current, previous),
    },
    time_series,
    projects,
    remaining_projects: input.projects.length - projects.length,
  };
}
