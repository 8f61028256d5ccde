// E8 GET /sessions (a page of sessions) and E9 GET /sessions/distribution (the duration histogram).
import type { Static } from 'typebox';
import type { DistributionResponse, SessionRowObject, SessionsResponse } from '../schemas/analytics-responses.js';
import type { ReportBody } from './body.js';
import { nextCursor, parseCursor } from '../query/page.js';
import { parseLimit } from '../query/parse/limit.js';
import { optionalText } from '../query/parse/params.js';
import { parseUntilParam } from '../query/parse/since.js';
import { DURATION_BUCKETS } from '../query/registry/dimensions.js';
import { runAggregate, type ReadContext } from '../query/run.js';
import { percent } from '../query/shape.js';
import type { Filter } from '../query/types.js';
import { compileSessionList } from '../query/sql/rows.js';
import { sinceWindow } from './window.js';

export type SessionRow = Static<typeof SessionRowObject>;

export async function sessionsReport(ctx: ReadContext, input: { projectId: string; project: string; since: unknown; until?: unknown; cursor?: unknown; limit: unknown; user_id: unknown; is_bounce: unknown }): Promise<ReportBody<typeof SessionsResponse>> {
  const { since, from } = sinceWindow(ctx, input.since);
  // `until` and `cursor` (beyond the contract): sessions started strictly before `until`; keyset paging.
  const until = parseUntilParam(input.until, since, ctx.now);
  const after = parseCursor(input.cursor);
  const limit = parseLimit(input.limit, 100);
  const filters: Filter[] = [];
  if (until !== undefined) filters.push({ op: 'lt', field: 'session.start_time', value: until });
  const userId = optionalText(input.user_id);
  if (userId !== undefined) filters.push({ op: 'eq', field: 'session.user_id', value: userId });
  // is_bounce: only "0" or "1" filter; any other value is ignored (§E8).
  if (input.is_bounce === '0' || input.is_bounce === '1' || input.is_bounce === 0 || input.is_bounce === 1) {
    filters.push({ op: 'eq', field: 'session.is_bounce', value: Number(input.is_bounce) });
  }
  const rows = await ctx.store.query<Record<string, unknown>>(compileSessionList(ctx.dialect, { projectId: input.projectId, from, filters, after, limit }));
  const sessions: SessionRow[] = rows.map((r) => ({
    session_id: String(r.session_id),
    user_id: r.user_id === null ? null : String(r.user_id),
    project_id: String(r.project_id),
    start_time: Number(r.start_time),
    end_time: Number(r.end_time),
    duration: Number(r.duration),
    entry_page: r.entry_page === null ? null : String(r.entry_page),
    exit_page: r.exit_page === null ? null : String(r.exit_page),
    event_count: Number(r.event_count),
    is_bounce: Number(r.is_bounce) === 1 ? 1 : 0,
    date: String(r.date),
  }));
  return { project: input.project, sessions, ...nextCursor(sessions, limit, (r) => ({ time: r.start_time, id: r.session_id })) };
}

export async function distributionReport(ctx: ReadContext, input: { projectId: string; project: string; since: unknown }): Promise<ReportBody<typeof DistributionResponse>> {
  const { from } = sinceWindow(ctx, input.since);
  const rows = await runAggregate(ctx, {
    scope: 'sessions', projectId: input.projectId, window: { from }, filters: [], dimensions: ['duration_bucket'],
    metrics: ['sessions', 'bounces', 'avg_events'], countMode: 'raw', order: [], limit: null,
  });
  const byLabel = new Map(rows.map((r) => [r.duration_bucket, r]));
  const total = rows.reduce((sum, r) => sum + Number(r.sessions), 0);
  const present = DURATION_BUCKETS.map((b) => byLabel.get(b.label)).filter((r) => r !== undefined);
  let cumulative = 0;
  let median: string | null = null;
  let engaged = 0;
  for (const r of present) {
    cumulative += Number(r.sessions);
    if (median === null && 2 * cumulative >= total) median = String(r.duration_bucket);
    if (DURATION_BUCKETS.findIndex((b) => b.label === r.duration_bucket) >= 3) engaged += Number(r.sessions);
  }
  return {
    project: input.project,
    distribution: present.map((r) => ({
      bucket: String(r.duration_bucket), sessions: Number(r.sessions), bounces: Number(r.bounces),
      avg_events: Number(r.avg_events), pct: percent(Number(r.sessions), total),
    })),
    median_bucket: total === 0 ? null : median,
    engaged_pct: percent(engaged, total),
  };
}
