// E6 GET /properties (event names with counts, property keys in use) and E7 GET /properties/received
// (which keys arrive on which events). Keys are read from the JSON in TypeScript: one way for every engine.
import type { PropertiesReceivedResponse, PropertiesResponse } from '../schemas/analytics-responses.js';
import type { ReportBody } from './body.js';
import { clampInt } from '../query/parse/limit.js';
import { newestFirst, runAggregate, type ReadContext } from '../query/run.js';
import { utcDay } from '../query/time.js';
import type { AggregateQuery } from '../query/types.js';
import { compileRecentProperties } from '../query/sql/rows.js';
import { sinceWindow } from './window.js';

export type EventSummary = ReportBody<typeof PropertiesResponse>['events'][number];

/** Every event name of the window, count descending (ties: name ascending). */
export async function eventSummaries(ctx: ReadContext, projectId: string, from: string, to?: string): Promise<EventSummary[]> {
  const q: AggregateQuery = {
    scope: 'events', projectId, window: { from, ...(to ? { to } : {}) }, filters: [], dimensions: ['event'],
    metrics: ['event_count', 'unique_users', 'first_seen', 'last_seen'], countMode: 'raw',
    order: [{ key: 'event_count', dir: 'desc' }], limit: null,
  };
  const rows = await runAggregate(ctx, q);
  return rows.map((r) => ({ event: String(r.event), count: Number(r.event_count), unique_users: Number(r.unique_users), first_seen: String(r.first_seen), last_seen: String(r.last_seen) }));
}

function objectKeys(json: unknown): string[] {
  if (typeof json !== 'string') return [];
  try {
    const v = JSON.parse(json) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
  } catch {
    return [];
  }
}

/** compileRecentProperties read newest first a span of dates at a time (query/plan.ts newestFirstSpans). */
function recentProperties(ctx: ReadContext, q: { projectId: string; from: string; to?: string; limit: number; nonEmpty: boolean }) {
  const start = q.to !== undefined && q.to < utcDay(ctx.now) ? q.to : utcDay(ctx.now);
  return newestFirst(q.from, start, q.limit, (span, n) => {
    // The caller's upper bound stays on every span (the first span has none of its own).
    const to = span.to ?? q.to;
    return ctx.store.query<{ event: string; properties: string }>(compileRecentProperties(ctx.dialect, { ...q, from: span.from, ...(to !== undefined ? { to } : {}), limit: n }));
  });
}

/** Q3: the sorted union of top-level keys of the 100 most recent events with a non-empty properties object. */
export async function propertyKeys(ctx: ReadContext, projectId: string, from: string, to?: string): Promise<string[]> {
  const rows = await recentProperties(ctx, { projectId, from, to, limit: 100, nonEmpty: true });
  return [...new Set(rows.flatMap((r) => objectKeys(r.properties)))].sort();
}

export async function propertiesReport(ctx: ReadContext, input: { projectId: string; project: string; since: unknown }): Promise<ReportBody<typeof PropertiesResponse>> {
  const { from } = sinceWindow(ctx, input.since);
  const [events, property_keys] = await Promise.all([eventSummaries(ctx, input.projectId, from), propertyKeys(ctx, input.projectId, from)]);
  return { project: input.project, events, property_keys };
}

/** `sample` (§1.4): default 5000, clamped to [100, 10000], non-numeric → default. */
export const SAMPLE = { fallback: 5000, min: 100, max: 10_000 } as const;
export const parseSample = (v: unknown): number => clampInt(v, SAMPLE);

export async function propertiesReceivedReport(ctx: ReadContext, input: { projectId: string; project: string; since: unknown; sample: unknown }): Promise<ReportBody<typeof PropertiesReceivedResponse>> {
  const { from } = sinceWindow(ctx, input.since);
  const sample = parseSample(input.sample);
  const rows = await recentProperties(ctx, { projectId: input.projectId, from, limit: sample, nonEmpty: false });
  const pairs = new Map<string, { key: string; event: string }>();
  for (const r of rows) for (const key of objectKeys(r.properties)) pairs.set(JSON.stringify([key, r.event]), { key, event: r.event });
  const properties = [...pairs.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.event < b.event ? -1 : a.event > b.event ? 1 : 0));
  return { project: input.project, sample_size: sample, since: from, properties };
}
