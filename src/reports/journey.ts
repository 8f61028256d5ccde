// /journey (referenced by the official CLI, Appendix A): one user's events in time order. The user's totals come
// from the aggregate pipeline (event and session counts, first and last day); the events themselves are one
// row selection of the SQL compiler (query/sql/rows.ts), oldest first. Both filter on the canonical user id the
// route resolved through the /identify map, so an old anonymous id shows the identified user's whole journey.
import type { JourneyResponse } from '../schemas/journey.js';
import type { ReportBody } from './body.js';
import { badRequest } from '../errors.js';
import { parseLimit } from '../query/parse/limit.js';
import { runAggregate, type ReadContext } from '../query/run.js';
import type { Filter } from '../query/types.js';
import { compileEventRows } from '../query/sql/rows.js';
import { eventRows } from './events.js';
import { sinceWindow, today } from './window.js';

/** A journey spans more than a week: the official CLI asks for 30 days, and so does a request without `since`. */
export const JOURNEY_DEFAULT_SINCE_DAYS = 30;

export type JourneyReport = ReportBody<typeof JourneyResponse>;
export type JourneyProfile = JourneyReport['profiles'][number];

/** An email lookup is refused (this server keeps no email addresses), before user_id is required (§1.3). */
export function refuseEmailLookup(email: unknown): void {
  if (email !== undefined && email !== null && email !== '') {
    throw badRequest('EMAIL_LOOKUP_UNSUPPORTED', 'this server stores no email addresses, so it cannot look a user up by email (a hosted-product feature); '
      + 'pass user_id instead: the id your site sends with its events (user_id) or maps with POST /identify');
  }
}

export async function journeyReport(
  ctx: ReadContext,
  input: { projectId: string; project: string; requestedId: string; userId: string; since: unknown; limit: unknown },
): Promise<JourneyReport> {
  const { from } = sinceWindow(ctx, input.since, JOURNEY_DEFAULT_SINCE_DAYS);
  const limit = parseLimit(input.limit, 100);
  const filters: Filter[] = [{ op: 'eq', field: 'user_id', value: input.userId }];
  const [totals] = await runAggregate(ctx, {
    scope: 'events', projectId: input.projectId, window: { from }, filters, dimensions: [],
    metrics: ['event_count', 'session_count', 'first_seen', 'last_seen'], countMode: 'raw', order: [], limit: null,
  });
  const eventCount = Number(totals?.event_count ?? 0);
  const events = eventCount === 0 ? [] : await eventRows(ctx.store, compileEventRows(ctx.dialect, { projectId: input.projectId, from, filters, order: 'asc', limit }));
  const profiles: JourneyProfile[] = eventCount === 0 ? [] : [{
    user_id: input.userId, first_seen: String(totals.first_seen), last_seen: String(totals.last_seen),
    event_count: eventCount, session_count: Number(totals.session_count),
  }];
  return {
    project: input.project, user_id: input.requestedId, profiles, period: { from, to: today(ctx) },
    events, count: events.length, truncated: eventCount > events.length,
  };
}
