// E14 POST /funnel: ordered greedy matching per entity (compiled in query/sql/funnel.ts), shaped here.
import type { FunnelResponse } from '../schemas/analytics-responses.js';
import type { ReportBody } from './body.js';
import { parseFunnelBody } from '../query/parse/funnel-body.js';
import { readWindow } from '../query/plan.js';
import type { ReadContext } from '../query/run.js';
import { compareLabels, ratio, round } from '../query/shape.js';
import { compileFunnel, compileFunnelEntryDays, type FunnelSpec } from '../query/sql/funnel.js';
import { dayStart } from '../query/time.js';

/** Step 1 keeps at most 10,000 entities (§1.7); the first days holding `entryPrefix` step-1 events are looked at first. */
export const FUNNEL_LIMITS = { maxEntities: 10_000, entryPrefix: 160_000 };

export type FunnelReport = ReportBody<typeof FunnelResponse>;
export type FunnelStepOut = FunnelReport['steps'][number];

interface GroupCounts {
  value: string | null;
  users: number[];
  times: number[];
}

function shapeSteps(events: string[], g: GroupCounts): { steps: FunnelStepOut[]; overall_conversion_rate: number } {
  const steps = events.map((event, k): FunnelStepOut => {
    const users = g.users[k];
    const prev = k === 0 ? users : g.users[k - 1];
    const conversion = k === 0 ? 1 : ratio(users, prev, 3);
    const next = g.users[k + 1];
    return {
      step: k + 1,
      event,
      users,
      conversion_rate: conversion,
      drop_off_rate: k === 0 || prev === 0 ? 0 : round(1 - conversion, 3),
      avg_time_to_next_ms: k + 1 < events.length && next > 0 ? Math.round(g.times[k] / next) : null,
    };
  });
  return { steps, overall_conversion_rate: ratio(g.users[events.length - 1], g.users[0], 3) };
}


export async function funnelReport(
  ctx: ReadContext, input: { projectId: string; project: string; body: Record<string, unknown> }, limits = FUNNEL_LIMITS,
): Promise<FunnelReport> {
  const f = parseFunnelBody(input.body, ctx.now);
  const spec: FunnelSpec = {
    projectId: input.projectId, from: readWindow(ctx, { from: f.since }).from, entity: f.countBy, steps: f.steps,
    windowMs: Math.round(f.windowHours * 3_600_000), breakdown: f.breakdown, maxEntities: limits.maxEntities, entryBefore: null,
  };
  const run = (entryBefore: number | null) => ctx.store.query<Record<string, unknown>>(compileFunnel(ctx.dialect, { ...spec, entryBefore }));
  // Entities are taken earliest entry first: when the first days holding `entryPrefix` step-1 events
  // already yield the cap, the entries are found among them without grouping the whole lookback.
  const days = await ctx.store.query<{ day: string; n: number }>(compileFunnelEntryDays(ctx.dialect, spec));
  let seen = 0;
  const last = days.find((r) => (seen += Number(r.n)) >= limits.entryPrefix);
  const cut = last && last !== days[days.length - 1] ? dayStart(String(last.day)) + 86_400_000 : null;
  let rows = await run(cut);
  if (cut !== null && rows.reduce((sum, r) => sum + Number(r.u1 ?? 0), 0) < limits.maxEntities) rows = await run(null);
  const n = f.steps.length;
  const groups: GroupCounts[] = rows.map((r) => ({
    value: r.bv === null || r.bv === undefined ? null : String(r.bv),
    users: Array.from({ length: n }, (_, k) => Number(r[`u${k + 1}`] ?? 0)),
    times: Array.from({ length: n - 1 }, (_, k) => Number(r[`dt${k + 1}`] ?? 0)),
  }));
  const total: GroupCounts = {
    value: null,
    users: Array.from({ length: n }, (_, k) => groups.reduce((s, g) => s + g.users[k], 0)),
    times: Array.from({ length: n - 1 }, (_, k) => groups.reduce((s, g) => s + g.times[k], 0)),
  };
  const events = f.steps.map((s) => s.event);
  const out: FunnelReport = { project: input.project, ...shapeSteps(events, total) };
  if (f.breakdown !== null) {
    // Ordered by step-1 entities descending, ties by value ascending with null last.
    groups.sort((a, b) => b.users[0] - a.users[0] || compareLabels(a.value, b.value));
    out.breakdowns = groups.slice(0, f.breakdownLimit).map((g) => {
      const shaped = shapeSteps(events, g);
      return { value: g.value, steps: shaped.steps, overall_conversion_rate: shaped.overall_conversion_rate };
    });
  }
  return out;
}
